package io.roomkit.spring.stomp;

import io.roomkit.RoomKit;
import io.roomkit.RoomKitException;
import io.roomkit.model.ParticipantRole;
import io.roomkit.model.RoomIds;

import java.security.Principal;

/**
 * The default {@link RoomAccessPolicy}: a user may read and write a room when they are one of its active
 * participants. With open rooms every authenticated user may, and joins the room (created if needed) as a
 * {@link ParticipantRole#MEMBER} the first time they use it.
 */
public class MembershipAccessPolicy implements RoomAccessPolicy {

    private final RoomKit kit;
    private final boolean openRooms;

    public MembershipAccessPolicy(RoomKit kit, boolean openRooms) {
        this.kit = kit;
        this.openRooms = openRooms;
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
            join(user.getName(), roomId);
            return true;
        }
        return kit.getParticipant(roomId, user.getName()).filter(participant -> participant.isActive()).isPresent();
    }

    private void join(String userId, String roomId) {
        if (kit.getParticipant(roomId, userId).isPresent()) {
            return;
        }
        if (kit.getRoom(roomId).isEmpty()) {
            try {
                kit.createRoom(roomId);
            }
            catch (RoomKitException ex) {
                // another user created it first
            }
        }
        kit.addParticipant(roomId, userId, ParticipantRole.MEMBER);
    }
}
