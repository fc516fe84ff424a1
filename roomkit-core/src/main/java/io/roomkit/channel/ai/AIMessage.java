package io.roomkit.channel.ai;

import java.util.List;
import java.util.Objects;

/**
 * One message of the conversation sent to a model.
 *
 * @param role       who speaks
 * @param content    the text
 * @param toolCalls  for an assistant message, the tools it asked for
 * @param toolCallId for a tool message, the call it answers
 * @param name       for a user message, who wrote it; for a tool message, the tool
 */
public record AIMessage(Role role, String content, List<ToolCall> toolCalls, String toolCallId, String name) {

    public AIMessage {
        Objects.requireNonNull(role, "role");
        content = content == null ? "" : content;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    /** Who speaks. */
    public enum Role {
        USER, ASSISTANT, TOOL
    }

    public static AIMessage user(String name, String content) {
        return new AIMessage(Role.USER, content, List.of(), null, name);
    }

    public static AIMessage assistant(String content, List<ToolCall> toolCalls) {
        return new AIMessage(Role.ASSISTANT, content, toolCalls, null, null);
    }

    public static AIMessage tool(ToolCall call, String result) {
        return new AIMessage(Role.TOOL, result, List.of(), call.id(), call.name());
    }
}
