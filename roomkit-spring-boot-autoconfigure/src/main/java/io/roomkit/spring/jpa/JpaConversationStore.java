package io.roomkit.spring.jpa;

import io.roomkit.ErrorCodes;
import io.roomkit.EventNotFoundException;
import io.roomkit.RoomKitException;
import io.roomkit.RoomNotFoundException;
import io.roomkit.model.Ban;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.EditContent;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventStatus;
import io.roomkit.model.EventType;
import io.roomkit.model.Participant;
import io.roomkit.model.ParticipantStatus;
import io.roomkit.model.Reaction;
import io.roomkit.model.ReactionSummary;
import io.roomkit.model.Room;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.RoomStatus;
import io.roomkit.model.ThreadSummary;
import io.roomkit.store.CommitOutcome;
import io.roomkit.store.ConversationStore;
import io.roomkit.store.EventCommit;
import io.roomkit.store.RoomWithBindings;
import io.roomkit.store.ThreadReplies;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.TypedQuery;
import org.hibernate.Session;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@link ConversationStore} on JPA, for H2, PostgreSQL and any database its schema scripts are ported to.
 * <p>
 * A commit is one transaction: the room row is locked and its counter moved on, giving the event's index (one
 * statement on PostgreSQL and H2, see {@link IndexReservation}), and the event and the replacements it carries
 * are written. Two nodes committing to one room therefore queue on the row lock and produce unique, gapless
 * indices. Read markers
 * move forward with one conditional {@code UPDATE}. Pages of events are cursor queries on
 * {@code (room_id, event_index)}; nothing loads a whole room.
 */
public class JpaConversationStore implements ConversationStore {

    private static final List<Class<?>> ENTITIES = List.of(RoomEntity.class, BindingEntity.class,
            ParticipantEntity.class, EventEntity.class, ReadMarkerEntity.class, BanEntity.class,
            ReactionEntity.class);

    private final EntityManager em;
    private final TransactionTemplate writes;
    private final TransactionTemplate reads;
    private final EntityMapper mapper;
    private final JsonCodec json;
    private final JpaReactions reactions;
    private final IndexReservation indices = new IndexReservation();

    public JpaConversationStore(EntityManagerFactory entityManagerFactory,
            PlatformTransactionManager transactionManager, JsonMapper jsonMapper) {
        this.em = SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory);
        this.writes = new TransactionTemplate(transactionManager);
        this.reads = new TransactionTemplate(transactionManager);
        // Reads join the caller's transaction if there is one, and otherwise run without one: each query is one
        // round trip in auto-commit, where a read-only transaction costs a BEGIN and a COMMIT more. The pipeline
        // makes several reads per inbound message, and on PostgreSQL they cost more than the commit itself.
        this.reads.setPropagationBehavior(TransactionDefinition.PROPAGATION_SUPPORTS);
        this.reads.setReadOnly(true);
        this.json = new JsonCodec(jsonMapper);
        this.mapper = new EntityMapper(json);
        this.reactions = new JpaReactions(em, mapper);
    }

    /** The entity classes the persistence unit must manage. */
    public static List<String> entityClassNames() {
        return ENTITIES.stream().map(Class::getName).toList();
    }

    // ---- rooms -------------------------------------------------------------------------------------

    @Override
    public Room createRoom(Room room) {
        try {
            return write(() -> {
                if (findRoom(room.id(), LockModeType.NONE) != null) {
                    throw roomExists(room.id());
                }
                em.persist(mapper.newRoom(room));
                em.flush();
                return room;
            });
        }
        catch (DataIntegrityViolationException | PersistenceException ex) {
            if (getRoom(room.id()).isPresent()) {
                throw roomExists(room.id());
            }
            throw ex;
        }
    }

    @Override
    public Optional<Room> getRoom(String roomId) {
        return read(() -> Optional.ofNullable(findRoom(roomId, LockModeType.NONE)).map(mapper::room));
    }

    @Override
    public Room updateRoom(Room room) {
        return write(() -> {
            mapper.write(room, requireRoom(room.id(), LockModeType.PESSIMISTIC_WRITE));
            return room;
        });
    }

    @Override
    public List<Room> listRooms(int offset, int limit) {
        return read(() -> em.createQuery("select r from RoomKitRoom r order by r.seq", RoomEntity.class)
                .setFirstResult(offset).setMaxResults(limit).getResultList().stream().map(mapper::room).toList());
    }

    @Override
    public boolean deleteRoom(String roomId) {
        return write(() -> {
            RoomEntity room = findRoom(roomId, LockModeType.PESSIMISTIC_WRITE);
            if (room == null) {
                return false;
            }
            // reactions after the events: deleting an event row waits for a reaction being added to it
            for (String entity : List.of("RoomKitEvent", "RoomKitReaction", "RoomKitBinding", "RoomKitParticipant",
                    "RoomKitReadMarker", "RoomKitBan")) {
                em.createQuery("delete from " + entity + " x where x.roomId = :room").setParameter("room", roomId)
                        .executeUpdate();
            }
            em.remove(room);
            return true;
        });
    }

    @Override
    public List<String> findRoomIdsByChannel(String channelId, RoomStatus status, int limit) {
        return read(() -> {
            String jpql = "select r.id from RoomKitRoom r where r.id in "
                    + "(select b.roomId from RoomKitBinding b where b.channelId = :channel)"
                    + (status == null ? "" : " and r.status = :status") + " order by r.seq";
            TypedQuery<String> query = em.createQuery(jpql, String.class).setParameter("channel", channelId);
            if (status != null) {
                query.setParameter("status", status.value());
            }
            return query.setMaxResults(limit).getResultList();
        });
    }

    /** One query on roomkit_participants_participant_ix, in the order the rooms were created. */
    @Override
    public List<String> findRoomIdsByParticipant(String participantId, int limit) {
        return read(() -> em.createQuery("select p.roomId from RoomKitParticipant p, RoomKitRoom r "
                + "where p.participantId = :participant and p.status = :active and r.id = p.roomId order by r.seq",
                String.class).setParameter("participant", participantId)
                .setParameter("active", ParticipantStatus.ACTIVE.value()).setMaxResults(limit).getResultList());
    }

    // ---- bindings ----------------------------------------------------------------------------------

    @Override
    public ChannelBinding saveBinding(ChannelBinding binding) {
        return retryingOnConflict(() -> write(() -> {
            requireRoom(binding.roomId(), LockModeType.PESSIMISTIC_READ);
            BindingEntity entity = findBinding(binding.roomId(), binding.channelId());
            if (entity == null) {
                entity = mapper.newBinding(binding);
                mapper.write(binding, entity);
                em.persist(entity);
                em.flush();
            }
            else {
                mapper.write(binding, entity);
            }
            return binding;
        }));
    }

    @Override
    public Optional<ChannelBinding> getBinding(String roomId, String channelId) {
        return read(() -> Optional.ofNullable(findBinding(roomId, channelId)).map(mapper::binding));
    }

    @Override
    public List<ChannelBinding> listBindings(String roomId) {
        return read(() -> em.createQuery("select b from RoomKitBinding b where b.roomId = :room order by b.seq",
                BindingEntity.class).setParameter("room", roomId).getResultList().stream().map(mapper::binding)
                .toList());
    }

    /** One query instead of two: the room joined with its bindings, a row per binding (or one without). */
    @Override
    public Optional<RoomWithBindings> getRoomWithBindings(String roomId) {
        return read(() -> {
            List<Object[]> rows = em.createQuery("select r, b from RoomKitRoom r left join RoomKitBinding b "
                    + "on b.roomId = r.id where r.id = :id order by b.seq", Object[].class).setParameter("id", roomId)
                    .getResultList();
            if (rows.isEmpty()) {
                return Optional.empty();
            }
            List<ChannelBinding> bindings = rows.stream().map(row -> (BindingEntity) row[1]).filter(Objects::nonNull)
                    .map(mapper::binding).toList();
            return Optional.of(new RoomWithBindings(mapper.room((RoomEntity) rows.get(0)[0]), bindings));
        });
    }

    @Override
    public boolean removeBinding(String roomId, String channelId) {
        return write(() -> em.createQuery(
                "delete from RoomKitBinding b where b.roomId = :room and b.channelId = :channel")
                .setParameter("room", roomId).setParameter("channel", channelId).executeUpdate() > 0);
    }

    // ---- participants ------------------------------------------------------------------------------

    @Override
    public Participant saveParticipant(Participant participant) {
        return retryingOnConflict(() -> write(() -> {
            requireRoom(participant.roomId(), LockModeType.PESSIMISTIC_READ);
            ParticipantEntity entity = findParticipant(participant.roomId(), participant.id());
            if (entity == null) {
                entity = mapper.newParticipant(participant);
                mapper.write(participant, entity);
                em.persist(entity);
                em.flush();
            }
            else {
                mapper.write(participant, entity);
            }
            return participant;
        }));
    }

    @Override
    public Optional<Participant> getParticipant(String roomId, String participantId) {
        return read(() -> Optional.ofNullable(findParticipant(roomId, participantId)).map(mapper::participant));
    }

    @Override
    public List<Participant> listParticipants(String roomId) {
        return read(() -> em.createQuery(
                "select p from RoomKitParticipant p where p.roomId = :room order by p.seq", ParticipantEntity.class)
                .setParameter("room", roomId).getResultList().stream().map(mapper::participant).toList());
    }

    @Override
    public boolean removeParticipant(String roomId, String participantId) {
        return write(() -> em.createQuery(
                "delete from RoomKitParticipant p where p.roomId = :room and p.participantId = :participant")
                .setParameter("room", roomId).setParameter("participant", participantId).executeUpdate() > 0);
    }

    // ---- bans --------------------------------------------------------------------------------------

    /** One transaction: the ban row is written and the participant row deleted, under the room's shared lock. */
    @Override
    public Ban saveBan(Ban ban) {
        return retryingOnConflict(() -> write(() -> {
            requireRoom(ban.roomId(), LockModeType.PESSIMISTIC_READ);
            BanEntity entity = findBan(ban.roomId(), ban.participantId());
            if (entity == null) {
                entity = mapper.newBan(ban);
                mapper.write(ban, entity);
                em.persist(entity);
                em.flush();
            }
            else {
                mapper.write(ban, entity);
            }
            em.createQuery("delete from RoomKitParticipant p where p.roomId = :room and p.participantId = "
                    + ":participant").setParameter("room", ban.roomId()).setParameter("participant",
                            ban.participantId()).executeUpdate();
            return ban;
        }));
    }

    @Override
    public Optional<Ban> getBan(String roomId, String participantId) {
        return read(() -> Optional.ofNullable(findBan(roomId, participantId)).map(mapper::ban));
    }

    @Override
    public List<Ban> listBans(String roomId) {
        return read(() -> em.createQuery("select b from RoomKitBan b where b.roomId = :room order by b.seq",
                BanEntity.class).setParameter("room", roomId).getResultList().stream().map(mapper::ban).toList());
    }

    @Override
    public boolean removeBan(String roomId, String participantId) {
        return write(() -> em.createQuery(
                "delete from RoomKitBan b where b.roomId = :room and b.participantId = :participant")
                .setParameter("room", roomId).setParameter("participant", participantId).executeUpdate() > 0);
    }

    // ---- events ------------------------------------------------------------------------------------

    /** The replies a thread summary counts, as {@link ThreadReplies#counts} says. */
    private static final String COUNTED_REPLY = " and e.type = :message and e.status <> :blocked and e.deleted = false";

    @Override
    public RoomEvent commit(EventCommit commit) {
        RoomEvent draft = commit.event();
        try {
            return write(() -> {
                if (commit.replacements().isEmpty() && indices.insertsInOneStatement(em)) {
                    long index = indices.reserveAndInsert(em, mapper.newEvent(draft, 0));
                    if (index < 0) {
                        throw whyNothingWasInserted(draft);
                    }
                    return draft.toBuilder().index(index).build();
                }
                long index = indices.reserve(em, draft.roomId(), 1,
                        () -> lockOpenRoom(draft.roomId()).reserveIndices(1));
                if (draft.idempotencyKey() != null && findByKey(draft.roomId(), draft.idempotencyKey()) != null) {
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
            });
        }
        catch (DataIntegrityViolationException | PersistenceException ex) {
            // The row lock makes this a last line of defence, for writers that bypass it.
            if (draft.idempotencyKey() != null && findByIdempotencyKey(draft.roomId(), draft.idempotencyKey())
                    .isPresent()) {
                throw duplicateKey(draft);
            }
            if (read(() -> em.find(EventEntity.class, draft.id())) != null) {
                throw new RoomKitException(ErrorCodes.EVENT_EXISTS, "An event with id '" + draft.id()
                        + "' is already stored", ex);
            }
            throw ex;
        }
    }

    /** Why the one-statement insert inserted nothing; thrown, it rolls back the counter the statement moved. */
    private RoomKitException whyNothingWasInserted(RoomEvent draft) {
        RoomEntity room = findRoom(draft.roomId(), LockModeType.NONE);
        if (room == null) {
            return new RoomNotFoundException(draft.roomId());
        }
        RoomStatus status = RoomStatus.fromValue(room.status());
        if (status == RoomStatus.CLOSED || status == RoomStatus.ARCHIVED) {
            return IndexReservation.roomClosed(draft.roomId());
        }
        return duplicateKey(draft);
    }

    /**
     * The commits of writers queued on one room's lock, in one transaction: one statement reserves an index for
     * each, one query looks up their idempotency keys, the event rows go in one JDBC batch, and the indices of
     * refused commits are given back before the transaction ends, so that the index stays gapless. A refusal
     * that belongs to one commit (a taken key, a missing or deleted target) fails that commit alone; anything else
     * (a closed or missing room, a taken event id, an oversize field) rolls the batch back, and the commits are
     * then made one by one, each with its own outcome.
     */
    @Override
    public List<CommitOutcome> commitAll(List<EventCommit> commits) {
        if (commits.size() < 2 || commits.stream().map(commit -> commit.event().roomId()).distinct().count() > 1) {
            return ConversationStore.super.commitAll(commits);
        }
        boolean[] flushed = new boolean[1];
        try {
            return write(() -> {
                List<CommitOutcome> outcomes = commitBatch(commits);
                flushed[0] = true;
                return outcomes;
            });
        }
        catch (RuntimeException ex) {
            if (flushed[0]) {
                // the COMMIT itself failed: what the database kept is unknown, so no commit may be repeated
                return commits.stream().map(commit -> CommitOutcome.failed(ex)).toList();
            }
            return ConversationStore.super.commitAll(commits);
        }
    }

    /**
     * Commits join a transaction the calling thread has open (an application's {@code @Transactional} method);
     * other writers' events must not be undone with it.
     */
    @Override
    public boolean mayCommitForOthers() {
        return !TransactionSynchronizationManager.isActualTransactionActive();
    }

    private List<CommitOutcome> commitBatch(List<EventCommit> commits) {
        String roomId = commits.get(0).event().roomId();
        batchInserts(commits.size());
        RoomEntity[] locked = new RoomEntity[1];
        long next = indices.reserve(em, roomId, commits.size(), () -> {
            locked[0] = lockOpenRoom(roomId);
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
        return new HashSet<>(em.createQuery("select e.idempotencyKey from RoomKitEvent e where e.roomId = :room "
                + "and e.idempotencyKey in :keys", String.class).setParameter("room", roomId)
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
        reactions.removeOf(commit.event().roomId(), commit.replacements().stream().filter(RoomEvent::isDeleted)
                .map(RoomEvent::id).toList());
        return event;
    }

    /** The room's row, locked, for the databases where {@link IndexReservation} has no statement of its own. */
    private RoomEntity lockOpenRoom(String roomId) {
        RoomEntity room = requireRoom(roomId, LockModeType.PESSIMISTIC_WRITE);
        RoomStatus status = RoomStatus.fromValue(room.status());
        if (status == RoomStatus.CLOSED || status == RoomStatus.ARCHIVED) {
            throw IndexReservation.roomClosed(roomId);
        }
        return room;
    }

    /**
     * A delete's replacements redact the edits the pipeline saw before the lock; an edit another node committed
     * since is redacted here, under the lock, with the same tombstone.
     */
    private void redactLateEdits(EventCommit commit) {
        Set<String> replaced = new HashSet<>();
        commit.replacements().forEach(replacement -> replaced.add(replacement.id()));
        for (RoomEvent replacement : commit.replacements()) {
            if (!replacement.isDeleted()) {
                continue;
            }
            List<EventEntity> edits = em.createQuery("select e from RoomKitEvent e where e.roomId = :room and "
                    + "e.targetEventId = :target and e.type = :edit", EventEntity.class)
                    .setParameter("room", replacement.roomId()).setParameter("target", replacement.id())
                    .setParameter("edit", EventType.EDIT.value()).getResultList();
            for (EventEntity entity : edits) {
                RoomEvent edit = mapper.event(entity);
                if (!replaced.contains(edit.id()) && edit.content() instanceof EditContent content) {
                    mapper.write(edit.toBuilder().content(content.redactedWith(replacement.content())).build(),
                            entity);
                }
            }
        }
    }

    @Override
    public Optional<RoomEvent> getEvent(String roomId, String eventId) {
        return read(() -> Optional.ofNullable(eventId == null ? null : em.find(EventEntity.class, eventId))
                .filter(entity -> entity.roomId().equals(roomId)).map(mapper::event));
    }

    @Override
    public Optional<RoomEvent> findByIdempotencyKey(String roomId, String idempotencyKey) {
        return read(() -> Optional.ofNullable(findByKey(roomId, idempotencyKey)).map(mapper::event));
    }

    @Override
    public List<RoomEvent> listEvents(String roomId, EventQuery query) {
        return read(() -> {
            StringBuilder jpql = new StringBuilder("select e from RoomKitEvent e where e.roomId = :room");
            if (query.afterIndex() != null) {
                jpql.append(" and e.eventIndex > :after");
            }
            if (query.beforeIndex() != null) {
                jpql.append(" and e.eventIndex < :before");
            }
            if (!query.types().isEmpty()) {
                jpql.append(" and e.type in :types");
            }
            if (query.threadRootId() != null) {
                // roomkit_events_thread_ix (room_id, parent_event_id, event_index)
                jpql.append(" and e.parentEventId = :thread");
            }
            jpql.append(" order by e.eventIndex ").append(query.fromNewest() ? "desc" : "asc");
            TypedQuery<EventEntity> typed = em.createQuery(jpql.toString(), EventEntity.class)
                    .setParameter("room", roomId).setMaxResults(query.limit());
            if (query.afterIndex() != null) {
                typed.setParameter("after", query.afterIndex());
            }
            if (query.beforeIndex() != null) {
                typed.setParameter("before", query.beforeIndex());
            }
            if (!query.types().isEmpty()) {
                typed.setParameter("types", query.types().stream().map(EventType::value).toList());
            }
            if (query.threadRootId() != null) {
                typed.setParameter("thread", query.threadRootId());
            }
            List<RoomEvent> page = new ArrayList<>(typed.getResultList().stream().map(mapper::event).toList());
            if (query.fromNewest()) {
                Collections.reverse(page);
            }
            return page;
        });
    }

    // ---- reactions (JpaReactions) -------------------------------------------------------------------

    @Override
    public boolean addReaction(Reaction reaction) {
        try {
            return write(() -> {
                Boolean added = reactions.add(reaction);
                if (added == null) {
                    if (findRoom(reaction.roomId(), LockModeType.NONE) == null) {
                        throw new RoomNotFoundException(reaction.roomId());
                    }
                    throw new EventNotFoundException(reaction.roomId(), reaction.eventId());
                }
                return added;
            });
        }
        catch (DataIntegrityViolationException | PersistenceException ex) {
            // another writer added the same reaction first
            if (read(() -> reactions.has(reaction))) {
                return false;
            }
            throw ex;
        }
    }

    @Override
    public boolean removeReaction(String roomId, String eventId, String userId, String emoji) {
        return write(() -> reactions.remove(roomId, eventId, userId, emoji));
    }

    @Override
    public Map<String, Map<String, ReactionSummary>> reactionSummaries(String roomId, Collection<String> eventIds) {
        return eventIds.isEmpty() ? Map.of() : read(() -> reactions.summaries(roomId, eventIds));
    }

    /**
     * Two grouped queries over the replies that count ({@link ThreadReplies#counts}), both on
     * roomkit_events_thread_ix: count and newest time per root, then each root's repliers in order of their first
     * reply.
     */
    @Override
    public Map<String, ThreadSummary> threadSummaries(String roomId, Collection<String> rootEventIds) {
        if (rootEventIds.isEmpty()) {
            return Map.of();
        }
        return read(() -> {
            List<Object[]> totals = em.createQuery("select e.parentEventId, count(e), max(e.createdAt), "
                    + "max(e.eventIndex) from RoomKitEvent e where e.roomId = :room and e.parentEventId in :roots"
                    + COUNTED_REPLY + " group by e.parentEventId", Object[].class).setParameter("room", roomId)
                    .setParameter("roots", List.copyOf(rootEventIds)).setParameter("message", EventType.MESSAGE.value())
                    .setParameter("blocked", EventStatus.BLOCKED.value()).getResultList();
            if (totals.isEmpty()) {
                return Map.of();
            }
            Map<String, List<String>> repliers = new HashMap<>();
            em.createQuery("select e.parentEventId, coalesce(e.sourceParticipantId, e.sourceChannelId), "
                    + "min(e.eventIndex) from RoomKitEvent e where e.roomId = :room and e.parentEventId in :roots"
                    + COUNTED_REPLY + " group by e.parentEventId, coalesce(e.sourceParticipantId, e.sourceChannelId) "
                    + "order by min(e.eventIndex)", Object[].class).setParameter("room", roomId)
                    .setParameter("roots", List.copyOf(rootEventIds)).setParameter("message", EventType.MESSAGE.value())
                    .setParameter("blocked", EventStatus.BLOCKED.value()).getResultList()
                    .forEach(row -> repliers.computeIfAbsent((String) row[0], root -> new ArrayList<>())
                            .add((String) row[1]));
            Map<String, ThreadSummary> summaries = new LinkedHashMap<>();
            for (Object[] row : totals) {
                String root = (String) row[0];
                summaries.put(root, new ThreadSummary((Long) row[1], (Instant) row[2],
                        repliers.getOrDefault(root, List.of()), ((Number) row[3]).longValue()));
            }
            return summaries;
        });
    }

    /**
     * Reads only the unread messages whose metadata names the user (a text match on the JSON, then the exact rule
     * of {@link RoomEvent#mentions(String)}), so a room with many unread messages and few mentions costs little;
     * the room's cursor index bounds the scan to the unread part.
     */
    @Override
    public long countUnreadMentions(String roomId, String channelId, String userId) {
        return read(() -> {
            ReadMarkerEntity marker = em.find(ReadMarkerEntity.class, new ReadMarkerEntity.Key(roomId, channelId));
            long after = marker == null ? -1 : marker.eventIndex();
            String quoted = json.quoted(userId);
            return em.createQuery("select e from RoomKitEvent e where e.roomId = :room and e.eventIndex > :after "
                    + "and e.type = :message and e.deleted = false and e.status <> :blocked "
                    + "and e.sourceChannelId <> :channel and e.metadata like :mentioned escape '\\'", EventEntity.class)
                    .setParameter("room", roomId).setParameter("after", after)
                    .setParameter("message", EventType.MESSAGE.value())
                    .setParameter("blocked", EventStatus.BLOCKED.value()).setParameter("channel", channelId)
                    .setParameter("mentioned", "%" + likeLiteral(quoted) + "%").getResultList().stream()
                    .map(mapper::event).filter(event -> event.mentions(userId)).count();
        });
    }

    /** {@code text} for a LIKE pattern escaped with a backslash: {@code %}, {@code _} and the backslash escaped. */
    private static String likeLiteral(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    @Override
    public List<RoomEvent> listEdits(String roomId, String eventId) {
        return read(() -> em.createQuery("select e from RoomKitEvent e where e.roomId = :room and e.targetEventId = "
                + ":target and e.type = :edit order by e.eventIndex", EventEntity.class).setParameter("room", roomId)
                .setParameter("target", eventId).setParameter("edit", EventType.EDIT.value()).getResultList()
                .stream().map(mapper::event).toList());
    }

    @Override
    public OptionalLong latestIndex(String roomId) {
        return read(() -> {
            RoomEntity room = findRoom(roomId, LockModeType.NONE);
            return room == null || room.nextIndex() == 0 ? OptionalLong.empty()
                    : OptionalLong.of(room.nextIndex() - 1);
        });
    }

    @Override
    public long countEvents(String roomId) {
        return read(() -> em.createQuery("select count(e) from RoomKitEvent e where e.roomId = :room", Long.class)
                .setParameter("room", roomId).getSingleResult());
    }

    // ---- read state --------------------------------------------------------------------------------

    @Override
    public long advanceReadMarker(String roomId, String channelId, long index) {
        return retryingOnConflict(() -> write(() -> {
            requireRoom(roomId, LockModeType.PESSIMISTIC_READ);
            while (true) {
                int moved = em.createQuery("update RoomKitReadMarker m set m.eventIndex = :index where m.roomId = "
                        + ":room and m.channelId = :channel and m.eventIndex < :index").setParameter("index", index)
                        .setParameter("room", roomId).setParameter("channel", channelId).executeUpdate();
                if (moved > 0) {
                    return index;
                }
                ReadMarkerEntity marker = em.find(ReadMarkerEntity.class,
                        new ReadMarkerEntity.Key(roomId, channelId));
                if (marker == null) {
                    em.persist(new ReadMarkerEntity(roomId, channelId, index));
                    em.flush();
                    return index;
                }
                if (marker.eventIndex() >= index) {
                    return marker.eventIndex();
                }
                // The row appeared between our update and our read (another writer's first marker): update again.
                em.detach(marker);
            }
        }));
    }

    @Override
    public OptionalLong readMarker(String roomId, String channelId) {
        return read(() -> {
            ReadMarkerEntity marker = em.find(ReadMarkerEntity.class, new ReadMarkerEntity.Key(roomId, channelId));
            return marker == null ? OptionalLong.empty() : OptionalLong.of(marker.eventIndex());
        });
    }

    @Override
    public Map<String, Long> readMarkers(String roomId) {
        return read(() -> {
            Map<String, Long> markers = new LinkedHashMap<>();
            em.createQuery("select m from RoomKitReadMarker m where m.roomId = :room", ReadMarkerEntity.class)
                    .setParameter("room", roomId).getResultList()
                    .forEach(marker -> markers.put(marker.channelId(), marker.eventIndex()));
            return Map.copyOf(markers);
        });
    }

    @Override
    public long countUnread(String roomId, String channelId) {
        return read(() -> {
            ReadMarkerEntity marker = em.find(ReadMarkerEntity.class, new ReadMarkerEntity.Key(roomId, channelId));
            long after = marker == null ? -1 : marker.eventIndex();
            return em.createQuery("select count(e) from RoomKitEvent e where e.roomId = :room and e.eventIndex > "
                    + ":after and e.type = :message and e.deleted = false and e.status <> :blocked "
                    + "and e.sourceChannelId <> :channel", Long.class).setParameter("room", roomId)
                    .setParameter("after", after).setParameter("message", EventType.MESSAGE.value())
                    .setParameter("blocked", EventStatus.BLOCKED.value()).setParameter("channel", channelId)
                    .getSingleResult();
        });
    }

    // ---- plumbing ----------------------------------------------------------------------------------

    /**
     * Reads a room row, optionally locked: commits and deletes take it exclusively, writes of bindings,
     * participants and markers share it, so none of them can slip past the deletion of their room.
     */
    private RoomEntity findRoom(String roomId, LockModeType lock) {
        List<RoomEntity> rooms = em.createQuery("select r from RoomKitRoom r where r.id = :id", RoomEntity.class)
                .setParameter("id", roomId).setLockMode(lock).getResultList();
        return rooms.isEmpty() ? null : rooms.get(0);
    }

    private RoomEntity requireRoom(String roomId, LockModeType lock) {
        RoomEntity room = findRoom(roomId, lock);
        if (room == null) {
            throw new RoomNotFoundException(roomId);
        }
        return room;
    }

    private BindingEntity findBinding(String roomId, String channelId) {
        return single(em.createQuery("select b from RoomKitBinding b where b.roomId = :room and b.channelId = "
                + ":channel", BindingEntity.class).setParameter("room", roomId).setParameter("channel", channelId));
    }

    private ParticipantEntity findParticipant(String roomId, String participantId) {
        return single(em.createQuery("select p from RoomKitParticipant p where p.roomId = :room and "
                + "p.participantId = :participant", ParticipantEntity.class).setParameter("room", roomId)
                .setParameter("participant", participantId));
    }

    private BanEntity findBan(String roomId, String participantId) {
        return single(em.createQuery("select b from RoomKitBan b where b.roomId = :room and b.participantId = "
                + ":participant", BanEntity.class).setParameter("room", roomId).setParameter("participant",
                        participantId));
    }

    private EventEntity findByKey(String roomId, String key) {
        return single(em.createQuery("select e from RoomKitEvent e where e.roomId = :room and e.idempotencyKey = "
                + ":key", EventEntity.class).setParameter("room", roomId).setParameter("key", key));
    }

    private static <T> T single(TypedQuery<T> query) {
        List<T> results = query.setMaxResults(1).getResultList();
        return results.isEmpty() ? null : results.get(0);
    }

    private <T> T write(Supplier<T> work) {
        return writes.execute(status -> work.get());
    }

    private <T> T read(Supplier<T> work) {
        return reads.execute(status -> work.get());
    }

    /** Upserts race with a concurrent insert of the same key on another node; the retry takes the update path. */
    private static <T> T retryingOnConflict(Supplier<T> upsert) {
        try {
            return upsert.get();
        }
        catch (DataIntegrityViolationException | PersistenceException ex) {
            return upsert.get();
        }
    }

    private static RoomKitException roomExists(String roomId) {
        return new RoomKitException(ErrorCodes.ROOM_EXISTS, "Room '" + roomId + "' already exists");
    }

    private static RoomKitException targetDeleted(RoomEvent draft, RoomEvent replacement) {
        String code = draft.type() == EventType.DELETE ? ErrorCodes.ALREADY_DELETED : ErrorCodes.TARGET_DELETED;
        return new RoomKitException(code, "Event '" + replacement.id() + "' of room '" + draft.roomId()
                + "' was deleted by a concurrent write; event '" + draft.id() + "' is not stored");
    }

    private static RoomKitException duplicateKey(RoomEvent draft) {
        return new RoomKitException(ErrorCodes.DUPLICATE_IDEMPOTENCY_KEY, "Room '" + draft.roomId()
                + "' already has an event with idempotency key '" + draft.idempotencyKey() + "'");
    }
}
