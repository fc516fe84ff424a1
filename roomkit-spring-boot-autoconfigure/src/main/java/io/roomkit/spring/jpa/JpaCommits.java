package io.roomkit.spring.jpa;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKitException;
import io.roomkit.RoomNotFoundException;
import io.roomkit.model.EventType;
import io.roomkit.model.RoomEvent;
import io.roomkit.store.CommitOutcome;
import io.roomkit.store.EventCommit;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import org.hibernate.Session;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The writes of events, for {@link JpaConversationStore}: every method runs inside the store's transaction. The
 * room's row is locked first and its counter moved on ({@link IndexReservation}); only then are the idempotency
 * keys and the replacements' targets checked, the targets overwritten and the event rows inserted, so that the
 * checks see every commit queued before on the same lock, on any node.
 */
final class JpaCommits {

    /** roomkit_events_room_key_uk (room_id, idempotency_key). */
    private static final String TAKEN_KEYS = "select e.idempotencyKey from RoomKitEvent e where e.roomId = :room "
            + "and e.idempotencyKey in :keys";
    /** roomkit_events_target_ix (room_id, target_event_id). */
    private static final String EDITS_OF = "select e from RoomKitEvent e where e.roomId = :room "
            + "and e.targetEventId = :target and e.type = :edit";

    private final EntityManager em;
    private final EntityMapper mapper;
    private final IndexReservation indices;
    private final JpaRooms rooms;
    private final JpaTimeline timeline;
    private final JpaReactions reactions;

    JpaCommits(EntityManager em, EntityMapper mapper, JpaRooms rooms, JpaTimeline timeline, JpaReactions reactions) {
        this.em = em;
        this.mapper = mapper;
        this.indices = new IndexReservation();
        this.rooms = rooms;
        this.timeline = timeline;
        this.reactions = reactions;
    }

    /** Stores one event with the room's next index; a refusal is thrown, and rolls the transaction back. */
    RoomEvent commit(EventCommit commit) {
        RoomEvent draft = commit.event();
        if (commit.replacements().isEmpty() && indices.insertsInOneStatement(em)) {
            long index = indices.reserveAndInsert(em, mapper.newEvent(draft, 0));
            if (index < 0) {
                throw whyNothingWasInserted(draft);
            }
            return draft.toBuilder().index(index).build();
        }
        long index = indices.reserve(em, draft.roomId(), 1, () -> rooms.lockOpen(draft.roomId()).reserveIndices(1));
        if (draft.idempotencyKey() != null && timeline.rowByKey(draft.roomId(), draft.idempotencyKey()) != null) {
            throw duplicateKey(draft);
        }
        RoomKitException refusal = replacementRefusal(commit);
        if (refusal != null) {
            throw refusal;
        }
        RoomEvent stored = applyReplacements(commit).toBuilder().index(index).build();
        em.persist(mapper.newEvent(stored, stored.index()));
        em.flush();
        return stored;
    }

    /**
     * Stores the commits of writers queued on one room's lock: one statement reserves an index for each, one
     * query looks up their idempotency keys, the event rows go in one JDBC batch, and the indices of refused
     * commits are given back before the transaction ends, so that the index stays gapless. A refusal that
     * belongs to one commit (a taken key, a missing or deleted target) is that commit's outcome; anything else
     * is thrown, and rolls the whole batch back.
     */
    List<CommitOutcome> commitAll(List<EventCommit> commits) {
        String roomId = commits.get(0).event().roomId();
        batchInserts(commits.size());
        RoomEntity[] locked = new RoomEntity[1];
        long next = indices.reserve(em, roomId, commits.size(), () -> {
            locked[0] = rooms.lockOpen(roomId);
            return locked[0].reserveIndices(commits.size());
        });
        Set<String> keys = takenKeys(roomId, commits);
        List<CommitOutcome> outcomes = new ArrayList<>(commits.size());
        int refused = 0;
        for (EventCommit commit : commits) {
            RoomEvent draft = commit.event();
            String key = draft.idempotencyKey();
            RoomKitException refusal = key != null && keys.contains(key) ? duplicateKey(draft)
                    : replacementRefusal(commit);
            if (refusal != null) {
                outcomes.add(CommitOutcome.failed(refusal));
                refused++;
                continue;
            }
            if (key != null) {
                keys.add(key);
            }
            RoomEvent stored = applyReplacements(commit).toBuilder().index(next++).build();
            em.persist(mapper.newEvent(stored, stored.index()));
            outcomes.add(CommitOutcome.stored(stored));
        }
        if (refused > 0) {
            int unused = refused;
            indices.giveBack(em, roomId, unused, () -> locked[0].giveBackIndices(unused));
        }
        em.flush();
        return outcomes;
    }

    /**
     * Which unique key of the draft another writer took first, when a commit failed on one, or null: the row
     * lock makes this a last line of defence, for writers that bypass it.
     */
    RoomKitException takenKeyOf(RoomEvent draft, RuntimeException failure) {
        if (draft.idempotencyKey() != null && timeline.rowByKey(draft.roomId(), draft.idempotencyKey()) != null) {
            return duplicateKey(draft);
        }
        if (em.find(EventEntity.class, draft.id()) != null) {
            return new RoomKitException(ErrorCodes.EVENT_EXISTS, "An event with id '" + draft.id()
                    + "' is already stored", failure);
        }
        return null;
    }

    private static RoomKitException duplicateKey(RoomEvent draft) {
        return new RoomKitException(ErrorCodes.DUPLICATE_IDEMPOTENCY_KEY, "Room '" + draft.roomId()
                + "' already has an event with idempotency key '" + draft.idempotencyKey() + "'");
    }

    /** Why the one-statement insert inserted nothing; thrown, it rolls back the counter the statement moved. */
    private RoomKitException whyNothingWasInserted(RoomEvent draft) {
        RoomEntity room = rooms.find(draft.roomId(), LockModeType.NONE);
        if (room == null) {
            return new RoomNotFoundException(draft.roomId());
        }
        if (JpaRooms.isClosed(room)) {
            return IndexReservation.roomClosed(draft.roomId());
        }
        return duplicateKey(draft);
    }

    /** The batch's inserts go to the database in one JDBC batch (one round trip) where Hibernate allows it. */
    private void batchInserts(int size) {
        try {
            em.unwrap(Session.class).setJdbcBatchSize(size);
        }
        catch (PersistenceException ex) {
            // another JPA provider: the rows go one by one, which is still correct
        }
    }

    /** The idempotency keys of the batch that the room already has. */
    private Set<String> takenKeys(String roomId, List<EventCommit> commits) {
        List<String> keys = commits.stream().map(commit -> commit.event().idempotencyKey()).filter(Objects::nonNull)
                .distinct().toList();
        if (keys.isEmpty()) {
            return new HashSet<>();
        }
        return new HashSet<>(em.createQuery(TAKEN_KEYS, String.class).setParameter("room", roomId)
                .setParameter("keys", keys).getResultList());
    }

    /** Why the commit's replacements cannot be applied (a target unknown, of another room or deleted), or null. */
    private RoomKitException replacementRefusal(EventCommit commit) {
        RoomEvent draft = commit.event();
        for (RoomEvent replacement : commit.replacements()) {
            EventEntity target = em.find(EventEntity.class, replacement.id());
            if (target == null || !target.roomId().equals(draft.roomId())) {
                return new RoomKitException(ErrorCodes.EVENT_NOT_FOUND,
                        "Cannot replace unknown event '" + replacement.id() + "'");
            }
            if (target.deleted()) {
                // Checked by the pipeline before the lock; another node may have deleted it since.
                return targetDeleted(draft, replacement);
            }
        }
        return null;
    }

    /**
     * Overwrites the targets (found by {@link #replacementRefusal} first) and redacts late edits; returns the
     * event to store, an edit carrying the version it replaces.
     */
    private RoomEvent applyReplacements(EventCommit commit) {
        String edited = commit.editedEventId();
        RoomEvent event = edited == null ? commit.event()
                : commit.eventReplacing(mapper.event(em.find(EventEntity.class, edited)).content());
        for (RoomEvent replacement : commit.replacements()) {
            mapper.write(replacement, em.find(EventEntity.class, replacement.id()));
        }
        redactLateEdits(commit);
        reactions.removeOf(commit.event().roomId(), commit.deletions().stream().map(RoomEvent::id).toList());
        return event;
    }

    /**
     * A delete's replacements redact the edits the pipeline saw before the lock; an edit another node committed
     * since is redacted here, under the lock, with the same tombstone.
     */
    private void redactLateEdits(EventCommit commit) {
        for (RoomEvent deletion : commit.deletions()) {
            List<EventEntity> edits = em.createQuery(EDITS_OF, EventEntity.class)
                    .setParameter("room", deletion.roomId()).setParameter("target", deletion.id())
                    .setParameter("edit", EventType.EDIT.value()).getResultList();
            for (EventEntity entity : edits) {
                RoomEvent redacted = commit.redactingLateEdit(mapper.event(entity), deletion);
                if (redacted != null) {
                    mapper.write(redacted, entity);
                }
            }
        }
    }

    private static RoomKitException targetDeleted(RoomEvent draft, RoomEvent replacement) {
        String code = draft.type() == EventType.DELETE ? ErrorCodes.ALREADY_DELETED : ErrorCodes.TARGET_DELETED;
        return new RoomKitException(code, "Event '" + replacement.id() + "' of room '" + draft.roomId()
                + "' was deleted by a concurrent write; event '" + draft.id() + "' is not stored");
    }
}
