package io.roomkit.store;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKitException;
import io.roomkit.RoomNotFoundException;
import io.roomkit.model.Ban;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventStatus;
import io.roomkit.model.EventType;
import io.roomkit.model.Participant;
import io.roomkit.model.Reaction;
import io.roomkit.model.ReactionSummary;
import io.roomkit.model.Room;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.RoomStatus;
import io.roomkit.model.ThreadSummary;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A {@link ConversationStore} in process memory, for tests, prototypes and single-node applications that
 * need no durability. Each room is guarded by its own monitor, so rooms do not contend with each other.
 * Records are immutable, so values are shared rather than copied.
 * <p>
 * This class owns the locking: a call about one room takes the room's monitor once and does all of its work
 * under it, so the call is atomic (a commit's checks and writes, a reaction's target check and add). What a room
 * holds is kept in an {@code InMemoryRoom} by helpers that never lock: its events and their indexes
 * ({@code InMemoryTimeline}), reactions ({@code InMemoryReactions}) and read markers ({@code InMemoryReadMarkers}).
 */
public class InMemoryConversationStore implements ConversationStore {

    private final Map<String, InMemoryRoom> rooms = new ConcurrentHashMap<>();
    private final InMemoryChannelIndex channelIndex = new InMemoryChannelIndex();
    private final AtomicLong creationSequence = new AtomicLong();

    // ---- rooms -------------------------------------------------------------------------------------

    @Override
    public Room createRoom(Room room) {
        InMemoryRoom fresh = new InMemoryRoom(room, creationSequence.incrementAndGet());
        if (rooms.putIfAbsent(room.id(), fresh) != null) {
            throw new RoomKitException(ErrorCodes.ROOM_EXISTS, "Room '" + room.id() + "' already exists");
        }
        return room;
    }

    @Override
    public Optional<Room> getRoom(String roomId) {
        return readRoom(roomId, data -> Optional.of(data.room), Optional.empty());
    }

    @Override
    public Room updateRoom(Room room) {
        return withRoom(room.id(), data -> data.room = room);
    }

    @Override
    public List<Room> listRooms(int offset, int limit) {
        return rooms.values().stream().sorted(Comparator.comparingLong(data -> data.sequence)).skip(offset)
                .limit(limit).map(this::currentRoom).toList();
    }

    @Override
    public boolean deleteRoom(String roomId) {
        InMemoryRoom data = rooms.get(roomId);
        if (data == null) {
            return false;
        }
        synchronized (data) {
            if (data.deleted || !rooms.remove(roomId, data)) {
                return false;
            }
            data.deleted = true;
            data.bindings.keySet().forEach(channelId -> channelIndex.remove(channelId, roomId));
        }
        return true;
    }

    @Override
    public List<String> findRoomIdsByChannel(String channelId, RoomStatus status, int limit) {
        return channelIndex.roomIds(channelId).stream().map(rooms::get).filter(data -> data != null)
                .filter(data -> status == null || currentRoom(data).status() == status)
                .sorted(Comparator.comparingLong(data -> data.sequence)).limit(limit)
                .map(data -> data.room.id()).toList();
    }

    // ---- bindings ----------------------------------------------------------------------------------

    @Override
    public ChannelBinding saveBinding(ChannelBinding binding) {
        return withRoom(binding.roomId(), data -> {
            data.bindings.put(binding.channelId(), binding);
            channelIndex.add(binding.channelId(), binding.roomId());
            return binding;
        });
    }

    @Override
    public Optional<ChannelBinding> getBinding(String roomId, String channelId) {
        return findRecord(roomId, data -> data.bindings, channelId);
    }

    @Override
    public List<ChannelBinding> listBindings(String roomId) {
        return listRecords(roomId, data -> data.bindings);
    }

    @Override
    public boolean removeBinding(String roomId, String channelId) {
        return readRoom(roomId, data -> {
            if (data.deleted || data.bindings.remove(channelId) == null) {
                return false;
            }
            channelIndex.remove(channelId, roomId);
            return true;
        }, false);
    }

    // ---- participants ------------------------------------------------------------------------------

    @Override
    public Participant saveParticipant(Participant participant) {
        withRoom(participant.roomId(), data -> data.participants.put(participant.id(), participant));
        return participant;
    }

    @Override
    public Optional<Participant> getParticipant(String roomId, String participantId) {
        return findRecord(roomId, data -> data.participants, participantId);
    }

    @Override
    public List<Participant> listParticipants(String roomId) {
        return listRecords(roomId, data -> data.participants);
    }

    @Override
    public boolean removeParticipant(String roomId, String participantId) {
        return removeRecord(roomId, data -> data.participants, participantId);
    }

    // ---- bans --------------------------------------------------------------------------------------

    @Override
    public Ban saveBan(Ban ban) {
        return withRoom(ban.roomId(), data -> {
            data.bans.put(ban.participantId(), ban);
            data.participants.remove(ban.participantId());
            return ban;
        });
    }

    @Override
    public Optional<Ban> getBan(String roomId, String participantId) {
        return findRecord(roomId, data -> data.bans, participantId);
    }

    @Override
    public List<Ban> listBans(String roomId) {
        return listRecords(roomId, data -> data.bans);
    }

    @Override
    public boolean removeBan(String roomId, String participantId) {
        return removeRecord(roomId, data -> data.bans, participantId);
    }

    // ---- events ------------------------------------------------------------------------------------

    @Override
    public RoomEvent commit(EventCommit commit) {
        return withRoom(commit.event().roomId(), data -> {
            RoomEvent stored = data.timeline.commit(commit, data.room);
            data.reactions.forgetDeleted(commit.deletions());
            return stored;
        });
    }

    @Override
    public Optional<RoomEvent> getEvent(String roomId, String eventId) {
        return readRoom(roomId, data -> data.timeline.event(eventId), Optional.empty());
    }

    @Override
    public Optional<RoomEvent> findByIdempotencyKey(String roomId, String idempotencyKey) {
        return readRoom(roomId, data -> data.timeline.eventWithIdempotencyKey(idempotencyKey), Optional.empty());
    }

    @Override
    public List<RoomEvent> listEvents(String roomId, EventQuery query) {
        return readRoom(roomId, data -> data.timeline.page(query), List.of());
    }

    @Override
    public Map<String, ThreadSummary> threadSummaries(String roomId, Collection<String> rootEventIds) {
        return readRoom(roomId, data -> data.timeline.threadSummaries(rootEventIds), Map.of());
    }

    // ---- reactions ---------------------------------------------------------------------------------

    @Override
    public boolean addReaction(Reaction reaction) {
        return withRoom(reaction.roomId(), data -> data.reactions.add(reaction, data.timeline));
    }

    @Override
    public boolean removeReaction(String roomId, String eventId, String userId, String emoji) {
        return readRoom(roomId, data -> data.reactions.remove(eventId, userId, emoji), false);
    }

    @Override
    public Map<String, Map<String, ReactionSummary>> reactionSummaries(String roomId, Collection<String> eventIds) {
        return readRoom(roomId, data -> data.reactions.summaries(eventIds), Map.of());
    }

    @Override
    public List<RoomEvent> listEdits(String roomId, String eventId) {
        return readRoom(roomId, data -> data.timeline.edits(eventId), List.of());
    }

    @Override
    public OptionalLong latestIndex(String roomId) {
        return readRoom(roomId, data -> data.timeline.latestIndex(), OptionalLong.empty());
    }

    @Override
    public long countEvents(String roomId) {
        return readRoom(roomId, data -> (long) data.timeline.size(), 0L);
    }

    // ---- read state --------------------------------------------------------------------------------

    @Override
    public long advanceReadMarker(String roomId, String channelId, long index) {
        return withRoom(roomId, data -> data.readMarkers.advance(channelId, index));
    }

    @Override
    public OptionalLong readMarker(String roomId, String channelId) {
        return readRoom(roomId, data -> data.readMarkers.marker(channelId), OptionalLong.empty());
    }

    @Override
    public Map<String, Long> readMarkers(String roomId) {
        return readRoom(roomId, data -> data.readMarkers.all(), Map.of());
    }

    @Override
    public long countUnread(String roomId, String channelId) {
        return readRoom(roomId, data -> data.readMarkers.countUnread(channelId, data.timeline), 0L);
    }

    @Override
    public long countUnreadMentions(String roomId, String channelId, String userId) {
        return readRoom(roomId, data -> data.readMarkers.countUnreadMentions(channelId, userId, data.timeline), 0L);
    }

    @Override
    public List<String> findRoomIdsByParticipant(String participantId, int limit) {
        return rooms.values().stream().filter(data -> readRoom(data.room.id(), room -> !room.deleted
                && room.participants.containsKey(participantId) && room.participants.get(participantId).isActive(),
                false)).sorted(Comparator.comparingLong(data -> data.sequence)).limit(limit)
                .map(data -> data.room.id()).toList();
    }

    /** The unread rule of {@link ConversationStore#countUnread}, for stores that filter in memory. */
    public static boolean countsAsUnread(RoomEvent event, String readerChannelId) {
        return event.type() == EventType.MESSAGE && !event.isDeleted() && event.status() != EventStatus.BLOCKED
                && !event.source().channelId().equals(readerChannelId);
    }

    // ---- plumbing ----------------------------------------------------------------------------------

    private InMemoryRoom requireRoom(String roomId) {
        InMemoryRoom data = rooms.get(roomId);
        if (data == null) {
            throw new RoomNotFoundException(roomId);
        }
        return data;
    }

    private Room currentRoom(InMemoryRoom data) {
        synchronized (data) {
            return data.room;
        }
    }

    /** Runs {@code action} under the room's monitor; {@code room_not_found} if the room does not exist. */
    private <T> T withRoom(String roomId, Function<InMemoryRoom, T> action) {
        InMemoryRoom data = requireRoom(roomId);
        synchronized (data) {
            if (data.deleted) {
                throw new RoomNotFoundException(roomId);
            }
            return action.apply(data);
        }
    }

    /** Runs {@code read} under the room's monitor, or returns {@code absent} if the room does not exist. */
    private <T> T readRoom(String roomId, Function<InMemoryRoom, T> read, T absent) {
        InMemoryRoom data = rooms.get(roomId);
        if (data == null) {
            return absent;
        }
        synchronized (data) {
            return read.apply(data);
        }
    }

    /** One record of a room's {@code records} by key (bindings by channel, participants and bans by user). */
    private <T> Optional<T> findRecord(String roomId, Function<InMemoryRoom, Map<String, T>> records, String key) {
        return readRoom(roomId, data -> Optional.ofNullable(records.apply(data).get(key)), Optional.empty());
    }

    private <T> List<T> listRecords(String roomId, Function<InMemoryRoom, Map<String, T>> records) {
        return readRoom(roomId, data -> List.copyOf(records.apply(data).values()), List.of());
    }

    private boolean removeRecord(String roomId, Function<InMemoryRoom, Map<String, ?>> records, String key) {
        return readRoom(roomId, data -> records.apply(data).remove(key) != null, false);
    }
}
