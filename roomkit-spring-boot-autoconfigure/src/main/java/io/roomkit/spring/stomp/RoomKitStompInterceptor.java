package io.roomkit.spring.stomp;

import io.roomkit.ErrorCodes;
import io.roomkit.spring.stomp.StompDestinations.RoomDestination;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;

import java.security.Principal;
import java.util.Optional;

/**
 * Guards the client inbound channel: identity on CONNECT, and on every SUBSCRIBE and SEND the destination
 * (only the protocol's destinations; clients never send to topics), the room id and the
 * {@link RoomAccessPolicy}. A refused SUBSCRIBE or SEND is dropped and reported on {@code /user/queue/errors};
 * the connection stays open. Only a CONNECT without an acceptable identity is answered with a STOMP ERROR.
 */
public class RoomKitStompInterceptor implements ChannelInterceptor {

    private final boolean trustClientLogin;
    private final ObjectProvider<RoomAccessPolicy> accessPolicy;
    private final ObjectProvider<PresenceTracker> presence;
    private final ObjectProvider<StompErrors> errors;
    private final ObjectProvider<MessageChannel> clientOutbound;

    public RoomKitStompInterceptor(boolean trustClientLogin, ObjectProvider<RoomAccessPolicy> accessPolicy,
            ObjectProvider<PresenceTracker> presence, ObjectProvider<StompErrors> errors) {
        this(trustClientLogin, accessPolicy, presence, errors, null);
    }

    /**
     * With {@code clientOutbound} (the broker's {@code clientOutboundChannel}) a refused CONNECT is answered
     * with an ERROR frame sent there, which also closes the session. An exception thrown from here would not
     * do: with {@code setPreserveReceiveOrder(true)} Spring logs it and answers nothing, leaving the client
     * waiting on an open, unauthenticated connection.
     */
    public RoomKitStompInterceptor(boolean trustClientLogin, ObjectProvider<RoomAccessPolicy> accessPolicy,
            ObjectProvider<PresenceTracker> presence, ObjectProvider<StompErrors> errors,
            ObjectProvider<MessageChannel> clientOutbound) {
        this.trustClientLogin = trustClientLogin;
        this.accessPolicy = accessPolicy;
        this.presence = presence;
        this.errors = errors;
        this.clientOutbound = clientOutbound;
    }

    @Override
    public Message<?> preSend(Message<?> message, MessageChannel channel) {
        StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
        if (accessor == null || accessor.getCommand() == null) {
            return message;
        }
        StompCommand command = accessor.getCommand();
        if (command == StompCommand.CONNECT || command == StompCommand.STOMP) {
            try {
                authenticate(accessor);
            }
            catch (MessageDeliveryException refused) {
                MessageChannel outbound = clientOutbound == null ? null : clientOutbound.getIfAvailable();
                if (outbound == null) {
                    throw refused;
                }
                StompHeaderAccessor error = StompHeaderAccessor.create(StompCommand.ERROR);
                error.setMessage(refused.getMessage());
                error.setSessionId(accessor.getSessionId());
                outbound.send(MessageBuilder.createMessage(new byte[0], error.getMessageHeaders()));
                return null;
            }
            return message;
        }
        if (command == StompCommand.SUBSCRIBE) {
            return admitSubscription(message, accessor) ? message : null;
        }
        if (command == StompCommand.SEND) {
            return admitSend(message, accessor) ? message : null;
        }
        if (command == StompCommand.UNSUBSCRIBE && accessor.getUser() != null) {
            presence.getObject().unsubscribed(accessor.getSessionId(), accessor.getSubscriptionId(),
                    accessor.getUser().getName());
        }
        return message;
    }

    private void authenticate(StompHeaderAccessor accessor) {
        if (accessor.getUser() != null) {
            return;
        }
        String login = accessor.getLogin();
        if (!trustClientLogin) {
            throw new MessageDeliveryException("Unauthenticated CONNECT refused: sign in (Spring Security), or set "
                    + "roomkit.websocket.trust-client-login=true for development");
        }
        if (!StompPrincipal.isValidName(login)) {
            throw new MessageDeliveryException("CONNECT refused: the login header must be 1 to 64 letters, digits, "
                    + "'_', '.', '@' or '-'");
        }
        accessor.setUser(new StompPrincipal(login));
    }

    private boolean admitSubscription(Message<?> message, StompHeaderAccessor accessor) {
        String destination = accessor.getDestination();
        Principal user = accessor.getUser();
        if (StompDestinations.USER_ERRORS.equals(destination)) {
            return true;
        }
        Optional<RoomDestination> parsed = StompDestinations.parse(destination);
        boolean subscribable = parsed.isPresent() && (parsed.get().topic() || parsed.get().action().equals("history"));
        if (!subscribable) {
            return refuse(user, "unknown_destination", "Nothing to subscribe to at this destination", destination);
        }
        RoomDestination room = parsed.get();
        if (!room.validRoom()) {
            return refuse(user, ErrorCodes.INVALID_ROOM_ID, "Invalid room id '" + room.roomId() + "'", destination);
        }
        if (!accessPolicy.getObject().canSubscribe(user, room.roomId())) {
            return refuse(user, ErrorCodes.NOT_AUTHORIZED, "You may not read room '" + room.roomId() + "'",
                    destination);
        }
        if (room.topic()) {
            presence.getObject().subscribed(accessor.getSessionId(), accessor.getSubscriptionId(), user.getName(),
                    room.roomId());
        }
        return true;
    }

    private boolean admitSend(Message<?> message, StompHeaderAccessor accessor) {
        String destination = accessor.getDestination();
        Principal user = accessor.getUser();
        Optional<RoomDestination> parsed = StompDestinations.parse(destination);
        if (parsed.isEmpty() || parsed.get().topic() || parsed.get().action().equals("history")) {
            return refuse(user, "unknown_destination", "Clients send to /app/rooms.<roomId>.<action> only",
                    destination);
        }
        RoomDestination room = parsed.get();
        if (!room.validRoom()) {
            return refuse(user, ErrorCodes.INVALID_ROOM_ID, "Invalid room id '" + room.roomId() + "'", destination);
        }
        if (!accessPolicy.getObject().canSend(user, room.roomId())) {
            return refuse(user, ErrorCodes.NOT_AUTHORIZED, "You may not write to room '" + room.roomId() + "'",
                    destination);
        }
        return true;
    }

    private boolean refuse(Principal user, String code, String text, String destination) {
        errors.getObject().send(user, code, text, destination);
        return false;
    }
}
