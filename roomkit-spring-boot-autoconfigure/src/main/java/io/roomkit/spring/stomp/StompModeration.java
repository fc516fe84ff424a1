package io.roomkit.spring.stomp;

import io.roomkit.ErrorCodes;
import io.roomkit.InvalidInputException;
import io.roomkit.RoomKit;
import io.roomkit.RoomKitException;
import io.roomkit.channel.Channel;
import io.roomkit.model.Ban;
import io.roomkit.model.MapReader;
import io.roomkit.model.ParticipantRole;

import java.util.Locale;

/**
 * The {@code /app/rooms.{roomId}.moderate} frame, {@code {action, user_id, reason?}}: a room owner (or whoever
 * the kit's {@code ModeratorCheck} names) kicks, bans, unbans, mutes or unmutes a user. Kicks and bans end the
 * user's subscriptions on every node and are stored in the timeline ({@code participant_removed},
 * {@code participant_banned}, {@code participant_unbanned}); muting blocks the user's messages in the room
 * ({@code source_muted}) while they keep reading it.
 */
final class StompModeration {

    /** The moderation actions of the protocol. */
    enum Action {
        KICK, BAN, UNBAN, MUTE, UNMUTE;

        static Action of(String value) {
            try {
                return valueOf(value.toUpperCase(Locale.ROOT));
            }
            catch (IllegalArgumentException ex) {
                throw InvalidInputException.content("action must be one of kick, ban, unban, mute, unmute");
            }
        }
    }

    private final RoomKit kit;

    StompModeration(RoomKit kit) {
        this.kit = kit;
    }

    /** Applies the frame of moderator {@code actorId}; refusals are {@link RoomKitException}s. */
    void apply(String roomId, String actorId, MapReader in) {
        Action action = Action.of(ClientPayloads.requiredShort(in, "action", 16));
        String target = ClientPayloads.requiredShort(in, "user_id", 255);
        String reason = in.string("reason");
        if (reason != null && reason.length() > Ban.MAX_REASON) {
            throw InvalidInputException.content("reason must be at most " + Ban.MAX_REASON + " characters");
        }
        authorize(roomId, actorId, target);
        switch (action) {
            case KICK -> {
                if (!kit.removeParticipant(roomId, target, reason, actorId)) {
                    throw new RoomKitException(ErrorCodes.PARTICIPANT_NOT_FOUND, "'" + target
                            + "' is not a participant of room '" + roomId + "'");
                }
            }
            case BAN -> kit.banParticipant(roomId, target, reason, actorId);
            case UNBAN -> kit.unbanParticipant(roomId, target, actorId);
            case MUTE -> kit.muteChannel(roomId, boundChannel(roomId, target));
            case UNMUTE -> {
                String channelId = userChannel(target);
                if (kit.getBinding(roomId, channelId).isPresent()) {
                    kit.unmuteChannel(roomId, channelId);
                }
            }
        }
    }

    /** Moderators act on others only, and only owners act on owners. */
    private void authorize(String roomId, String actorId, String target) {
        if (!kit.isModerator(roomId, actorId)) {
            throw new RoomKitException(ErrorCodes.NOT_AUTHORIZED, "Only the room's owners and moderators may "
                    + "moderate room '" + roomId + "'");
        }
        if (target.equals(actorId)) {
            throw InvalidInputException.argument("Moderators cannot moderate themselves");
        }
        boolean targetIsOwner = kit.getParticipant(roomId, target)
                .filter(participant -> participant.role() == ParticipantRole.OWNER).isPresent();
        boolean actorIsOwner = kit.getParticipant(roomId, actorId)
                .filter(participant -> participant.role() == ParticipantRole.OWNER).isPresent();
        if (targetIsOwner && !actorIsOwner) {
            throw new RoomKitException(ErrorCodes.NOT_AUTHORIZED, "Only owners may moderate an owner");
        }
    }

    /**
     * The user's own {@link UserChannel}, registered if needed (a plain channel registered here would later keep
     * the user from writing); an application channel that holds its id is not the user's to mute or unmute.
     */
    private String userChannel(String userId) {
        Channel channel = kit.registerChannelIfAbsent(new UserChannel(userId));
        if (!UserChannel.belongsTo(channel, userId)) {
            throw new RoomKitException(ErrorCodes.NOT_AUTHORIZED, "The channel " + channel.id() + " belongs to the "
                    + "application, not to the user '" + userId + "'");
        }
        return channel.id();
    }

    /** The user's channel, bound to the room so that it can be muted before the user has written there. */
    private String boundChannel(String roomId, String userId) {
        String channelId = userChannel(userId);
        if (kit.getBinding(roomId, channelId).isEmpty()) {
            kit.attachChannel(roomId, channelId);
        }
        return channelId;
    }
}
