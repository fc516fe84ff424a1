package io.roomkit.spring.jpa;

import io.roomkit.InvalidInputException;
import io.roomkit.model.Ban;
import io.roomkit.model.ChannelAccess;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.ChannelCategory;
import io.roomkit.model.ChannelType;
import io.roomkit.model.EventContent;
import io.roomkit.model.EventSource;
import io.roomkit.model.EventStatus;
import io.roomkit.model.EventType;
import io.roomkit.model.Participant;
import io.roomkit.model.ParticipantRole;
import io.roomkit.model.ParticipantStatus;
import io.roomkit.model.Reaction;
import io.roomkit.model.Room;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.RoomStatus;

/**
 * Converts between the core's records and the store's entities. Every string that goes into a bounded
 * column is checked first, so an oversize value (or one with a NUL character) is an {@code invalid_argument}
 * error, never a database exception halfway through a write.
 */
final class EntityMapper {

    private static final int ROOM_ID = 128;
    private static final int EVENT_ID = 64;
    private static final int TEXT = 255;

    private final JsonCodec json;

    EntityMapper(JsonCodec json) {
        this.json = json;
    }

    // ---- rooms -------------------------------------------------------------------------------------

    void write(Room room, RoomEntity entity) {
        entity.update(room.status().value(), json.write(room.metadata(), "room metadata"), room.createdAt(),
                room.updatedAt(), room.closedAt());
    }

    RoomEntity newRoom(Room room) {
        RoomEntity entity = new RoomEntity(checked(room.id(), ROOM_ID, "room id"));
        write(room, entity);
        return entity;
    }

    Room room(RoomEntity entity) {
        return new Room(entity.id(), RoomStatus.fromValue(entity.status()), json.read(entity.metadata()),
                entity.createdAt(), entity.updatedAt(), entity.closedAt());
    }

    // ---- bindings ----------------------------------------------------------------------------------

    BindingEntity newBinding(ChannelBinding binding) {
        return new BindingEntity(checked(binding.roomId(), ROOM_ID, "room id"),
                checked(binding.channelId(), TEXT, "channel id"));
    }

    void write(ChannelBinding binding, BindingEntity entity) {
        entity.update(binding.channelType().value(), binding.category().value(), binding.access().value(),
                binding.muted(), checked(binding.participantId(), TEXT, "participant id"), binding.attachedAt(),
                json.write(binding.metadata(), "binding metadata"));
    }

    ChannelBinding binding(BindingEntity entity) {
        return new ChannelBinding(entity.roomId(), entity.channelId(), ChannelType.fromValue(entity.channelType()),
                ChannelCategory.fromValue(entity.category()), ChannelAccess.fromValue(entity.access()),
                entity.muted(), entity.participantId(), entity.attachedAt(), json.read(entity.metadata()));
    }

    // ---- reactions ---------------------------------------------------------------------------------

    ReactionEntity newReaction(Reaction reaction) {
        return new ReactionEntity(checked(reaction.roomId(), ROOM_ID, "room id"),
                checked(reaction.eventId(), EVENT_ID, "event id"), checked(reaction.userId(), TEXT, "user id"),
                reaction.emoji(), reaction.createdAt());
    }

    // ---- bans --------------------------------------------------------------------------------------

    BanEntity newBan(Ban ban) {
        return new BanEntity(checked(ban.roomId(), ROOM_ID, "room id"), checked(ban.participantId(), TEXT,
                "participant id"));
    }

    void write(Ban ban, BanEntity entity) {
        entity.update(ban.reason(), checked(ban.bannedBy(), TEXT, "banned by"), ban.bannedAt());
    }

    Ban ban(BanEntity entity) {
        return new Ban(entity.roomId(), entity.participantId(), entity.reason(), entity.bannedBy(),
                entity.bannedAt());
    }

    // ---- participants ------------------------------------------------------------------------------

    ParticipantEntity newParticipant(Participant participant) {
        return new ParticipantEntity(checked(participant.roomId(), ROOM_ID, "room id"),
                checked(participant.id(), TEXT, "participant id"));
    }

    void write(Participant participant, ParticipantEntity entity) {
        entity.update(checked(participant.channelId(), TEXT, "channel id"),
                checked(participant.displayName(), TEXT, "display name"), participant.role().value(),
                participant.status().value(), participant.joinedAt(),
                json.write(participant.metadata(), "participant metadata"));
    }

    Participant participant(ParticipantEntity entity) {
        return new Participant(entity.roomId(), entity.participantId(), entity.channelId(), entity.displayName(),
                ParticipantRole.fromValue(entity.role()), ParticipantStatus.fromValue(entity.status()),
                entity.joinedAt(), json.read(entity.metadata()));
    }

    // ---- events ------------------------------------------------------------------------------------

    EventEntity newEvent(RoomEvent event, long index) {
        EventEntity entity = new EventEntity(checked(event.id(), EVENT_ID, "event id"),
                checked(event.roomId(), ROOM_ID, "room id"), index);
        write(event, entity);
        return entity;
    }

    void write(RoomEvent event, EventEntity entity) {
        EventSource source = event.source();
        entity.update(event.type().value(), checked(source.channelId(), TEXT, "source channel id"),
                source.channelType().value(), checked(source.participantId(), TEXT, "source participant id"),
                checked(source.externalId(), TEXT, "source external id"),
                json.write(event.content().toMap(), "event content"), event.status().value(),
                json.write(event.metadata(), "event metadata"), event.createdAt(),
                checked(event.parentEventId(), EVENT_ID, "parent event id"),
                checked(event.idempotencyKey(), TEXT, "idempotency key"),
                checked(event.blockedBy(), TEXT, "blocked by"), event.chainDepth(),
                checked(event.correlationId(), TEXT, "correlation id"),
                checked(event.targetEventId(), EVENT_ID, "target event id"), event.isDeleted());
    }

    RoomEvent event(EventEntity entity) {
        return new RoomEvent(entity.id(), entity.roomId(), entity.eventIndex(), EventType.fromValue(entity.type()),
                new EventSource(entity.sourceChannelId(), ChannelType.fromValue(entity.sourceChannelType()),
                        entity.sourceParticipantId(), entity.sourceExternalId()),
                EventContent.fromMap(json.read(entity.content())), EventStatus.fromValue(entity.status()),
                json.read(entity.metadata()), entity.createdAt(), entity.parentEventId(), entity.idempotencyKey(),
                entity.blockedBy(), entity.chainDepth(), entity.correlationId());
    }

    private static String checked(String value, int max, String what) {
        if (value != null && value.length() > max) {
            throw InvalidInputException.argument(what + " is " + value.length() + " characters long; the store "
                    + "keeps at most " + max);
        }
        if (value != null && value.indexOf('\0') >= 0) {
            // PostgreSQL refuses NUL in text; H2 would keep it: refuse it on both, before anything is written
            throw InvalidInputException.argument(what + " must not contain a NUL character");
        }
        return value;
    }
}
