package io.roomkit.channel.ai;

import java.util.List;

/**
 * What a provider returned for one round: text, tool calls, or both, and the model's reasoning if it
 * exposes it.
 *
 * @param text      the reply text ({@code ""} when the model only calls tools)
 * @param toolCalls the tools the model asks for; empty ends the turn
 * @param reasoning the reasoning text, or {@code null}; ignored when it was streamed through
 *                  {@link AIStream#thinking}
 */
public record AIResponse(String text, List<ToolCall> toolCalls, String reasoning) {

    public AIResponse {
        text = text == null ? "" : text;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public static AIResponse text(String text) {
        return new AIResponse(text, List.of(), null);
    }

    public static AIResponse tools(List<ToolCall> toolCalls) {
        return new AIResponse("", toolCalls, null);
    }
}
