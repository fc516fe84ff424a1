package io.roomkit.channel.ai;

import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import io.roomkit.realtime.RealtimeBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Publishes an AI channel's TOOL_CALL_* and THINKING_* events with the reference payloads. Best effort:
 * without a backend, or when publishing fails, nothing happens and the reply goes on.
 */
final class AIEvents {

    /** Longest thinking text in one event. */
    static final int THINKING_PREVIEW_LIMIT = 1000;
    /** {@code data.kind} of the CUSTOM events that carry reply text as it is generated. */
    static final String TEXT_DELTA = "ai_text_delta";
    /** Longest tool result in a TOOL_CALL_END event. */
    static final int TOOL_RESULT_LIMIT = 500;

    private static final Logger log = LoggerFactory.getLogger(AIEvents.class);

    private final String channelId;
    private final Supplier<RealtimeBackend> realtime;

    AIEvents(String channelId, Supplier<RealtimeBackend> realtime) {
        this.channelId = channelId;
        this.realtime = realtime;
    }

    void thinking(String roomId, EphemeralEventType type, int round, String text, int fullLength) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("thinking", truncate(text, THINKING_PREVIEW_LIMIT));
        data.put("thinking_length", fullLength);
        data.put("round", round);
        data.put("channel_id", channelId);
        publish(roomId, type, data);
    }

    void toolCallStart(String roomId, int round, List<ToolCall> calls) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tool_calls", calls.stream().map(ToolCall::toMap).toList());
        data.put("channel_id", channelId);
        data.put("round", round);
        publish(roomId, EphemeralEventType.TOOL_CALL_START, data);
    }

    void toolCallEnd(String roomId, int round, List<ToolResult> results, long durationMs) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tool_calls", results.stream().map(result -> {
            Map<String, Object> call = new LinkedHashMap<>();
            call.put("id", result.call().id());
            call.put("name", result.call().name());
            call.put("result", truncate(result.text(), TOOL_RESULT_LIMIT));
            return call;
        }).toList());
        data.put("channel_id", channelId);
        data.put("round", round);
        data.put("duration_ms", durationMs);
        publish(roomId, EphemeralEventType.TOOL_CALL_END, data);
    }

    /** The reply being written: CUSTOM {@code {kind: "ai_text_delta", text, round, channel_id}}. */
    void textDelta(String roomId, int round, String text) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("kind", TEXT_DELTA);
        data.put("text", text);
        data.put("round", round);
        data.put("channel_id", channelId);
        publish(roomId, EphemeralEventType.CUSTOM, data);
    }

    /**
     * A turn that ended without a full answer: CUSTOM {@code {kind: "ai_error", code, message, channel_id,
     * round}}, so that a UI can say so where it showed "thinking…". {@code code} is {@code ai_timeout} or
     * {@code ai_failed}.
     */
    void error(String roomId, int round, String code, String message) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("kind", "ai_error");
        data.put("code", code);
        data.put("message", message);
        data.put("channel_id", channelId);
        data.put("round", round);
        publish(roomId, EphemeralEventType.CUSTOM, data);
    }

    private void publish(String roomId, EphemeralEventType type, Map<String, Object> data) {
        RealtimeBackend backend = realtime.get();
        if (backend == null) {
            return;
        }
        try {
            backend.publishToRoom(roomId, EphemeralEvent.of(roomId, type, channelId, channelId, data));
        }
        catch (RuntimeException ex) {
            log.debug("AI channel {} could not publish {} in room {}", channelId, type.value(), roomId, ex);
        }
    }

    static String truncate(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, limit);
    }
}
