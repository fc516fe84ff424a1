package io.roomkit.spring.jpa;

import io.roomkit.RoomKitException;
import io.roomkit.model.Ban;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.EventQuery;
import io.roomkit.model.Participant;
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
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@link ConversationStore} on JPA, for H2, PostgreSQL and any database its schema scripts are ported to.
 * <p>
 * A commit is one transaction: the room row is locked and its counter moved on, giving the event's index (one
 * statement on PostgreSQL and H2, see {@link IndexReservation}), and the event and the replacements it carries
 * are written. Two nodes committing to one room therefore queue on the row lock and produce unique, gapless
 * indices. Read markers move forward with one conditional {@code UPDATE}. Pages of events are cursor queries on
 * {@code (room_id, event_index)}; nothing loads a whole room.
 * <p>
 * This class owns the transactions and what a failed one means; the statements are its collaborators', one per
 * kind of row, each with its queries as constants naming the index they use. A write that adds rows to a room
 * takes the room's row lock first, so that none can slip past the room's deletion: exclusively to commit or
 * delete, shared to write a binding, a participant, a ban or a read marker ({@link StoreTransactions#upsert}); a
 * reaction takes a shared lock on its message's row instead (against the message's deletion). Removing a
 * binding, a participant, a ban or a reaction is one {@code DELETE} of that row and takes no lock.
 */
public class JpaConversationStore implements ConversationStore {

    private static final List<Class<?>> ENTITIES = List.of(RoomEntity.class, BindingEntity.class,
            ParticipantEntity.class, EventEntity.class, ReadMarkerEntity.class, BanEntity.class,
            ReactionEntity.class);

    private final StoreTransactions tx;
    private final JpaRooms rooms;
    private final JpaBindings bindings;
    private final JpaParticipants participants;
    private final JpaCommits commits;
    private final JpaTimeline timeline;
    private final JpaThreads threads;
    private final JpaReactions reactions;
    private final JpaReadMarkers markers;
    private final JpaUnreadCounts unread;

    public JpaConversationStore(EntityManagerFactory entityManagerFactory,
            PlatformTransactionManager transactionManager, JsonMapper jsonMapper) {
        EntityManager em = SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory);
        JsonCodec json = new JsonCodec(jsonMapper);
        EntityMapper mapper = new EntityMapper(json);
        this.rooms = new JpaRooms(em, mapper);
        this.tx = new StoreTransactions(transactionManager, rooms);
        this.bindings = new JpaBindings(em, mapper);
        this.participants = new JpaParticipants(em, mapper);
        this.timeline = new JpaTimeline(em, mapper);
        this.threads = new JpaThreads(em);
        this.reactions = new JpaReactions(em, mapper, rooms);
        this.commits = new JpaCommits(em, mapper, rooms, timeline, reactions);
        this.markers = new JpaReadMarkers(em);
        this.unread = new JpaUnreadCounts(em, mapper, json, markers);
    }

    /** The entity classes the persistence unit must manage. */
    public static List<String> entityClassNames() {
        return ENTITIES.stream().map(Class::getName).toList();
    }

    // ---- rooms -------------------------------------------------------------------------------------

    @Override
    public Room createRoom(Room room) {
        return tx.write(() -> rooms.create(room), conflict -> {
            // another writer created the same room first
            throw getRoom(room.id()).isPresent() ? JpaRooms.roomExists(room.id()) : conflict;
        });
    }

    @Override
    public Optional<Room> getRoom(String roomId) {
        return tx.read(() -> rooms.get(roomId));
    }

    @Override
    public Room updateRoom(Room room) {
        return tx.write(() -> rooms.update(room));
    }

    @Override
    public List<Room> listRooms(int offset, int limit) {
        return tx.read(() -> rooms.page(offset, limit));
    }

    @Override
    public boolean deleteRoom(String roomId) {
        return tx.write(() -> rooms.delete(roomId));
    }

    @Override
    public List<String> findRoomIdsByChannel(String channelId, RoomStatus status, int limit) {
        return tx.read(() -> rooms.idsByChannel(channelId, status, limit));
    }

    @Override
    public List<String> findRoomIdsByParticipant(String participantId, int limit) {
        return tx.read(() -> rooms.idsByParticipant(participantId, limit));
    }

    // ---- bindings, participants and bans -----------------------------------------------------------

    @Override
    public ChannelBinding saveBinding(ChannelBinding binding) {
        return tx.upsert(binding.roomId(), () -> bindings.save(binding));
    }

    @Override
    public Optional<ChannelBinding> getBinding(String roomId, String channelId) {
        return tx.read(() -> bindings.get(roomId, channelId));
    }

    @Override
    public List<ChannelBinding> listBindings(String roomId) {
        return tx.read(() -> bindings.list(roomId));
    }

    @Override
    public Optional<RoomWithBindings> getRoomWithBindings(String roomId) {
        return tx.read(() -> bindings.roomWithBindings(roomId));
    }

    @Override
    public boolean removeBinding(String roomId, String channelId) {
        return tx.write(() -> bindings.remove(roomId, channelId));
    }

    @Override
    public Participant saveParticipant(Participant participant) {
        return tx.upsert(participant.roomId(), () -> participants.save(participant));
    }

    @Override
    public Optional<Participant> getParticipant(String roomId, String participantId) {
        return tx.read(() -> participants.get(roomId, participantId));
    }

    @Override
    public List<Participant> listParticipants(String roomId) {
        return tx.read(() -> participants.list(roomId));
    }

    @Override
    public boolean removeParticipant(String roomId, String participantId) {
        return tx.write(() -> participants.remove(roomId, participantId));
    }

    /** One transaction: the ban row is written and the participant row deleted, under the room's shared lock. */
    @Override
    public Ban saveBan(Ban ban) {
        return tx.upsert(ban.roomId(), () -> participants.ban(ban));
    }

    @Override
    public Optional<Ban> getBan(String roomId, String participantId) {
        return tx.read(() -> participants.getBan(roomId, participantId));
    }

    @Override
    public List<Ban> listBans(String roomId) {
        return tx.read(() -> participants.bans(roomId));
    }

    @Override
    public boolean removeBan(String roomId, String participantId) {
        return tx.write(() -> participants.unban(roomId, participantId));
    }

    // ---- events ------------------------------------------------------------------------------------

    @Override
    public RoomEvent commit(EventCommit commit) {
        return tx.write(() -> commits.commit(commit), conflict -> {
            // another writer may have stored the draft's idempotency key or id first
            RoomKitException taken = tx.read(() -> commits.takenKeyOf(commit.event(), conflict));
            throw taken == null ? conflict : taken;
        });
    }

    /**
     * The commits of writers queued on one room's lock, in one transaction ({@link JpaCommits#commitAll}). When
     * the batch is rolled back, the commits are made one by one, each with its own outcome.
     */
    @Override
    public List<CommitOutcome> commitAll(List<EventCommit> batch) {
        if (batch.size() < 2 || batch.stream().map(commit -> commit.event().roomId()).distinct().count() > 1) {
            return ConversationStore.super.commitAll(batch);
        }
        boolean[] flushed = new boolean[1];
        try {
            return tx.write(() -> {
                List<CommitOutcome> outcomes = commits.commitAll(batch);
                flushed[0] = true;
                return outcomes;
            });
        }
        catch (RuntimeException ex) {
            if (flushed[0]) {
                // the COMMIT itself failed: what the database kept is unknown, so no commit may be repeated
                return batch.stream().map(commit -> CommitOutcome.failed(ex)).toList();
            }
            return ConversationStore.super.commitAll(batch);
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

    @Override
    public Optional<RoomEvent> getEvent(String roomId, String eventId) {
        return tx.read(() -> timeline.get(roomId, eventId));
    }

    @Override
    public Optional<RoomEvent> findByIdempotencyKey(String roomId, String idempotencyKey) {
        return tx.read(() -> timeline.byKey(roomId, idempotencyKey));
    }

    @Override
    public List<RoomEvent> listEvents(String roomId, EventQuery query) {
        return tx.read(() -> timeline.page(roomId, query));
    }

    @Override
    public List<RoomEvent> listEdits(String roomId, String eventId) {
        return tx.read(() -> timeline.edits(roomId, eventId));
    }

    @Override
    public Map<String, ThreadSummary> threadSummaries(String roomId, Collection<String> rootEventIds) {
        return rootEventIds.isEmpty() ? Map.of() : tx.read(() -> threads.summaries(roomId, rootEventIds));
    }

    @Override
    public OptionalLong latestIndex(String roomId) {
        return tx.read(() -> rooms.latestIndex(roomId));
    }

    @Override
    public long countEvents(String roomId) {
        return tx.read(() -> timeline.count(roomId));
    }

    // ---- reactions ---------------------------------------------------------------------------------

    @Override
    public boolean addReaction(Reaction reaction) {
        return tx.write(() -> reactions.add(reaction), conflict -> {
            // another writer added the same reaction first
            if (tx.read(() -> reactions.has(reaction))) {
                return false;
            }
            throw conflict;
        });
    }

    @Override
    public boolean removeReaction(String roomId, String eventId, String userId, String emoji) {
        return tx.write(() -> reactions.remove(roomId, eventId, userId, emoji));
    }

    @Override
    public Map<String, Map<String, ReactionSummary>> reactionSummaries(String roomId, Collection<String> eventIds) {
        return eventIds.isEmpty() ? Map.of() : tx.read(() -> reactions.summaries(roomId, eventIds));
    }

    // ---- read state --------------------------------------------------------------------------------

    @Override
    public long advanceReadMarker(String roomId, String channelId, long index) {
        return tx.upsert(roomId, () -> markers.advance(roomId, channelId, index));
    }

    @Override
    public OptionalLong readMarker(String roomId, String channelId) {
        return tx.read(() -> markers.get(roomId, channelId));
    }

    @Override
    public Map<String, Long> readMarkers(String roomId) {
        return tx.read(() -> markers.ofRoom(roomId));
    }

    @Override
    public long countUnread(String roomId, String channelId) {
        return tx.read(() -> unread.unread(roomId, channelId));
    }

    @Override
    public long countUnreadMentions(String roomId, String channelId, String userId) {
        return tx.read(() -> unread.unreadMentions(roomId, channelId, userId));
    }
}
