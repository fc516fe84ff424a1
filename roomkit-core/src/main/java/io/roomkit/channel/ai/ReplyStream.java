package io.roomkit.channel.ai;

import java.util.function.LongSupplier;

/**
 * What a provider streams during one round, published as it comes: thinking deltas through the round's
 * {@link ThinkingStream}, and reply text as CUSTOM {@code {kind: "ai_text_delta", text, round, channel_id}} events,
 * coalesced like thinking deltas (at most one per window, longer pieces split without loss), so clients can show the
 * answer growing. The concatenated deltas are the reply the channel then stores once, as a message. Thinking and
 * text events share one {@link OrderedPublications}: published in the order decided, never under a lock.
 */
final class ReplyStream implements AIStream {

    private final ThinkingStream thinking;
    private final DeltaCoalescer text;
    private final OrderedPublications publications = new OrderedPublications();
    private boolean finished;

    ReplyStream(AIEvents events, String roomId, int round, long windowMillis, LongSupplier clock) {
        this.thinking = new ThinkingStream(events, roomId, round, windowMillis, clock, publications);
        this.text = new DeltaCoalescer(windowMillis, clock,
                chunk -> publications.add(() -> events.textDelta(roomId, round, chunk)));
    }

    @Override
    public void thinking(String delta) {
        thinking.thinking(delta);
    }

    @Override
    public void text(String delta) {
        if (delta == null || delta.isEmpty()) {
            return;
        }
        thinking.text(delta); // reply text ends the thinking phase first
        synchronized (this) {
            if (!finished) {
                text.add(delta);
            }
        }
        publications.publish();
    }

    /**
     * Publishes what is waiting and ends an open thinking sequence; later deltas are ignored (a provider that
     * timed out may still be streaming on its own thread).
     */
    void finish() {
        thinking.finish();
        synchronized (this) {
            if (!finished) {
                finished = true;
                text.flush();
            }
        }
        publications.publish();
    }

    /** Whether any reasoning came through this stream (so a returned reasoning is not published twice). */
    boolean streamedThinking() {
        return thinking.streamed();
    }
}
