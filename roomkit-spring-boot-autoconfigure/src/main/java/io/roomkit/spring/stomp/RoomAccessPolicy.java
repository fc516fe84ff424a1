package io.roomkit.spring.stomp;

import java.security.Principal;

/**
 * Decides who may subscribe to a room's topics and send into it over STOMP. Checked on every SUBSCRIBE and
 * every SEND. Define a bean of this type to replace the default, which admits the room's active participants
 * (or, with {@code roomkit.websocket.open-rooms=true}, every authenticated user).
 */
public interface RoomAccessPolicy {

    boolean canSubscribe(Principal user, String roomId);

    boolean canSend(Principal user, String roomId);
}
