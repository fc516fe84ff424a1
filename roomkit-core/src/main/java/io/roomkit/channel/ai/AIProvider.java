package io.roomkit.channel.ai;

/**
 * A model behind an {@link AIChannel}: Spring AI, a vendor SDK, or the deterministic
 * {@link ScriptedAIProvider}. One call is one generation; the channel runs the tool loop around it.
 */
@FunctionalInterface
public interface AIProvider {

    /**
     * Generates the next step of a turn. A streaming provider reports deltas to {@code stream} as they come;
     * a non-streaming one ignores it and returns its reasoning in {@link AIResponse#reasoning()}.
     */
    AIResponse generate(AIRequest request, AIStream stream) throws Exception;
}
