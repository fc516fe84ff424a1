package io.roomkit.pipeline;

import io.roomkit.model.DeleteContent;
import io.roomkit.model.DeleteType;
import io.roomkit.model.EditContent;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.TextContent;

/** Short builders for the inbound messages the pipeline tests send. */
final class Messages {

    private Messages() {
    }

    static InboundMessage text(String channelId, String senderId, String body) {
        return InboundMessage.text(channelId, senderId, body);
    }

    static InboundMessage keyed(String channelId, String senderId, String body, String idempotencyKey) {
        return InboundMessage.builder().channelId(channelId).senderId(senderId).content(new TextContent(body))
                .idempotencyKey(idempotencyKey).build();
    }

    static InboundMessage reply(String channelId, String senderId, String body, String parentEventId) {
        return InboundMessage.builder().channelId(channelId).senderId(senderId).content(new TextContent(body))
                .parentEventId(parentEventId).build();
    }

    static InboundMessage edit(String channelId, String senderId, String targetId, String newBody) {
        return edit(channelId, senderId, targetId, newBody, null);
    }

    static InboundMessage edit(String channelId, String senderId, String targetId, String newBody,
            String editSource) {
        return InboundMessage.builder().channelId(channelId).senderId(senderId).eventType(EventType.EDIT)
                .content(new EditContent(targetId, new TextContent(newBody), editSource)).build();
    }

    static InboundMessage delete(String channelId, String senderId, String targetId) {
        return delete(channelId, senderId, targetId, DeleteType.SENDER, null);
    }

    static InboundMessage delete(String channelId, String senderId, String targetId, DeleteType type,
            String reason) {
        return InboundMessage.builder().channelId(channelId).senderId(senderId).eventType(EventType.DELETE)
                .content(new DeleteContent(targetId, type, reason)).build();
    }
}
