package io.roomkit.realtime;

import io.roomkit.InvalidInputException;
import io.roomkit.model.ImmutableMaps;
import io.roomkit.model.MapReader;
import io.roomkit.model.RandomIds;
import io.roomkit.model.Timestamps;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A realtime event that is published and never stored: typing, presence, reactions, read receipts, AI
 * tool-call and thinking indicators, custom events. Delivery is at-most-once.
 *
 * @param id        32 lower-case hex characters
 * @param roomId    the room it concerns
 * @param type      what kind of event
 * @param userId    who it is about
 * @param channelId the channel involved, or {@code null}
 * @param data      the type's payload (DESIGN §3): unmodifiable, {@code null} values kept
 * @param timestamp when it happened, kept to microseconds (the wire precision)
 */
public record EphemeralEvent(String id, String roomId, EphemeralEventType type, String userId, String channelId,
        Map<String, Object> data, Instant timestamp) {

    public EphemeralEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(userId, "userId");
        // no copy of a map that cannot change (Map.of, another event's data): see ImmutableMaps
        data = ImmutableMaps.copyOf(data);
        timestamp = timestamp == null ? Timestamps.now() : Timestamps.micros(timestamp);
    }

    /** A new event with a random id, no channel and the current time. */
    public static EphemeralEvent of(String roomId, EphemeralEventType type, String userId, Map<String, ?> data) {
        return of(roomId, type, userId, null, data);
    }

    /** A new event with a random id and the current time. */
    @SuppressWarnings("unchecked")
    public static EphemeralEvent of(String roomId, EphemeralEventType type, String userId, String channelId,
            Map<String, ?> data) {
        // one clock read for both the timestamp and the id's time field: on some machines it costs 100 ns
        Instant now = Timestamps.now();
        return new EphemeralEvent(RandomIds.next(now.toEpochMilli()), roomId, type, userId, channelId,
                (Map<String, Object>) data, now);
    }

    /**
     * The wire form, equal to the Python RoomKit's {@code to_dict}: keys {@code id}, {@code room_id},
     * {@code type}, {@code user_id}, {@code channel_id}, {@code data}, {@code timestamp}.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", id);
        map.put("room_id", roomId);
        map.put("type", type.value());
        map.put("user_id", userId);
        map.put("channel_id", channelId);
        map.put("data", data);
        map.put("timestamp", Timestamps.format(timestamp));
        return map;
    }

    /**
     * Reads the wire form ({@code from_dict}). {@code id} and {@code timestamp} get defaults when absent;
     * missing required keys or wrong types raise an {@code invalid_content} {@link io.roomkit.InvalidInputException}.
     */
    public static EphemeralEvent fromMap(Map<String, ?> map) {
        MapReader in = MapReader.of(map, "ephemeral event");
        String id = in.string("id");
        EphemeralEventType type = in.wireEnum("type", EphemeralEventType.class, null);
        if (type == null) {
            throw InvalidInputException.content("ephemeral event.type is required");
        }
        // in.map already returns an immutable snapshot, which the constructor keeps without a second copy
        return new EphemeralEvent(id == null ? newId() : id, in.requiredString("room_id"), type,
                in.requiredString("user_id"), in.string("channel_id"), in.map("data"), in.instant("timestamp"));
    }

    private static String newId() {
        return RandomIds.next();
    }
}
