package io.roomkit.spring.stomp;

import io.roomkit.RoomKit;
import io.roomkit.RoomKitException;
import io.roomkit.model.ParticipantRole;
import io.roomkit.model.RoomIds;

import java.security.Principal;

/**
 * The default {@link RoomAccessPolicy}: a user may read and write a room when they are one of its active
 * participants. With open rooms every authenticated user may, and joins the room as a
 * {@link ParticipantRole#MEMBER} the first time they use it; a room that does not exist yet is created when the
 * {@link RoomCreationPolicy} admits it.
 */
public class MembershipAccessPolicy implements RoomAccessPolicy {

    private final RoomKit kit;
    private final boolean openRooms;
    private final RoomCreationPolicy creation;

    /** With open rooms, every user may create rooms, without a limit. */
    public MembershipAccessPolicy(RoomKit kit, boolean openRooms) {
        this(kit, openRooms, RoomCreationPolicy.anyUser());
    }

    /** {@code creation} decides, with open rooms, who may create a room by using its id. */
    public MembershipAccessPolicy(RoomKit kit, boolean openRooms, RoomCreationPolicy creation) {
        this.kit = kit;
        this.openRooms = openRooms;
        this.creation = creation;
    }

    @Override
    public boolean canSubscribe(Principal user, String roomId) {
        return admits(user, roomId);
    }

    @Override
    public boolean canSend(Principal user, String roomId) {
        return admits(user, roomId);
    }

    private boolean admits(Principal user, String roomId) {
        if (user == null || !RoomIds.isValid(roomId)) {
            return false;
        }
        if (openRooms) {
            return join(user, roomId);
        }
        return kit.getParticipant(roomId, user.getName()).filter(participant -> participant.isActive()).isPresent();
    }

    /** Joins the user to the room, creating it if the creation policy admits it; false when it does not. */
    private boolean join(Principal user, String roomId) {
        String userId = user.getName();
        if (kit.getParticipant(roomId, userId).isPresent()) {
            return true;
        }
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
        kit.addParticipant(roomId, userId, ParticipantRole.MEMBER);
        return true;
    }
}
