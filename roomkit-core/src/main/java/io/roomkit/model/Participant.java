package io.roomkit.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A member of a room, one per (room, participant id).
 *
 * @param roomId      the room
 * @param id          the participant id (the {@code senderId} of the messages they send)
 * @param channelId   their primary channel, or {@code null}
 * @param displayName a name to show, or {@code null}
 * @param role        {@code OWNER}s may delete anyone's message as {@code ADMIN}
 * @param status      membership status
 * @param joinedAt    when they joined
 * @param metadata    free-form
 */
public record Participant(String roomId, String id, String channelId, String displayName, ParticipantRole role,
        ParticipantStatus status, Instant joinedAt, Map<String, Object> metadata) {

    public Participant {
        Objects.requireNonNull(roomId, "roomId");
        ContentRules.requireNoNul(ContentRules.requireNonBlank(id, "participant.id"), "participant.id");
        ContentRules.requireNoNul(channelId, "participant.channel_id");
        role = role == null ? ParticipantRole.MEMBER : role;
        status = status == null ? ParticipantStatus.ACTIVE : status;
        joinedAt = joinedAt == null ? Timestamps.now() : Timestamps.micros(joinedAt);
        metadata = ContentRules.copy(metadata);
    }

    /** An active participant with the given role. */
    public static Participant of(String roomId, String id, ParticipantRole role) {
        return new Participant(roomId, id, null, null, role, ParticipantStatus.ACTIVE, null, Map.of());
    }

    public boolean isActive() {
        return status == ParticipantStatus.ACTIVE;
    }
}
