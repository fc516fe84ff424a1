package io.roomkit.channel.ai;

/**
 * Where a streaming provider reports deltas while it generates. Thinking deltas become THINKING_START /
 * THINKING_DELTA / THINKING_END events; text deltas end the thinking phase of the round.
 */
public interface AIStream {

    /** A piece of reasoning text. */
    void thinking(String delta);

    /** A piece of reply text. */
    void text(String delta);
}
