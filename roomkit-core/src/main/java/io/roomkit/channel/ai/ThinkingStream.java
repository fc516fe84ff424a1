package io.roomkit.channel.ai;

import io.roomkit.realtime.EphemeralEventType;

import java.util.function.LongSupplier;

/**
 * The thinking events of one round. THINKING_START at the first non-empty reasoning delta; THINKING_DELTA with
 * the new text, coalesced so that a publish happens at most once per {@code window} or when
 * {@value DeltaCoalescer#COALESCE_CHARS} characters are waiting (each publish at most 1000 characters, longer
 * flushes split without loss); THINKING_END with the whole reasoning when reply text starts or the round ends.
 * Reasoning that resumes after text starts a new sequence. Events are decided under this stream's lock and
 * published after it is released ({@link OrderedPublications}), in that order.
 */
final class ThinkingStream implements AIStream {

    private final AIEvents events;
    private final String roomId;
    private final int round;
    private final DeltaCoalescer pending;
    private final OrderedPublications publications;
    private final StringBuilder all = new StringBuilder();
    private boolean open;
    private boolean finished;
    private boolean streamed;

    /** Publishes through {@code publications}, shared with the round's reply text, so that order holds across both. */
    ThinkingStream(AIEvents events, String roomId, int round, long windowMillis, LongSupplier clock,
            OrderedPublications publications) {
        this.events = events;
        this.roomId = roomId;
        this.round = round;
        this.publications = publications;
        this.pending = new DeltaCoalescer(windowMillis, clock, chunk -> publications.add(() -> events.thinking(
                roomId, EphemeralEventType.THINKING_DELTA, round, chunk, chunk.length())));
    }

    @Override
    public void thinking(String delta) {
        if (delta == null || delta.isEmpty()) {
            return;
        }
        synchronized (this) {
            if (finished) {
                return;
            }
            if (!open) {
                open = true;
                streamed = true;
                all.setLength(0);
                publications.add(() -> events.thinking(roomId, EphemeralEventType.THINKING_START, round, "", 0));
                pending.restart();
            }
            all.append(delta);
            pending.add(delta);
        }
        publications.publish();
    }

    @Override
    public void text(String delta) {
        if (delta == null || delta.isEmpty()) {
            return;
        }
        synchronized (this) {
            if (open) {
                end();
            }
        }
        publications.publish();
    }

    /**
     * Ends an open sequence at the end of the round; later deltas are ignored (a provider that timed out may
     * still be streaming on its own thread).
     */
    void finish() {
        synchronized (this) {
            finished = true;
            if (open) {
                end();
            }
        }
        publications.publish();
    }

    /** Whether any reasoning came through this stream (so a returned reasoning is not published twice). */
    synchronized boolean streamed() {
        return streamed;
    }

    private void end() {
        pending.flush();
        String reasoning = all.toString();
        publications.add(() -> events.thinking(roomId, EphemeralEventType.THINKING_END, round, reasoning,
                reasoning.length()));
        open = false;
    }
}
