package io.roomkit.model;

import io.roomkit.InvalidInputException;

import java.util.Map;

/**
 * A persisted record of an AI tool call ({@link EventType#TOOL_CALL_START} / {@link EventType#TOOL_CALL_END}).
 * {@code status} is {@code pending}, {@code completed} or {@code failed}.
 */
public record ToolCallContent(String toolName, String toolId, Map<String, Object> arguments, Object result,
        String status, Long durationMs, String error, Map<String, Object> structuredContent) implements EventContent {

    public static final String TYPE = "tool_call";

    public ToolCallContent {
        ContentRules.requireNonBlank(toolName, "tool_call.tool_name");
        ContentRules.requireNonBlank(toolId, "tool_call.tool_id");
        arguments = ContentRules.copy(arguments);
        status = status == null ? "pending" : status;
        if (!status.equals("pending") && !status.equals("completed") && !status.equals("failed")) {
            throw InvalidInputException.content("tool_call.status must be pending, completed or failed");
        }
        ContentRules.requireNonNegative(durationMs, "tool_call.duration_ms");
        structuredContent = structuredContent == null ? null : ContentRules.copy(structuredContent);
    }

    /** A pending call. */
    public static ToolCallContent pending(String toolName, String toolId, Map<String, Object> arguments) {
        return new ToolCallContent(toolName, toolId, arguments, null, "pending", null, null, null);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> map = ContentRules.tagged(TYPE);
        map.put("tool_name", toolName);
        map.put("tool_id", toolId);
        map.put("arguments", arguments);
        map.put("result", result);
        map.put("status", status);
        map.put("duration_ms", durationMs);
        map.put("error", error);
        map.put("structured_content", structuredContent);
        return map;
    }

    static ToolCallContent read(MapReader in) {
        return new ToolCallContent(in.requiredString("tool_name"), in.requiredString("tool_id"), in.map("arguments"),
                in.rawValue("result"), in.string("status"), in.optionalLong("duration_ms"), in.string("error"),
                in.has("structured_content") ? in.map("structured_content") : null);
    }
}
