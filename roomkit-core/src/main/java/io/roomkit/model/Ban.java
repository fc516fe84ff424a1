package io.roomkit.model;

import io.roomkit.InvalidInputException;

import java.time.Instant;
import java.util.Objects;

/**
 * A ban of a user from a room: while it stands, the user is no participant of the room and cannot join it
 * again (not even a room every user may join). Kept apart from the participant row, so that removing or
 * re-adding participants never lifts a ban by accident; only {@code unbanParticipant} does.
 *
 * @param roomId        the room
 * @param participantId the banned user
 * @param reason        why, as the moderator gave it, or {@code null}
 * @param bannedBy      the moderator's participant id, or {@code null} when the application banned them
 * @param bannedAt      when
 */
public record Ban(String roomId, String participantId, String reason, String bannedBy, Instant bannedAt) {

    public Ban {
        Objects.requireNonNull(roomId, "roomId");
        ContentRules.requireNoNul(ContentRules.requireNonBlank(participantId, "ban.participant_id"),
                "ban.participant_id");
        ContentRules.requireNoNul(bannedBy, "ban.banned_by");
        ContentRules.requireNoNul(reason, "ban.reason");
        ContentRules.requireWellFormed(reason, "ban.reason");
        if (reason != null && reason.length() > MAX_REASON) {
            throw InvalidInputException.argument("ban.reason is longer than " + MAX_REASON + " characters");
        }
        bannedAt = bannedAt == null ? Timestamps.now() : Timestamps.micros(bannedAt);
    }

    /** Longest reason kept, in characters. */
    public static final int MAX_REASON = 1000;

    /** A ban made now. */
    public static Ban of(String roomId, String participantId, String reason, String bannedBy) {
        return new Ban(roomId, participantId, reason, bannedBy, null);
    }
}
