// A room's persistent events in index order, with missed ones fetched. Every stored event has the room's next
// index, without gaps, so a client can tell when one did not reach it: behind the RabbitMQ relay, events written
// on two nodes may arrive out of index order, and any transport can lose a frame (a broker restart, Redis
// pub/sub). An event whose index is not the next one is held for HOLD_MS, time for the missing ones to arrive;
// then the client asks for history?after_index=N and applies what it gets, in order, without reconnecting.

/** How long a later event waits for the ones before it before they are fetched. */
export const HOLD_MS = 400;

export class IndexOrder {
  /**
   * @param deliver called with each event, in index order (and with duplicates, which the timeline ignores)
   * @param fetchAfter called with an index N and a callback that takes the reply's events and whether the reply
   *                   was complete (fewer than its page size): the events stored after N
   */
  constructor(deliver, fetchAfter, holdMs = HOLD_MS) {
    this.deliver = deliver;
    this.fetchAfter = fetchAfter;
    this.holdMs = holdMs;
    this.contiguous = null; // every index up to this one has been delivered; null until the first page
    this.held = new Map();
    this.timer = null;
    this.fetching = false;
  }

  /** After a page of history: every event up to `index` is known. */
  knownUpTo(index) {
    if (this.contiguous === null || index > this.contiguous) {
      this.contiguous = index;
    }
    for (const [held, event] of [...this.held].sort(([a], [b]) => a - b)) {
      if (held <= this.contiguous) {
        this.held.delete(held);
        this.deliver(event);
      }
    }
    this.#drain();
  }

  /** A live event. */
  offer(event) {
    if (this.contiguous === null || typeof event.index !== 'number' || event.index <= this.contiguous) {
      this.deliver(event);
      return;
    }
    this.held.set(event.index, event);
    this.#drain();
  }

  /** Stops waiting (the view closed or the connection is gone; a reconnect catches up from `contiguous`). */
  cancel() {
    clearTimeout(this.timer);
    this.timer = null;
    this.fetching = false;
  }

  get waiting() {
    return this.held.size > 0;
  }

  #drain() {
    while (this.held.has(this.contiguous + 1)) {
      const next = this.held.get(this.contiguous + 1);
      this.held.delete(this.contiguous + 1);
      this.contiguous += 1;
      this.deliver(next);
    }
    if (this.held.size === 0) {
      clearTimeout(this.timer);
      this.timer = null;
    } else if (this.timer === null && !this.fetching) {
      this.timer = setTimeout(() => this.#fetchMissing(), this.holdMs);
    }
  }

  #fetchMissing() {
    this.timer = null;
    this.fetching = true;
    // The reply is made after every held event was stored, so an index up to the highest held one that is in
    // neither the reply nor the held events is one this client may not read (a blocked event): skip it.
    const highestHeld = Math.max(...this.held.keys());
    this.fetchAfter(this.contiguous, (events, complete) => {
      this.fetching = false;
      for (const event of events) {
        if (event.index > this.contiguous) {
          this.held.set(event.index, event);
        }
      }
      const known = complete ? highestHeld : Math.max(this.contiguous, ...events.map(event => event.index));
      for (const index of [...this.held.keys()].sort((a, b) => a - b)) {
        if (index <= known) {
          const event = this.held.get(index);
          this.held.delete(index);
          this.contiguous = Math.max(this.contiguous, index);
          this.deliver(event);
        }
      }
      this.contiguous = Math.max(this.contiguous, known);
      this.#drain();
    });
  }
}
