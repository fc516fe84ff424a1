package io.roomkit.store;

import io.roomkit.ErrorCodes;
import io.roomkit.EventNotFoundException;
import io.roomkit.RoomKitException;
import io.roomkit.model.Reaction;
import io.roomkit.model.ReactionSummary;
import io.roomkit.model.RoomEvent;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reactions on the events of one room of the {@link InMemoryConversationStore}: users by emoji by event, in
 * the order they reacted, so that a summary names the first users.
 * <p>
 * Not thread-safe: the store calls it only under the monitor of the {@link InMemoryRoom} that holds it.
 */
final class InMemoryReactions {

    private final Map<String, Map<String, Set<String>>> reactions = new HashMap<>();

    /**
     * Adds the reaction to an event of {@code timeline}; false if the user had already reacted so. An unknown
     * event is {@code event_not_found}, a deleted one {@code target_deleted}.
     */
    boolean add(Reaction reaction, InMemoryTimeline timeline) {
        RoomEvent target = timeline.event(reaction.eventId())
                .orElseThrow(() -> new EventNotFoundException(reaction.roomId(), reaction.eventId()));
        if (target.isDeleted()) {
            throw new RoomKitException(ErrorCodes.TARGET_DELETED, "Event '" + reaction.eventId() + "' of room '"
                    + reaction.roomId() + "' is deleted and takes no reactions");
        }
        return reactions.computeIfAbsent(reaction.eventId(), id -> new LinkedHashMap<>())
                .computeIfAbsent(reaction.emoji(), emoji -> new LinkedHashSet<>()).add(reaction.userId());
    }

    boolean remove(String eventId, String userId, String emoji) {
        Map<String, Set<String>> byEmoji = reactions.get(eventId);
        Set<String> users = byEmoji == null ? null : byEmoji.get(emoji);
        if (users == null || !users.remove(userId)) {
            return false;
        }
        if (users.isEmpty()) {
            byEmoji.remove(emoji);
        }
        if (byEmoji.isEmpty()) {
            reactions.remove(eventId);
        }
        return true;
    }

    /** A deleted message keeps no reactions: forgets those of {@code deletions}' messages. */
    void forgetDeleted(List<RoomEvent> deletions) {
        deletions.forEach(deletion -> reactions.remove(deletion.id()));
    }

    Map<String, Map<String, ReactionSummary>> summaries(Collection<String> eventIds) {
        Map<String, Map<String, ReactionSummary>> summaries = new LinkedHashMap<>();
        for (String eventId : eventIds) {
            Map<String, Set<String>> byEmoji = reactions.get(eventId);
            if (byEmoji != null) {
                Map<String, ReactionSummary> summary = new LinkedHashMap<>();
                byEmoji.forEach((emoji, users) -> summary.put(emoji, new ReactionSummary(users.size(),
                        users.stream().limit(ReactionSummary.MAX_USERS).toList())));
                summaries.put(eventId, summary);
            }
        }
        return summaries;
    }
}
