package io.roomkit.spring.stomp;

import io.roomkit.ErrorCodes;

import java.security.Principal;

/**
 * Decides who may subscribe to a room's topics and send into it over STOMP. Checked on every SUBSCRIBE and
 * every SEND. Define a bean of this type to replace the default, which admits the room's active participants
 * (or, with {@code roomkit.websocket.open-rooms=true}, every authenticated user who is not banned from the room).
 * <p>
 * A removal, ban or departure ({@code RoomKit.removeParticipant}, {@code banParticipant}, {@code leaveRoom})
 * ends the user's subscriptions to the room on every node, whatever the policy says; their next SUBSCRIBE or
 * SEND asks it again. After a change of the application's own rules, {@link MembershipEnforcer#recheck} asks
 * the policy again about the user's open subscriptions on every node and ends those it no longer admits.
 */
public interface RoomAccessPolicy {

    boolean canSubscribe(Principal user, String roomId);

    boolean canSend(Principal user, String roomId);

    /**
     * The error code a refused frame of {@code user} gets ({@code not_authorized} unless overridden; the default
     * policy answers {@code banned} for a user banned from the room). Asked only after a refusal.
     */
    default String refusalCode(Principal user, String roomId) {
        return ErrorCodes.NOT_AUTHORIZED;
    }
}
