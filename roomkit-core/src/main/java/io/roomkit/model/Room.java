package io.roomkit.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A conversation space. Rooms are immutable snapshots; the kit's methods return new ones.
 *
 * @param id        caller-chosen or random; see {@link RoomIds} for the accepted characters
 * @param status    lifecycle state
 * @param metadata  free-form
 * @param createdAt when the room was created
 * @param updatedAt when it last changed
 * @param closedAt  when it was closed or archived, or {@code null}
 */
public record Room(String id, RoomStatus status, Map<String, Object> metadata, Instant createdAt, Instant updatedAt,
        Instant closedAt) {

    public Room {
        Objects.requireNonNull(id, "id");
        status = status == null ? RoomStatus.ACTIVE : status;
        metadata = ContentRules.copy(metadata);
        createdAt = createdAt == null ? Timestamps.now() : Timestamps.micros(createdAt);
        updatedAt = updatedAt == null ? createdAt : Timestamps.micros(updatedAt);
        closedAt = Timestamps.micros(closedAt);
    }

    /** A new active room. */
    public static Room create(String id) {
        return new Room(id, RoomStatus.ACTIVE, Map.of(), null, null, null);
    }

    /** Whether the room refuses new events ({@code CLOSED} or {@code ARCHIVED}). */
    public boolean refusesEvents() {
        return status == RoomStatus.CLOSED || status == RoomStatus.ARCHIVED;
    }

    /** This room with another status; closing or archiving stamps {@code closedAt} once. */
    public Room withStatus(RoomStatus newStatus) {
        Instant now = Timestamps.now();
        Instant closed = switch (newStatus) {
            case CLOSED, ARCHIVED -> closedAt == null ? now : closedAt;
            case ACTIVE, PAUSED -> null;
        };
        return new Room(id, newStatus, metadata, createdAt, now, closed);
    }

    public Room withMetadata(Map<String, ?> newMetadata) {
        return new Room(id, status, ContentRules.copy(newMetadata), createdAt, Timestamps.now(), closedAt);
    }
}
