package io.roomkit.channel.ai;

import io.roomkit.model.ChannelType;
import io.roomkit.model.EventSource;
import io.roomkit.model.EventType;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;
import io.roomkit.model.ToolCallContent;

import java.util.ArrayList;
import java.util.List;

/**
 * The answers of one turn of an {@link AIChannel}, built in order and sharing a correlation id, in the thread
 * of the message that triggered the turn: its reply texts, and a TOOL_CALL_START and TOOL_CALL_END event per
 * tool call.
 */
final class TurnAnswers {

    private final String channelId;
    private final RoomEvent trigger;
    private final String correlationId;
    private final List<RoomEvent> answers = new ArrayList<>();

    TurnAnswers(String channelId, RoomEvent trigger, String correlationId) {
        this.channelId = channelId;
        this.trigger = trigger;
        this.correlationId = correlationId;
    }

    /** Adds a reply unless {@code text} is blank; {@code loopEndReason} marks a turn cut short, or is null. */
    void reply(String text, String loopEndReason) {
        if (text.isBlank()) {
            return;
        }
        RoomEvent.Builder reply = answer(EventType.MESSAGE).content(new TextContent(text));
        if (loopEndReason != null) {
            reply.putMetadata("loop_end_reason", loopEndReason);
        }
        answers.add(reply.build());
    }

    void toolCall(ToolResult result, long durationMs) {
        ToolCall call = result.call();
        answers.add(answer(EventType.TOOL_CALL_START)
                .content(ToolCallContent.pending(call.name(), call.id(), call.arguments())).build());
        answers.add(answer(EventType.TOOL_CALL_END).content(new ToolCallContent(call.name(), call.id(),
                call.arguments(), result.text(), result.failed() ? "failed" : "completed", durationMs,
                result.failed() ? result.text() : null, null)).build());
    }

    private RoomEvent.Builder answer(EventType type) {
        return RoomEvent.builder().roomId(trigger.roomId()).type(type)
                .source(new EventSource(channelId, ChannelType.AI, channelId)).correlationId(correlationId)
                .parentEventId(trigger.parentEventId());
    }

    List<RoomEvent> answers() {
        return List.copyOf(answers);
    }
}
