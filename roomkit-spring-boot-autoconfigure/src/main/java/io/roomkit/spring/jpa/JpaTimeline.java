package io.roomkit.spring.jpa;

import io.roomkit.model.EventQuery;
import io.roomkit.model.EventType;
import io.roomkit.model.RoomEvent;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The reads of a room's events, for {@link JpaConversationStore}: every method runs inside the store's
 * transaction. Pages are cursor queries on {@code (room_id, event_index)}; nothing loads a whole room.
 */
final class JpaTimeline {

    /** roomkit_events_room_key_uk (room_id, idempotency_key). */
    private static final String BY_KEY = "select e from RoomKitEvent e where e.roomId = :room "
            + "and e.idempotencyKey = :key";
    /** roomkit_events_target_ix (room_id, target_event_id). */
    private static final String EDITS_IN_ORDER = "select e from RoomKitEvent e where e.roomId = :room "
            + "and e.targetEventId = :target and e.type = :edit order by e.eventIndex";
    /** roomkit_events_room_index_uk (room_id, event_index), on its first column. */
    private static final String COUNT = "select count(e) from RoomKitEvent e where e.roomId = :room";

    // The parts of a page's query (see page): roomkit_events_room_index_uk (room_id, event_index) is read from
    // the cursor on, or roomkit_events_thread_ix (room_id, parent_event_id, event_index) for a thread's page; the
    // types are a filter of the rows in that range.
    private static final String PAGE = "select e from RoomKitEvent e where e.roomId = :room";
    private static final String AFTER_CURSOR = " and e.eventIndex > :after";
    private static final String BEFORE_CURSOR = " and e.eventIndex < :before";
    private static final String OF_TYPES = " and e.type in :types";
    private static final String IN_THREAD = " and e.parentEventId = :thread";
    private static final String NEWEST_FIRST = " order by e.eventIndex desc";
    private static final String OLDEST_FIRST = " order by e.eventIndex asc";

    private final EntityManager em;
    private final EntityMapper mapper;

    JpaTimeline(EntityManager em, EntityMapper mapper) {
        this.em = em;
        this.mapper = mapper;
    }

    /** The event, when it is one of the room's. */
    Optional<RoomEvent> get(String roomId, String eventId) {
        return Optional.ofNullable(eventId == null ? null : em.find(EventEntity.class, eventId))
                .filter(entity -> entity.roomId().equals(roomId)).map(mapper::event);
    }

    EventEntity rowByKey(String roomId, String idempotencyKey) {
        return KeyedRows.first(em.createQuery(BY_KEY, EventEntity.class).setParameter("room", roomId)
                .setParameter("key", idempotencyKey));
    }

    Optional<RoomEvent> byKey(String roomId, String idempotencyKey) {
        return Optional.ofNullable(rowByKey(roomId, idempotencyKey)).map(mapper::event);
    }

    List<RoomEvent> edits(String roomId, String eventId) {
        return em.createQuery(EDITS_IN_ORDER, EventEntity.class).setParameter("room", roomId)
                .setParameter("target", eventId).setParameter("edit", EventType.EDIT.value()).getResultList()
                .stream().map(mapper::event).toList();
    }

    long count(String roomId) {
        return em.createQuery(COUNT, Long.class).setParameter("room", roomId).getSingleResult();
    }

    /**
     * The page in ascending index order, whichever end it was read from. Its query is assembled from the
     * conditions the page has, not one query with optional ones ({@code :after is null or ...}): the database
     * reads a range of the index only for conditions that are always there, and a generic plan of a prepared
     * statement on PostgreSQL cannot tell which ones a page switches off. Nor one constant per shape of page: the
     * cursor (none, after, before), the types and the thread make twelve of the same parts.
     */
    List<RoomEvent> page(String roomId, EventQuery query) {
        List<PageCondition> conditions = PageCondition.of(query);
        StringBuilder jpql = new StringBuilder(PAGE);
        conditions.forEach(condition -> jpql.append(condition.jpql()));
        jpql.append(query.fromNewest() ? NEWEST_FIRST : OLDEST_FIRST);
        TypedQuery<EventEntity> page = em.createQuery(jpql.toString(), EventEntity.class)
                .setParameter("room", roomId).setMaxResults(query.limit());
        conditions.forEach(condition -> page.setParameter(condition.parameter(), condition.value()));
        List<RoomEvent> events = new ArrayList<>(page.getResultList().stream().map(mapper::event).toList());
        if (query.fromNewest()) {
            Collections.reverse(events);
        }
        return events;
    }

    /** A condition of a page's query, with the parameter it binds. */
    private record PageCondition(String jpql, String parameter, Object value) {

        static List<PageCondition> of(EventQuery query) {
            List<PageCondition> conditions = new ArrayList<>();
            if (query.afterIndex() != null) {
                conditions.add(new PageCondition(AFTER_CURSOR, "after", query.afterIndex()));
            }
            if (query.beforeIndex() != null) {
                conditions.add(new PageCondition(BEFORE_CURSOR, "before", query.beforeIndex()));
            }
            if (!query.types().isEmpty()) {
                conditions.add(new PageCondition(OF_TYPES, "types",
                        query.types().stream().map(EventType::value).toList()));
            }
            if (query.threadRootId() != null) {
                conditions.add(new PageCondition(IN_THREAD, "thread", query.threadRootId()));
            }
            return conditions;
        }
    }
}
