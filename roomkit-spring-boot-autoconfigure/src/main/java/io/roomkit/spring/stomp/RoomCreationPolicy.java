package io.roomkit.spring.stomp;

import java.security.Principal;

/**
 * Decides whether a STOMP user may create a room by subscribing or sending to a room id that does not exist
 * yet. The default {@link RoomAccessPolicy} asks it with {@code roomkit.websocket.open-rooms=true} only (without
 * open rooms, STOMP clients never create rooms). Define a bean of this type to replace the default, which lets
 * every authenticated user create rooms. Whatever it answers, a user creates at most
 * {@code roomkit.websocket.limits.rooms-per-minute} rooms a minute: the limit is applied after this policy
 * admitted the room, so a refusal here costs the user nothing.
 */
@FunctionalInterface
public interface RoomCreationPolicy {

    /**
     * Whether {@code user} may create the room {@code roomId}, which does not exist. {@code false} refuses the
     * frame with {@code not_authorized} and creates nothing.
     */
    boolean mayCreate(Principal user, String roomId);

    /** Every authenticated user may create rooms (the default with open rooms). */
    static RoomCreationPolicy anyUser() {
        return (user, roomId) -> user != null;
    }
}
