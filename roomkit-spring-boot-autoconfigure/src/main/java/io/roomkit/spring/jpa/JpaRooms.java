package io.roomkit.spring.jpa;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKitException;
import io.roomkit.RoomNotFoundException;
import io.roomkit.model.ParticipantStatus;
import io.roomkit.model.Room;
import io.roomkit.model.RoomStatus;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The rows of {@code roomkit_rooms}, for {@link JpaConversationStore}: every method runs inside the store's
 * transaction. The room's row is also the room's lock: commits and deletions take it exclusively, the writes that
 * add or update a room's bindings, participants, bans and read markers share it ({@link #require}), so that none
 * of them can slip past the deletion of their room (removals of single rows take no lock).
 */
final class JpaRooms {

    /** roomkit_rooms_id_uk. */
    private static final String FIND = "select r from RoomKitRoom r where r.id = :id";
    /** The primary key of roomkit_rooms (seq), the order the rooms were created in. */
    private static final String PAGE = "select r from RoomKitRoom r order by r.seq";
    /** roomkit_bindings_channel_ix for the channel's rooms, then roomkit_rooms_id_uk for each room. */
    private static final String IDS_BY_CHANNEL = "select r.id from RoomKitRoom r where r.id in "
            + "(select b.roomId from RoomKitBinding b where b.channelId = :channel) order by r.seq";
    /** As {@link #IDS_BY_CHANNEL}; the status is filtered on the room's row. */
    private static final String IDS_BY_CHANNEL_AND_STATUS = "select r.id from RoomKitRoom r where r.id in "
            + "(select b.roomId from RoomKitBinding b where b.channelId = :channel) and r.status = :status "
            + "order by r.seq";
    /** roomkit_participants_participant_ix for the user's rows, then roomkit_rooms_id_uk for each room. */
    private static final String IDS_BY_PARTICIPANT = "select p.roomId from RoomKitParticipant p, RoomKitRoom r "
            + "where p.participantId = :participant and p.status = :active and r.id = p.roomId order by r.seq";
    /** roomkit_events_room_index_uk (room_id, event_index). */
    private static final String DELETE_EVENTS = "delete from RoomKitEvent x where x.roomId = :room";
    /** roomkit_reactions_room_event_ix (room_id, event_id, seq). */
    private static final String DELETE_REACTIONS = "delete from RoomKitReaction x where x.roomId = :room";
    /** roomkit_bindings_room_channel_uk (room_id, channel_id). */
    private static final String DELETE_BINDINGS = "delete from RoomKitBinding x where x.roomId = :room";
    /** roomkit_participants_room_participant_uk (room_id, participant_id). */
    private static final String DELETE_PARTICIPANTS = "delete from RoomKitParticipant x where x.roomId = :room";
    /** The primary key of roomkit_read_markers (room_id, channel_id). */
    private static final String DELETE_READ_MARKERS = "delete from RoomKitReadMarker x where x.roomId = :room";
    /** roomkit_bans_room_participant_uk (room_id, participant_id). */
    private static final String DELETE_BANS = "delete from RoomKitBan x where x.roomId = :room";
    /** Reactions after the events: deleting an event row waits for a reaction being added to it. */
    private static final List<String> DELETIONS_IN_ORDER = List.of(DELETE_EVENTS, DELETE_REACTIONS,
            DELETE_BINDINGS, DELETE_PARTICIPANTS, DELETE_READ_MARKERS, DELETE_BANS);

    private final EntityManager em;
    private final EntityMapper mapper;

    JpaRooms(EntityManager em, EntityMapper mapper) {
        this.em = em;
        this.mapper = mapper;
    }

    /** The room's row, locked as {@code lock} says, or null. */
    RoomEntity find(String roomId, LockModeType lock) {
        List<RoomEntity> rooms = em.createQuery(FIND, RoomEntity.class).setParameter("id", roomId).setLockMode(lock)
                .getResultList();
        return rooms.isEmpty() ? null : rooms.get(0);
    }

    /** The room's row, locked as {@code lock} says; {@link RoomNotFoundException} when there is none. */
    RoomEntity require(String roomId, LockModeType lock) {
        RoomEntity room = find(roomId, lock);
        if (room == null) {
            throw new RoomNotFoundException(roomId);
        }
        return room;
    }

    /** The room's row, locked, for the databases where {@link IndexReservation} has no statement of its own. */
    RoomEntity lockOpen(String roomId) {
        RoomEntity room = require(roomId, LockModeType.PESSIMISTIC_WRITE);
        if (isClosed(room)) {
            throw IndexReservation.roomClosed(roomId);
        }
        return room;
    }

    static boolean isClosed(RoomEntity room) {
        RoomStatus status = RoomStatus.fromValue(room.status());
        return status == RoomStatus.CLOSED || status == RoomStatus.ARCHIVED;
    }

    /**
     * Inserts the room, flushed so that a concurrent insert of the same id fails inside the transaction; the
     * store then finds the other writer's room and reports it with {@link #roomExists}.
     */
    Room create(Room room) {
        if (find(room.id(), LockModeType.NONE) != null) {
            throw roomExists(room.id());
        }
        em.persist(mapper.newRoom(room));
        em.flush();
        return room;
    }

    Optional<Room> get(String roomId) {
        return Optional.ofNullable(find(roomId, LockModeType.NONE)).map(mapper::room);
    }

    Room update(Room room) {
        mapper.write(room, require(room.id(), LockModeType.PESSIMISTIC_WRITE));
        return room;
    }

    List<Room> page(int offset, int limit) {
        return em.createQuery(PAGE, RoomEntity.class).setFirstResult(offset).setMaxResults(limit).getResultList()
                .stream().map(mapper::room).toList();
    }

    /** Deletes the room and every row of it, under the room's exclusive lock; false when there is no such room. */
    boolean delete(String roomId) {
        RoomEntity room = find(roomId, LockModeType.PESSIMISTIC_WRITE);
        if (room == null) {
            return false;
        }
        DELETIONS_IN_ORDER.forEach(deletion -> em.createQuery(deletion).setParameter("room", roomId).executeUpdate());
        em.remove(room);
        return true;
    }

    List<String> idsByChannel(String channelId, RoomStatus status, int limit) {
        if (status == null) {
            return em.createQuery(IDS_BY_CHANNEL, String.class).setParameter("channel", channelId)
                    .setMaxResults(limit).getResultList();
        }
        return em.createQuery(IDS_BY_CHANNEL_AND_STATUS, String.class).setParameter("channel", channelId)
                .setParameter("status", status.value()).setMaxResults(limit).getResultList();
    }

    List<String> idsByParticipant(String participantId, int limit) {
        return em.createQuery(IDS_BY_PARTICIPANT, String.class).setParameter("participant", participantId)
                .setParameter("active", ParticipantStatus.ACTIVE.value()).setMaxResults(limit).getResultList();
    }

    /** The room's counter is the next index to give, so the latest is the one before it. */
    OptionalLong latestIndex(String roomId) {
        RoomEntity room = find(roomId, LockModeType.NONE);
        return room == null || room.nextIndex() == 0 ? OptionalLong.empty() : OptionalLong.of(room.nextIndex() - 1);
    }

    static RoomKitException roomExists(String roomId) {
        return new RoomKitException(ErrorCodes.ROOM_EXISTS, "Room '" + roomId + "' already exists");
    }
}
