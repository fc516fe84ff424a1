package io.roomkit.spring.stomp;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKit;
import io.roomkit.RoomKitException;
import io.roomkit.model.ParticipantRole;
import io.roomkit.model.RoomIds;

import java.security.Principal;

/**
 * The default {@link RoomAccessPolicy}: a user may read and write a room when they are one of its active
 * participants. With open rooms every authenticated user may who is not banned from the room, and joins it as a
 * {@link ParticipantRole#MEMBER} the first time they use it; a room that does not exist yet is created when the
 * {@link RoomCreationPolicy} admits it. With join events, that join is stored in the room's timeline
 * ({@code participant_joined}).
 */
public class MembershipAccessPolicy implements RoomAccessPolicy {

    private final RoomKit kit;
    private final boolean openRooms;
    private final RoomCreationPolicy creation;
    private final boolean joinEvents;

    /** With open rooms, every user may create rooms, without a limit. */
    public MembershipAccessPolicy(RoomKit kit, boolean openRooms) {
        this(kit, openRooms, RoomCreationPolicy.anyUser());
    }

    /** {@code creation} decides, with open rooms, who may create a room by using its id. */
    public MembershipAccessPolicy(RoomKit kit, boolean openRooms, RoomCreationPolicy creation) {
        this(kit, openRooms, creation, false);
    }

    /** With {@code joinEvents}, an open room's new member is announced with a {@code participant_joined} event. */
    public MembershipAccessPolicy(RoomKit kit, boolean openRooms, RoomCreationPolicy creation, boolean joinEvents) {
        this.kit = kit;
        this.openRooms = openRooms;
        this.creation = creation;
        this.joinEvents = joinEvents;
    }

    @Override
    public boolean canSubscribe(Principal user, String roomId) {
        return admits(user, roomId);
    }

    @Override
    public boolean canSend(Principal user, String roomId) {
        return admits(user, roomId);
    }

    @Override
    public String refusalCode(Principal user, String roomId) {
        return user != null && RoomIds.isValid(roomId) && kit.isBanned(roomId, user.getName()) ? ErrorCodes.BANNED
                : ErrorCodes.NOT_AUTHORIZED;
    }

    private boolean admits(Principal user, String roomId) {
        if (user == null || !RoomIds.isValid(roomId)) {
            return false;
        }
        // a ban removes the participant, so a participant is never banned: one read decides the usual case
        if (kit.getParticipant(roomId, user.getName()).filter(participant -> participant.isActive()).isPresent()) {
            return true;
        }
        return openRooms && join(user, roomId);
    }

    /**
     * Joins the user to the room, creating it if the creation policy admits it; false when it does not, or
     * when the user is banned from the room.
     */
    private boolean join(Principal user, String roomId) {
        String userId = user.getName();
        if (kit.getRoom(roomId).isEmpty()) {
            if (!creation.mayCreate(user, roomId)) {
                return false;
            }
            try {
                kit.createRoom(roomId);
            }
            catch (RoomKitException ex) {
                // another user created it first
            }
        }
        else if (kit.isBanned(roomId, userId)) {
            return false;
        }
        try {
            if (joinEvents) {
                kit.joinRoom(roomId, userId, ParticipantRole.MEMBER);
            }
            else {
                kit.addParticipant(roomId, userId, ParticipantRole.MEMBER);
            }
            return true;
        }
        catch (RoomKitException ex) {
            if (ErrorCodes.BANNED.equals(ex.code())) {
                return false;   // banned between the check and the join
            }
            throw ex;
        }
    }
}
