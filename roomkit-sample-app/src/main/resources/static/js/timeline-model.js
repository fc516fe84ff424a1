// The persistent events of one room as the browser knows them: messages by id, in index order, with edits and
// deletes applied. Events can arrive twice (live and in a catch-up page) and out of order (a catch-up page after
// newer live events); absorbing is idempotent and an edit only applies when it is newer than the last one applied.
// An AI assistant's tool calls are kept as their tool_call_end events (one line each, not a message).

export class Timeline {
  constructor() {
    this.entries = new Map();
    this.minIndex = Infinity;
    this.maxIndex = -1;
    this.replies = new Map(); // root id -> Map(reply id -> index), the replies this browser has seen
    this.threadSeeds = new Map(); // root id -> { count, asOf }: the server's count as of an index
  }

  /**
   * The server's reply count of a root, as a history page carried it: replies up to `asOf` (the room's latest
   * index when the page was read) are in it; replies seen later add to it.
   */
  seedThread(rootId, count, asOf) {
    this.threadSeeds.set(rootId, { count, asOf });
  }

  /** How many replies a root has, as far as this browser knows. */
  replyCount(rootId) {
    const seen = this.replies.get(rootId) ?? new Map();
    const seed = this.threadSeeds.get(rootId);
    if (!seed) {
      return seen.size;
    }
    let later = 0;
    seen.forEach(index => { later += index > seed.asOf ? 1 : 0; });
    return seed.count + later;
  }

  /** Whether events older than the oldest known one exist (indices start at 0 and have no gaps). */
  get hasOlder() {
    return this.minIndex !== Infinity && this.minIndex > 0;
  }

  get isEmpty() {
    return this.minIndex === Infinity;
  }

  /** Takes one persistent event in its wire form; returns the entries it added or changed. */
  absorb(event) {
    if (typeof event.index === 'number') {
      this.minIndex = Math.min(this.minIndex, event.index);
      this.maxIndex = Math.max(this.maxIndex, event.index);
    }
    if (event.status === 'blocked') {
      return [];
    }
    switch (event.type) {
      case 'message':
      case 'system':
      case 'tool_call_end':
        if (this.entries.has(event.id)) {
          return [];
        }
        return [this.#add(entryOf(event)), ...this.#reply(event)];
      case 'edit':
        return this.#edit(event);
      case 'delete':
        return this.#delete(event);
      default: // tool_call_start too: the matching tool_call_end says all a reader needs
        return [];
    }
  }

  get(id) {
    return this.entries.get(id);
  }

  /** Message entries in index order. */
  sorted() {
    return [...this.entries.values()].sort((a, b) => a.index - b.index);
  }

  /** The newest entry that is a message. */
  newestMessage() {
    let newest = null;
    for (const entry of this.entries.values()) {
      if (entry.type === 'message' && (newest === null || entry.index > newest.index)) {
        newest = entry;
      }
    }
    return newest;
  }

  #add(entry) {
    this.entries.set(entry.id, entry);
    return entry;
  }

  /** A reply changes its root's count: the root is returned to be drawn again. */
  #reply(event) {
    const rootId = event.parent_event_id;
    if (event.type !== 'message' || typeof rootId !== 'string') {
      return [];
    }
    const seen = this.replies.get(rootId) ?? new Map();
    seen.set(event.id, event.index);
    this.replies.set(rootId, seen);
    const root = this.entries.get(rootId);
    return root ? [root] : [];
  }

  #edit(event) {
    const edit = event.content || {};
    const target = this.entries.get(edit.target_event_id);
    if (!target || target.deleted || event.index <= target.lastEdit || !edit.new_content) {
      return [];
    }
    target.content = edit.new_content;
    target.edited = true;
    target.lastEdit = event.index;
    return [target];
  }

  #delete(event) {
    const target = this.entries.get((event.content || {}).target_event_id);
    if (!target || target.deleted) {
      return [];
    }
    target.deleted = true;
    target.content = null;
    return [target];
  }
}

function entryOf(event) {
  const source = event.source || {};
  const metadata = event.metadata || {};
  return {
    id: event.id,
    index: event.index,
    type: event.type,
    author: source.participant_id || source.channel_id || 'system',
    bot: source.channel_type === 'ai',
    content: metadata.deleted === true ? null : event.content,
    createdAt: event.created_at,
    edited: metadata.edited === true,
    deleted: metadata.deleted === true,
    lastEdit: event.index,
    idempotencyKey: event.idempotency_key || null,
    parentId: event.parent_event_id || null,
  };
}

/** "weather → Sunny in Paris" for the content of a tool_call_end event ("weather failed: …" when it failed). */
export function toolCallText(content) {
  const name = String(content?.tool_name ?? 'tool');
  if (content?.status === 'failed') {
    return `${name} failed: ${String(content.error ?? content.result ?? '')}`;
  }
  const result = content?.result;
  const text = typeof result === 'string' ? result : JSON.stringify(result ?? '');
  return `${name} → ${text}`;
}

/** The text to show for a content object. */
export function textOf(content) {
  if (!content) {
    return '';
  }
  switch (content.type) {
    case 'text':
    case 'system':
      return content.body ?? '';
    case 'rich':
      return content.plain_text || content.body || '';
    default:
      return content.body || content.caption || content.text || `[${content.type}]`;
  }
}
