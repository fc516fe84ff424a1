package io.roomkit.model;

import java.time.Instant;

/**
 * One user's reaction to one event with one emoji, as stored: a user reacts at most once with a given emoji to a
 * given event, so adding it again changes nothing.
 *
 * @param roomId    the event's room
 * @param eventId   the event reacted to
 * @param userId    who reacted
 * @param emoji     the reaction, up to {@value #MAX_EMOJI_LENGTH} characters
 * @param createdAt when it was added, kept to microseconds
 */
public record Reaction(String roomId, String eventId, String userId, String emoji, Instant createdAt) {

    /** Longest emoji (or short code) a reaction may have. */
    public static final int MAX_EMOJI_LENGTH = 64;

    public Reaction {
        ContentRules.requireNoNul(ContentRules.requireNonBlank(roomId, "reaction.room_id"), "reaction.room_id");
        ContentRules.requireNoNul(ContentRules.requireNonBlank(eventId, "reaction.event_id"), "reaction.event_id");
        ContentRules.requireNoNul(ContentRules.requireNonBlank(userId, "reaction.user_id"), "reaction.user_id");
        ContentRules.requireNoNul(ContentRules.requireNonBlank(emoji, "reaction.emoji"), "reaction.emoji");
        if (emoji.length() > MAX_EMOJI_LENGTH) {
            throw io.roomkit.InvalidInputException.content("reaction.emoji is longer than " + MAX_EMOJI_LENGTH
                    + " characters");
        }
        createdAt = createdAt == null ? Timestamps.now() : Timestamps.micros(createdAt);
    }

    /** A reaction added now. */
    public static Reaction of(String roomId, String eventId, String userId, String emoji) {
        return new Reaction(roomId, eventId, userId, emoji, null);
    }
}
