package io.roomkit.spring.jpa;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKitException;
import io.roomkit.RoomNotFoundException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import org.hibernate.Session;
import org.hibernate.query.NativeQuery;

import java.time.Instant;

import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Takes a room's next event index inside a commit's transaction, and with it the lock on the room's row that
 * makes indices gapless and unique across nodes.
 * <p>
 * On PostgreSQL and H2 one statement moves the counter and returns the reserved index. Elsewhere, or with a JPA
 * provider other than Hibernate, the caller's fallback reads the row with {@code SELECT ... FOR UPDATE} and the
 * entity moves the counter, which costs a second round trip: on PostgreSQL, where a commit costs a handful of
 * round trips, that one was a sixth of the time of a message.
 */
final class IndexReservation {

    private static final String OPEN = " AND status NOT IN ('closed', 'archived')";
    /** roomkit_rooms_id_uk; the row stays locked until the transaction ends. */
    private static final String POSTGRESQL = "UPDATE roomkit_rooms SET next_index = next_index + ?2 WHERE id = ?1"
            + OPEN + " RETURNING next_index";
    /** roomkit_rooms_id_uk; the row stays locked until the transaction ends. */
    private static final String H2 = "SELECT next_index FROM FINAL TABLE (UPDATE roomkit_rooms "
            + "SET next_index = next_index + ?2 WHERE id = ?1" + OPEN + ")";
    /**
     * PostgreSQL only: the index and the event row in one statement, a data-modifying CTE, so that a commit of a
     * new event costs two round trips (this and {@code COMMIT}) where plain JDBC needs three. The row is not
     * inserted when the room is missing or closed, or already has the idempotency key.
     * <p>
     * The key probe is guarded by {@code ?13 IS NOT NULL}: after five executions the driver's prepared statement
     * runs a generic plan, which does not know the key is null, and one such plan probed the room's events
     * through another index and filtered every one of them, so that each message cost more as its room grew
     * (one busy room's throughput halved within a benchmark run). With the guard a message without a key never
     * reads an event row; one with a key uses {@code roomkit_events_room_key_uk} (the only index on the room
     * and key columns since the target index is partial). The room's row is found by {@code roomkit_rooms_id_uk}.
     */
    static final String POSTGRESQL_INSERT = "WITH reserved AS (UPDATE roomkit_rooms SET next_index = "
            + "next_index + 1 WHERE id = ?1" + OPEN + " RETURNING next_index - 1 AS event_index) "
            + "INSERT INTO roomkit_events (id, room_id, event_index, type, source_channel_id, source_channel_type, "
            + "source_participant_id, source_external_id, content, status, metadata, created_at, parent_event_id, "
            + "idempotency_key, blocked_by, chain_depth, correlation_id, target_event_id, deleted) "
            + "SELECT ?2, ?1, event_index, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18 "
            + "FROM reserved WHERE NOT EXISTS (SELECT 1 FROM roomkit_events WHERE ?13 IS NOT NULL AND room_id = ?1 "
            + "AND idempotency_key = ?13) RETURNING event_index";
    /** roomkit_rooms_id_uk, on the row the reservation locked. */
    private static final String GIVE_BACK = "UPDATE roomkit_rooms SET next_index = next_index - ?2 WHERE id = ?1";
    /** roomkit_rooms_id_uk: after a refused reservation, whether the room is missing or closed. */
    private static final String EXISTS = "SELECT 1 FROM roomkit_rooms WHERE id = ?1";
    /** No statement of its own: the caller's fallback locks the row through its entity. */
    private static final String ENTITY = "";

    private volatile String statement;

    /**
     * The first of {@code count} consecutive indices reserved in {@code roomId}; the room's row stays locked until
     * the transaction ends. A closed or archived room refuses ({@code room_closed}): the status is checked under
     * the same lock, so a room closed on any node after the pipeline's checks takes no more events.
     */
    long reserve(EntityManager em, String roomId, int count, LongSupplier fallback) {
        String sql = statementFor(em);
        if (sql.equals(ENTITY)) {
            return fallback.getAsLong();
        }
        List<?> rows = em.createNativeQuery(sql).setParameter(1, roomId).setParameter(2, count).getResultList();
        if (rows.isEmpty()) {
            boolean exists = !em.createNativeQuery(EXISTS).setParameter(1, roomId)
                    .getResultList().isEmpty();
            throw exists ? roomClosed(roomId) : new RoomNotFoundException(roomId);
        }
        return ((Number) rows.get(0)).longValue() - count;
    }

    /**
     * Gives back the last {@code count} indices that {@link #reserve} took in the same transaction and that no
     * event got; the row is still locked, so nobody took an index after them.
     */
    void giveBack(EntityManager em, String roomId, int count, Runnable fallback) {
        if (statementFor(em).equals(ENTITY)) {
            fallback.run();
            return;
        }
        em.createNativeQuery(GIVE_BACK).setParameter(1, roomId).setParameter(2, count).executeUpdate();
    }

    /** Whether {@link #reserveAndInsert} has a statement for this database. */
    boolean insertsInOneStatement(EntityManager em) {
        return statementFor(em).equals(POSTGRESQL);
    }

    /**
     * Reserves the room's next index and inserts {@code row} with it, in one statement; the room's row stays
     * locked until the transaction ends. Returns the index, or -1 when nothing was inserted (the room is missing
     * or closed, or has the row's idempotency key), in which case the caller must roll back: the counter may have
     * moved. Only where {@link #insertsInOneStatement} says so.
     */
    long reserveAndInsert(EntityManager em, EventEntity row) {
        NativeQuery<?> insert = em.createNativeQuery(POSTGRESQL_INSERT).unwrap(NativeQuery.class);
        insert.setParameter(1, row.roomId(), String.class).setParameter(2, row.id(), String.class)
                .setParameter(3, row.type(), String.class).setParameter(4, row.sourceChannelId(), String.class)
                .setParameter(5, row.sourceChannelType(), String.class)
                .setParameter(6, row.sourceParticipantId(), String.class)
                .setParameter(7, row.sourceExternalId(), String.class).setParameter(8, row.content(), String.class)
                .setParameter(9, row.status(), String.class).setParameter(10, row.metadata(), String.class)
                .setParameter(11, row.createdAt(), Instant.class)
                .setParameter(12, row.parentEventId(), String.class)
                .setParameter(13, row.idempotencyKey(), String.class).setParameter(14, row.blockedBy(), String.class)
                .setParameter(15, row.chainDepth(), Integer.class)
                .setParameter(16, row.correlationId(), String.class)
                .setParameter(17, row.targetEventId(), String.class).setParameter(18, row.deleted(), Boolean.class);
        List<?> rows = insert.getResultList();
        return rows.isEmpty() ? -1 : ((Number) rows.get(0)).longValue();
    }

    static RoomKitException roomClosed(String roomId) {
        return new RoomKitException(ErrorCodes.ROOM_CLOSED, "Room '" + roomId + "' is closed");
    }

    private String statementFor(EntityManager em) {
        String known = statement;
        if (known == null) {
            known = detect(em);
            statement = known;
        }
        return known;
    }

    private static String detect(EntityManager em) {
        String product;
        try {
            product = em.unwrap(Session.class)
                    .doReturningWork(connection -> connection.getMetaData().getDatabaseProductName());
        }
        catch (PersistenceException | LinkageError ex) {
            return ENTITY;
        }
        return switch (product == null ? "" : product.toLowerCase(Locale.ROOT)) {
            case "postgresql" -> POSTGRESQL;
            case "h2" -> H2;
            default -> ENTITY;
        };
    }
}
