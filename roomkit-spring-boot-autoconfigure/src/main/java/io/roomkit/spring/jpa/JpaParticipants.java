package io.roomkit.spring.jpa;

import io.roomkit.model.Ban;
import io.roomkit.model.Participant;
import jakarta.persistence.EntityManager;

import java.util.List;
import java.util.Optional;

/**
 * The rows of {@code roomkit_participants} and {@code roomkit_bans}, for {@link JpaConversationStore}: every
 * method runs inside the store's transaction, and {@link #save} and {@link #ban} inside its upsert path, which
 * holds the room's shared lock. Bans are here because a ban removes the participant in the same transaction.
 */
final class JpaParticipants {

    /** roomkit_participants_room_participant_uk. */
    private static final String FIND_PARTICIPANT = "select p from RoomKitParticipant p where p.roomId = :room "
            + "and p.participantId = :key";
    /** roomkit_participants_room_participant_uk, on its first column; rows in the order they joined. */
    private static final String PARTICIPANTS_OF_ROOM = "select p from RoomKitParticipant p where p.roomId = :room "
            + "order by p.seq";
    /** roomkit_participants_room_participant_uk. */
    private static final String DELETE_PARTICIPANT = "delete from RoomKitParticipant p where p.roomId = :room "
            + "and p.participantId = :key";
    /** roomkit_bans_room_participant_uk. */
    private static final String FIND_BAN = "select b from RoomKitBan b where b.roomId = :room "
            + "and b.participantId = :key";
    /** roomkit_bans_room_participant_uk, on its first column; rows in the order they were written. */
    private static final String BANS_OF_ROOM = "select b from RoomKitBan b where b.roomId = :room order by b.seq";
    /** roomkit_bans_room_participant_uk. */
    private static final String DELETE_BAN = "delete from RoomKitBan b where b.roomId = :room "
            + "and b.participantId = :key";

    private final EntityMapper mapper;
    private final KeyedRows<ParticipantEntity, Participant> participants;
    private final KeyedRows<BanEntity, Ban> bans;

    JpaParticipants(EntityManager em, EntityMapper mapper) {
        this.mapper = mapper;
        this.participants = new KeyedRows<>(em, ParticipantEntity.class, FIND_PARTICIPANT, PARTICIPANTS_OF_ROOM,
                DELETE_PARTICIPANT, mapper::participant);
        this.bans = new KeyedRows<>(em, BanEntity.class, FIND_BAN, BANS_OF_ROOM, DELETE_BAN, mapper::ban);
    }

    Participant save(Participant participant) {
        participants.upsert(participant.roomId(), participant.id(), () -> mapper.newParticipant(participant),
                entity -> mapper.write(participant, entity));
        return participant;
    }

    Optional<Participant> get(String roomId, String participantId) {
        return participants.get(roomId, participantId);
    }

    List<Participant> list(String roomId) {
        return participants.list(roomId);
    }

    boolean remove(String roomId, String participantId) {
        return participants.delete(roomId, participantId);
    }

    /** Writes the ban, then removes the participant: a banned participant is no longer in the room. */
    Ban ban(Ban ban) {
        bans.upsert(ban.roomId(), ban.participantId(), () -> mapper.newBan(ban), entity -> mapper.write(ban, entity));
        participants.delete(ban.roomId(), ban.participantId());
        return ban;
    }

    Optional<Ban> getBan(String roomId, String participantId) {
        return bans.get(roomId, participantId);
    }

    List<Ban> bans(String roomId) {
        return bans.list(roomId);
    }

    boolean unban(String roomId, String participantId) {
        return bans.delete(roomId, participantId);
    }
}
