package io.roomkit.spring.jpa;

import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The kinds of transaction {@link JpaConversationStore} runs its collaborators in; only the store uses it, and it
 * chooses the kind for each operation. The collaborators never start one.
 */
final class StoreTransactions {

    private final TransactionTemplate writes;
    private final TransactionTemplate reads;
    private final JpaRooms rooms;

    StoreTransactions(PlatformTransactionManager transactionManager, JpaRooms rooms) {
        this.writes = new TransactionTemplate(transactionManager);
        this.reads = new TransactionTemplate(transactionManager);
        // Reads join the caller's transaction if there is one, and otherwise run without one: each query is one
        // round trip in auto-commit, where a read-only transaction costs a BEGIN and a COMMIT more. The pipeline
        // makes several reads per inbound message, and on PostgreSQL they cost more than the commit itself.
        this.reads.setPropagationBehavior(TransactionDefinition.PROPAGATION_SUPPORTS);
        this.reads.setReadOnly(true);
        this.rooms = rooms;
    }

    <T> T read(Supplier<T> work) {
        return reads.execute(status -> work.get());
    }

    <T> T write(Supplier<T> work) {
        return writes.execute(status -> work.get());
    }

    /**
     * {@link #write}, and when the database refuses it (most often a unique key that another writer took first,
     * which no lock of ours covers) what {@code conflict} makes of the failure: a result, or an exception that
     * says what was taken, or the failure itself.
     */
    <T> T write(Supplier<T> work, Function<RuntimeException, T> conflict) {
        try {
            return write(work);
        }
        catch (DataIntegrityViolationException | PersistenceException ex) {
            return conflict.apply(ex);
        }
    }

    /**
     * The one upsert path, for the rows that a write may find there or not (a binding, a participant, a ban, a
     * read marker): one transaction takes the room's row lock in share mode, so that the row cannot slip past
     * the room's deletion, then {@code writeRow} updates the row or inserts it. Two nodes inserting the same key
     * meet at its unique constraint; the loser's transaction is run once more, and takes the update path.
     */
    <T> T upsert(String roomId, Supplier<T> writeRow) {
        Supplier<T> underRoomLock = () -> {
            rooms.require(roomId, LockModeType.PESSIMISTIC_READ);
            return writeRow.get();
        };
        return write(underRoomLock, conflict -> write(underRoomLock));
    }
}
