package io.roomkit.channel.ai;

import io.roomkit.realtime.EphemeralEventType;

import java.util.function.LongSupplier;

/**
 * The thinking events of one round. THINKING_START at the first non-empty reasoning delta; THINKING_DELTA with
 * the new text, coalesced so that a publish happens at most once per {@code window} or when
 * {@value #COALESCE_CHARS} characters are waiting (each publish at most 1000 characters, longer flushes split
 * without loss); THINKING_END with the whole reasoning when reply text starts or the round ends. Reasoning that
 * resumes after text starts a new sequence.
 */
final class ThinkingStream implements AIStream {

    /** Characters that trigger a publish regardless of the window. */
    static final int COALESCE_CHARS = DeltaCoalescer.COALESCE_CHARS;

    private final AIEvents events;
    private final String roomId;
    private final int round;
    private final DeltaCoalescer pending;
    private final StringBuilder all = new StringBuilder();
    private boolean open;
    private boolean finished;
    private boolean streamed;

    ThinkingStream(AIEvents events, String roomId, int round, long windowMillis, LongSupplier clock) {
        this.events = events;
        this.roomId = roomId;
        this.round = round;
        this.pending = new DeltaCoalescer(windowMillis, clock, chunk -> events.thinking(roomId,
                EphemeralEventType.THINKING_DELTA, round, chunk, chunk.length()));
    }

    @Override
    public synchronized void thinking(String delta) {
        if (delta == null || delta.isEmpty() || finished) {
            return;
        }
        if (!open) {
            open = true;
            streamed = true;
            all.setLength(0);
            events.thinking(roomId, EphemeralEventType.THINKING_START, round, "", 0);
            pending.restart();
        }
        all.append(delta);
        pending.add(delta);
    }

    @Override
    public synchronized void text(String delta) {
        if (open && delta != null && !delta.isEmpty()) {
            end();
        }
    }

    /**
     * Ends an open sequence at the end of the round; later deltas are ignored (a provider that timed out may
     * still be streaming on its own thread).
     */
    synchronized void finish() {
        finished = true;
        if (open) {
            end();
        }
    }

    /** Whether any reasoning came through this stream (so a returned reasoning is not published twice). */
    synchronized boolean streamed() {
        return streamed;
    }

    private void end() {
        pending.flush();
        events.thinking(roomId, EphemeralEventType.THINKING_END, round, all.toString(), all.length());
        open = false;
    }
}
