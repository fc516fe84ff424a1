package io.roomkit.spring.jpa;

import io.roomkit.ErrorCodes;
import io.roomkit.EventNotFoundException;
import io.roomkit.RoomKitException;
import io.roomkit.RoomNotFoundException;
import io.roomkit.model.Reaction;
import io.roomkit.model.ReactionSummary;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of {@code roomkit_reactions}, for {@link JpaConversationStore}: every method runs inside the store's
 * transaction. A reaction is added under a shared lock on its message's row, and a delete's commit updates that row
 * before it removes the message's reactions ({@link #removeOf}), so a reaction racing the delete either lands before
 * it and goes with it, or waits and finds the message deleted.
 */
final class JpaReactions {

    /** roomkit_reactions_event_user_emoji_uk. */
    private static final String FIND_ONE = "select r.seq from RoomKitReaction r where r.eventId = :event "
            + "and r.userId = :user and r.emoji = :emoji and r.roomId = :room";
    /** roomkit_reactions_event_user_emoji_uk. */
    private static final String DELETE_ONE = "delete from RoomKitReaction r where r.eventId = :event "
            + "and r.userId = :user and r.emoji = :emoji and r.roomId = :room";
    /** roomkit_reactions_room_event_ix; rows in the order they were added. */
    private static final String OF_EVENTS = "select r.eventId, r.emoji, r.userId from RoomKitReaction r "
            + "where r.roomId = :room and r.eventId in :events order by r.seq";
    /** roomkit_reactions_room_event_ix. */
    private static final String DELETE_OF_EVENTS = "delete from RoomKitReaction r where r.roomId = :room "
            + "and r.eventId in :events";

    private final EntityManager em;
    private final EntityMapper mapper;
    private final JpaRooms rooms;

    JpaReactions(EntityManager em, EntityMapper mapper, JpaRooms rooms) {
        this.em = em;
        this.mapper = mapper;
        this.rooms = rooms;
    }

    /**
     * Locks the message's row for sharing, then inserts unless the reaction is there; false when it is. Two
     * concurrent adds of one reaction meet at the unique constraint.
     */
    boolean add(Reaction reaction) {
        EventEntity target = em.find(EventEntity.class, reaction.eventId(), LockModeType.PESSIMISTIC_READ);
        if (target == null || !target.roomId().equals(reaction.roomId())) {
            throw rooms.find(reaction.roomId(), LockModeType.NONE) == null
                    ? new RoomNotFoundException(reaction.roomId())
                    : new EventNotFoundException(reaction.roomId(), reaction.eventId());
        }
        if (target.deleted()) {
            throw new RoomKitException(ErrorCodes.TARGET_DELETED, "Event '" + reaction.eventId() + "' of room '"
                    + reaction.roomId() + "' is deleted and takes no reactions");
        }
        if (has(reaction)) {
            return false;
        }
        em.persist(mapper.newReaction(reaction));
        em.flush();
        return true;
    }

    boolean has(Reaction reaction) {
        return !em.createQuery(FIND_ONE, Long.class).setParameter("event", reaction.eventId())
                .setParameter("user", reaction.userId()).setParameter("emoji", reaction.emoji())
                .setParameter("room", reaction.roomId()).setMaxResults(1).getResultList().isEmpty();
    }

    boolean remove(String roomId, String eventId, String userId, String emoji) {
        return em.createQuery(DELETE_ONE).setParameter("event", eventId).setParameter("user", userId)
                .setParameter("emoji", emoji).setParameter("room", roomId).executeUpdate() > 0;
    }

    Map<String, Map<String, ReactionSummary>> summaries(String roomId, Collection<String> eventIds) {
        Map<String, Map<String, List<String>>> users = new LinkedHashMap<>();
        em.createQuery(OF_EVENTS, Object[].class).setParameter("room", roomId)
                .setParameter("events", List.copyOf(eventIds)).getResultList()
                .forEach(row -> users.computeIfAbsent((String) row[0], event -> new LinkedHashMap<>())
                        .computeIfAbsent((String) row[1], emoji -> new ArrayList<>()).add((String) row[2]));
        Map<String, Map<String, ReactionSummary>> summaries = new LinkedHashMap<>();
        users.forEach((event, byEmoji) -> {
            Map<String, ReactionSummary> summary = new LinkedHashMap<>();
            byEmoji.forEach((emoji, who) -> summary.put(emoji, new ReactionSummary(who.size(), who)));
            summaries.put(event, summary);
        });
        return summaries;
    }

    /**
     * Removes the reactions of messages this transaction deletes. The row updates are flushed first: their locks
     * make a concurrent {@link #add} either finish before this reads the reactions, or wait and see the deletion.
     */
    void removeOf(String roomId, List<String> deletedEventIds) {
        if (deletedEventIds.isEmpty()) {
            return;
        }
        em.flush();
        em.createQuery(DELETE_OF_EVENTS).setParameter("room", roomId).setParameter("events", deletedEventIds)
                .executeUpdate();
    }
}
