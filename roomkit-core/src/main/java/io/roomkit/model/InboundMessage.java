package io.roomkit.model;

import java.util.Map;
import java.util.Objects;

/**
 * A message as a channel receives it, before the pipeline turns it into a {@link RoomEvent}. Ids and the
 * idempotency key with a NUL character are refused ({@code invalid_argument}), and so are content and metadata
 * with a lone UTF-16 surrogate ({@code invalid_content}), whatever the store.
 *
 * @param channelId      the registered channel it arrived on
 * @param senderId       who sent it; becomes {@code source.participantId}
 * @param content        what was sent
 * @param eventType      {@code MESSAGE} unless this is an {@code EDIT}, a {@code DELETE} or another type
 * @param idempotencyKey per-room deduplication key, or {@code null}
 * @param parentEventId  the thread it replies to, or {@code null}
 * @param externalId     the sender's id on the transport, or {@code null}
 * @param metadata       free-form, copied onto the event
 */
public record InboundMessage(String channelId, String senderId, EventContent content, EventType eventType,
        String idempotencyKey, String parentEventId, String externalId, Map<String, Object> metadata) {

    public InboundMessage {
        ContentRules.requireNoNul(ContentRules.requireNonBlank(channelId, "channel_id"), "channel_id");
        Objects.requireNonNull(content, "content");
        ContentRules.requireNoNul(senderId, "sender_id");
        ContentRules.requireNoNul(idempotencyKey, "idempotency_key");
        ContentRules.requireNoNul(parentEventId, "parent_event_id");
        ContentRules.requireNoNul(externalId, "external_id");
        eventType = eventType == null ? EventType.MESSAGE : eventType;
        metadata = ContentRules.copy(metadata);
        // one representation everywhere: what cannot be stored as UTF-8 is refused before anything happens
        ContentRules.requireWellFormed(content.toMap(), "content");
        ContentRules.requireWellFormed(metadata, "metadata");
    }

    /** A text message. */
    public static InboundMessage text(String channelId, String senderId, String body) {
        return builder().channelId(channelId).senderId(senderId).content(new TextContent(body)).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link InboundMessage}s; {@code channelId} and {@code content} are required. */
    public static final class Builder {

        private String channelId;
        private String senderId;
        private EventContent content;
        private EventType eventType = EventType.MESSAGE;
        private String idempotencyKey;
        private String parentEventId;
        private String externalId;
        private Map<String, Object> metadata = Map.of();

        private Builder() {
        }

        public Builder channelId(String channelId) {
            this.channelId = channelId;
            return this;
        }

        public Builder senderId(String senderId) {
            this.senderId = senderId;
            return this;
        }

        public Builder content(EventContent content) {
            this.content = content;
            return this;
        }

        public Builder eventType(EventType eventType) {
            this.eventType = eventType;
            return this;
        }

        public Builder idempotencyKey(String idempotencyKey) {
            this.idempotencyKey = idempotencyKey;
            return this;
        }

        public Builder parentEventId(String parentEventId) {
            this.parentEventId = parentEventId;
            return this;
        }

        public Builder externalId(String externalId) {
            this.externalId = externalId;
            return this;
        }

        public Builder metadata(Map<String, ?> metadata) {
            this.metadata = ContentRules.copy(metadata);
            return this;
        }

        public InboundMessage build() {
            return new InboundMessage(channelId, senderId, content, eventType, idempotencyKey, parentEventId,
                    externalId, metadata);
        }
    }
}
