package io.roomkit.spring.jpa;

import io.roomkit.model.EventStatus;
import io.roomkit.model.EventType;
import io.roomkit.model.ThreadSummary;
import io.roomkit.store.ThreadReplies;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The summaries of threads, for {@link JpaConversationStore}: two grouped queries over the replies that count
 * ({@link ThreadReplies#counts}), whatever the number of roots. Every method runs inside the store's transaction.
 */
final class JpaThreads {

    /** The replies of the roots that a summary counts, as {@link ThreadReplies#counts} says. */
    private static final String COUNTED_REPLIES = "from RoomKitEvent e where e.roomId = :room "
            + "and e.parentEventId in :roots and e.type = :message and e.status <> :blocked and e.deleted = false";
    /** roomkit_events_thread_ix (room_id, parent_event_id, event_index): count and newest reply per root. */
    private static final String TOTALS = "select e.parentEventId, count(e), max(e.createdAt), max(e.eventIndex) "
            + COUNTED_REPLIES + " group by e.parentEventId";
    /** roomkit_events_thread_ix: each root's repliers, in the order of their first reply. */
    private static final String REPLIERS = "select e.parentEventId, "
            + "coalesce(e.sourceParticipantId, e.sourceChannelId), min(e.eventIndex) " + COUNTED_REPLIES
            + " group by e.parentEventId, coalesce(e.sourceParticipantId, e.sourceChannelId) "
            + "order by min(e.eventIndex)";

    private final EntityManager em;

    JpaThreads(EntityManager em) {
        this.em = em;
    }

    /** The roots without a counted reply are left out; the repliers are read only when some root has one. */
    Map<String, ThreadSummary> summaries(String roomId, Collection<String> rootEventIds) {
        List<Object[]> totals = replies(TOTALS, roomId, rootEventIds);
        if (totals.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> repliers = new HashMap<>();
        replies(REPLIERS, roomId, rootEventIds).forEach(row -> repliers
                .computeIfAbsent((String) row[0], root -> new ArrayList<>()).add((String) row[1]));
        Map<String, ThreadSummary> summaries = new LinkedHashMap<>();
        for (Object[] row : totals) {
            String root = (String) row[0];
            summaries.put(root, new ThreadSummary((Long) row[1], (Instant) row[2],
                    repliers.getOrDefault(root, List.of()), ((Number) row[3]).longValue()));
        }
        return summaries;
    }

    private List<Object[]> replies(String jpql, String roomId, Collection<String> rootEventIds) {
        return em.createQuery(jpql, Object[].class).setParameter("room", roomId)
                .setParameter("roots", List.copyOf(rootEventIds)).setParameter("message", EventType.MESSAGE.value())
                .setParameter("blocked", EventStatus.BLOCKED.value()).getResultList();
    }
}
