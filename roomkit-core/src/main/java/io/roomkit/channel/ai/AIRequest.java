package io.roomkit.channel.ai;

import java.util.List;

/**
 * What an {@link AIChannel} asks its provider for in one round.
 *
 * @param systemPrompt instructions, or {@code null}
 * @param messages     the conversation so far, oldest first, ending with this turn's tool results if any
 * @param tools        the tools the model may ask for
 * @param round        0 for the first generation of a turn, then one more per tool round
 */
public record AIRequest(String systemPrompt, List<AIMessage> messages, List<AITool> tools, int round) {

    public AIRequest {
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
    }

    /** The text of the newest user message, or {@code ""}. */
    public String lastUserText() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == AIMessage.Role.USER) {
                return messages.get(i).content();
            }
        }
        return "";
    }
}
