package io.roomkit.spring.jpa;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The rows of one table that a unique key within their room identifies (bindings, participants, bans): found,
 * listed, deleted and upserted alike, with the table's own three queries. Each query names its parameters
 * {@code :room} and {@code :key}; the list query only {@code :room}.
 *
 * @param <E> the table's entity
 * @param <R> the core's record of a row
 */
final class KeyedRows<E, R> {

    private final EntityManager em;
    private final Class<E> type;
    private final String findOne;
    private final String ofRoom;
    private final String deleteOne;
    private final Function<E, R> toRecord;

    KeyedRows(EntityManager em, Class<E> type, String findOne, String ofRoom, String deleteOne,
            Function<E, R> toRecord) {
        this.em = em;
        this.type = type;
        this.findOne = findOne;
        this.ofRoom = ofRoom;
        this.deleteOne = deleteOne;
        this.toRecord = toRecord;
    }

    /** The row the query finds by a unique key, or null. */
    static <T> T first(TypedQuery<T> query) {
        List<T> results = query.setMaxResults(1).getResultList();
        return results.isEmpty() ? null : results.get(0);
    }

    Optional<R> get(String roomId, String key) {
        return Optional.ofNullable(find(roomId, key)).map(toRecord);
    }

    List<R> list(String roomId) {
        return em.createQuery(ofRoom, type).setParameter("room", roomId).getResultList().stream().map(toRecord)
                .toList();
    }

    boolean delete(String roomId, String key) {
        return em.createQuery(deleteOne).setParameter("room", roomId).setParameter("key", key).executeUpdate() > 0;
    }

    /**
     * The row-level half of the store's one upsert path (the transaction, the room's shared lock and the retry
     * are {@link StoreTransactions#upsert}'s): updates the row with {@code fill}, or, when there is none, fills
     * and inserts the row that {@code created} makes. The insert is flushed at once, so that it reaches the
     * database before anything the transaction does next, and a concurrent insert of the same key fails at this
     * statement.
     */
    void upsert(String roomId, String key, Supplier<E> created, Consumer<E> fill) {
        E existing = find(roomId, key);
        if (existing != null) {
            fill.accept(existing);
            return;
        }
        E row = created.get();
        fill.accept(row);
        em.persist(row);
        em.flush();
    }

    private E find(String roomId, String key) {
        return first(em.createQuery(findOne, type).setParameter("room", roomId).setParameter("key", key));
    }
}
