package io.roomkit.model;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A persistent event of a room's timeline: stored, indexed and broadcast. Instances are immutable
 * snapshots; change one with {@link #toBuilder()}.
 *
 * @param id             32 lower-case hex characters
 * @param roomId         the room
 * @param index          position in the room's timeline, assigned at commit: from 0, gapless, never reused
 * @param type           what kind of event
 * @param source         channel and participant it came from
 * @param content        the content, tagged by type
 * @param status         {@code DELIVERED} or {@code BLOCKED} once stored
 * @param metadata       free-form; {@code edited}, {@code edited_at}, {@code deleted}, {@code delete_type},
 *                       {@code deleted_by}, {@code reason} are set by edits and deletes
 * @param createdAt      when the event was created, kept to microseconds
 * @param parentEventId  thread root, or {@code null}
 * @param idempotencyKey per-room deduplication key, or {@code null}
 * @param blockedBy      for {@code BLOCKED} events, the hook name or the gate that blocked it
 * @param chainDepth     number of AI hops that led to this event (0 for people)
 * @param correlationId  groups the events of one AI turn, or {@code null}
 * @param reactions      the message's reactions by emoji, as {@link io.roomkit.RoomKit#events} read them; empty
 *                       when there are none or the event was not read that way (a store keeps them apart)
 * @param thread         for a thread's root, its replies as {@link io.roomkit.RoomKit#events} read them, else
 *                       {@code null}
 */
public record RoomEvent(String id, String roomId, long index, EventType type, EventSource source, EventContent content,
        EventStatus status, Map<String, Object> metadata, Instant createdAt, String parentEventId,
        String idempotencyKey, String blockedBy, int chainDepth, String correlationId,
        Map<String, ReactionSummary> reactions, ThreadSummary thread) {

    /** The metadata key of the users a message mentions (a list of user ids). */
    public static final String MENTIONS = "mentions";

    public RoomEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(content, "content");
        status = status == null ? EventStatus.PENDING : status;
        metadata = ContentRules.copy(metadata);
        createdAt = createdAt == null ? Timestamps.now() : Timestamps.micros(createdAt);
        reactions = reactions == null || reactions.isEmpty() ? Map.of()
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(reactions));
    }

    /** An event without reactions or thread summary: what a store holds. */
    public RoomEvent(String id, String roomId, long index, EventType type, EventSource source, EventContent content,
            EventStatus status, Map<String, Object> metadata, Instant createdAt, String parentEventId,
            String idempotencyKey, String blockedBy, int chainDepth, String correlationId) {
        this(id, roomId, index, type, source, content, status, metadata, createdAt, parentEventId, idempotencyKey,
                blockedBy, chainDepth, correlationId, Map.of(), null);
    }

    /** This event with the reactions and thread summary read with it. */
    public RoomEvent withSummaries(Map<String, ReactionSummary> reactions, ThreadSummary thread) {
        return new RoomEvent(id, roomId, index, type, source, content, status, metadata, createdAt, parentEventId,
                idempotencyKey, blockedBy, chainDepth, correlationId, reactions, thread);
    }

    /** A new random event id: 32 lower-case hex characters. */
    public static String newId() {
        return RandomIds.next();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Whether a delete has marked this event {@code metadata.deleted=true}. */
    public boolean isDeleted() {
        return Boolean.TRUE.equals(metadata.get("deleted"));
    }

    /** Whether an edit has marked this event {@code metadata.edited=true}. */
    public boolean isEdited() {
        return Boolean.TRUE.equals(metadata.get("edited"));
    }

    /**
     * The users this event mentions: the strings of its {@code metadata.mentions} list (what clients send as
     * {@code mentions}); empty when there are none.
     */
    public java.util.List<String> mentions() {
        if (!(metadata.get(MENTIONS) instanceof java.util.List<?> mentioned)) {
            return java.util.List.of();
        }
        return mentioned.stream().filter(String.class::isInstance).map(String.class::cast).distinct().toList();
    }

    /** Whether this event mentions {@code userId}. */
    public boolean mentions(String userId) {
        return metadata.get(MENTIONS) instanceof java.util.List<?> mentioned && mentioned.contains(userId);
    }

    /** The event an EDIT or DELETE targets, or {@code null} for every other event. */
    public String targetEventId() {
        if (content instanceof EditContent edit) {
            return edit.targetEventId();
        }
        if (content instanceof DeleteContent delete) {
            return delete.targetEventId();
        }
        return null;
    }

    /** The snake_case wire form (DESIGN §4). */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", id);
        map.put("room_id", roomId);
        map.put("index", index);
        map.put("type", type.value());
        map.put("source", source.toMap());
        map.put("content", content.toMap());
        map.put("status", status.value());
        map.put("metadata", metadata);
        map.put("created_at", Timestamps.format(createdAt));
        map.put("parent_event_id", parentEventId);
        map.put("idempotency_key", idempotencyKey);
        map.put("blocked_by", blockedBy);
        map.put("chain_depth", chainDepth);
        map.put("correlation_id", correlationId);
        if (!reactions.isEmpty()) {
            Map<String, Object> byEmoji = new LinkedHashMap<>();
            reactions.forEach((emoji, summary) -> byEmoji.put(emoji, summary.toMap()));
            map.put("reactions", byEmoji);
        }
        if (thread != null) {
            map.put("thread", thread.toMap());
        }
        return map;
    }

    /** Reads the form written by {@link #toMap()}. */
    public static RoomEvent fromMap(Map<String, ?> map) {
        MapReader in = MapReader.of(map, "event");
        Long index = in.optionalLong("index");
        Long chainDepth = in.optionalLong("chain_depth");
        return new RoomEvent(in.requiredString("id"), in.requiredString("room_id"), index == null ? 0 : index,
                in.wireEnum("type", EventType.class, EventType.MESSAGE), EventSource.fromMap(in.requiredMap("source")),
                EventContent.fromMap(in.requiredMap("content")),
                in.wireEnum("status", EventStatus.class, EventStatus.PENDING), in.map("metadata"),
                in.instant("created_at"), in.string("parent_event_id"), in.string("idempotency_key"),
                in.string("blocked_by"), chainDepth == null ? 0 : chainDepth.intValue(), in.string("correlation_id"),
                reactions(in.map("reactions")), in.map("thread").isEmpty() ? null
                        : ThreadSummary.fromMap(MapReader.of(in.map("thread"), "event.thread")));
    }

    private static Map<String, ReactionSummary> reactions(Map<String, Object> byEmoji) {
        Map<String, ReactionSummary> reactions = new LinkedHashMap<>();
        byEmoji.forEach((emoji, summary) -> {
            if (summary instanceof Map<?, ?> fields) {
                @SuppressWarnings("unchecked")
                Map<String, ?> typed = (Map<String, ?>) fields;
                reactions.put(emoji, ReactionSummary.fromMap(MapReader.of(typed, "event.reactions")));
            }
        });
        return reactions;
    }

    /**
     * Builds {@link RoomEvent}s; {@code id}, {@code status} and {@code createdAt} have defaults. Reactions and the
     * thread summary are not carried over by {@link #toBuilder()}: they describe the event as it was read, and a
     * changed event is read again ({@link #withSummaries}).
     */
    public static final class Builder {

        private String id;
        private String roomId;
        private long index;
        private EventType type = EventType.MESSAGE;
        private EventSource source;
        private EventContent content;
        private EventStatus status = EventStatus.PENDING;
        private Map<String, Object> metadata = Map.of();
        private Instant createdAt;
        private String parentEventId;
        private String idempotencyKey;
        private String blockedBy;
        private int chainDepth;
        private String correlationId;

        private Builder() {
        }

        private Builder(RoomEvent event) {
            id = event.id;
            roomId = event.roomId;
            index = event.index;
            type = event.type;
            source = event.source;
            content = event.content;
            status = event.status;
            metadata = event.metadata;
            createdAt = event.createdAt;
            parentEventId = event.parentEventId;
            idempotencyKey = event.idempotencyKey;
            blockedBy = event.blockedBy;
            chainDepth = event.chainDepth;
            correlationId = event.correlationId;
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder roomId(String roomId) {
            this.roomId = roomId;
            return this;
        }

        public Builder index(long index) {
            this.index = index;
            return this;
        }

        public Builder type(EventType type) {
            this.type = type;
            return this;
        }

        public Builder source(EventSource source) {
            this.source = source;
            return this;
        }

        public Builder content(EventContent content) {
            this.content = content;
            return this;
        }

        public Builder status(EventStatus status) {
            this.status = status;
            return this;
        }

        public Builder metadata(Map<String, ?> metadata) {
            this.metadata = ContentRules.copy(metadata);
            return this;
        }

        /** Adds or replaces one metadata entry, keeping the others (the result is copied once, in the event). */
        public Builder putMetadata(String key, Object value) {
            Map<String, Object> copy = new LinkedHashMap<>(metadata);
            copy.put(key, value);
            this.metadata = copy;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder parentEventId(String parentEventId) {
            this.parentEventId = parentEventId;
            return this;
        }

        public Builder idempotencyKey(String idempotencyKey) {
            this.idempotencyKey = idempotencyKey;
            return this;
        }

        public Builder blockedBy(String blockedBy) {
            this.blockedBy = blockedBy;
            return this;
        }

        public Builder chainDepth(int chainDepth) {
            this.chainDepth = chainDepth;
            return this;
        }

        public Builder correlationId(String correlationId) {
            this.correlationId = correlationId;
            return this;
        }

        public RoomEvent build() {
            Instant created = createdAt;
            String eventId = id;
            if (eventId == null) {
                // one clock read for both the creation time and the id's time field; a given time (an import, a
                // test) is not the id's: it would move this thread's ids away from the clock
                Instant now = Timestamps.now();
                created = created == null ? now : created;
                eventId = RandomIds.next(now.toEpochMilli());
            }
            return new RoomEvent(eventId, roomId, index, type, source, content, status, metadata, created,
                    parentEventId, idempotencyKey, blockedBy, chainDepth, correlationId);
        }
    }
}
