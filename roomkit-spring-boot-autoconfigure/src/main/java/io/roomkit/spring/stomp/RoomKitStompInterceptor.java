package io.roomkit.spring.stomp;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKitException;
import io.roomkit.spring.presence.PresenceTracker;
import io.roomkit.spring.stomp.StompDestinations.RoomDestination;
import io.roomkit.spring.stomp.StompRateLimiter.Refusal;
import io.roomkit.spring.support.BoundedCalls;
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
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Guards the client inbound channel: identity on CONNECT, and on every SUBSCRIBE and SEND the destination
 * (only the protocol's destinations; clients never send to topics), the room id and the
 * {@link RoomAccessPolicy}. A refused SUBSCRIBE or SEND is dropped and reported on {@code /user/queue/errors}
 * to the session that sent it; the connection stays open. Before any of that work, the {@link StompRateLimiter}
 * may refuse the frame with {@code rate_limited}. A session holds each broker destination once, and
 * only the UNSUBSCRIBE of a broker subscription it holds goes on to the broker. Only a CONNECT without an
 * acceptable identity is answered with a STOMP ERROR.
 */
public class RoomKitStompInterceptor implements ChannelInterceptor {

    private final boolean trustClientLogin;
    private final ObjectProvider<RoomAccessPolicy> accessPolicy;
    private final ObjectProvider<PresenceTracker> presence;
    private final ObjectProvider<StompErrors> errors;
    private final ObjectProvider<MessageChannel> clientOutbound;
    private final SessionSubscriptions subscriptions = new SessionSubscriptions();
    private final BoundedCalls storeCalls;
    private final StompRateLimiter limits;
    private final AccessDecisions access;

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
        this(trustClientLogin, accessPolicy, presence, errors, clientOutbound, BoundedCalls.direct());
    }

    /**
     * With {@code storeCalls}, the access policy (which usually reads the store) is asked within its timeout; a
     * policy that cannot answer in time refuses the frame with {@code unavailable}.
     */
    public RoomKitStompInterceptor(boolean trustClientLogin, ObjectProvider<RoomAccessPolicy> accessPolicy,
            ObjectProvider<PresenceTracker> presence, ObjectProvider<StompErrors> errors,
            ObjectProvider<MessageChannel> clientOutbound, BoundedCalls storeCalls) {
        this(trustClientLogin, accessPolicy, presence, errors, clientOutbound, storeCalls,
                StompRateLimiter.unlimited());
    }

    /** With {@code limits}, frames over the client's rate limits are refused before they do any work. */
    public RoomKitStompInterceptor(boolean trustClientLogin, ObjectProvider<RoomAccessPolicy> accessPolicy,
            ObjectProvider<PresenceTracker> presence, ObjectProvider<StompErrors> errors,
            ObjectProvider<MessageChannel> clientOutbound, BoundedCalls storeCalls, StompRateLimiter limits) {
        this(trustClientLogin, accessPolicy, presence, errors, clientOutbound, storeCalls, limits, Duration.ZERO);
    }

    /**
     * With a positive {@code accessTtl}, the policy's "allowed" answers are remembered per session and room for
     * up to that long (see {@link AccessDecisions}), so that a session's frames to a room do not each read the
     * store; the {@link MembershipEnforcer} forgets them when the user's membership changes.
     */
    public RoomKitStompInterceptor(boolean trustClientLogin, ObjectProvider<RoomAccessPolicy> accessPolicy,
            ObjectProvider<PresenceTracker> presence, ObjectProvider<StompErrors> errors,
            ObjectProvider<MessageChannel> clientOutbound, BoundedCalls storeCalls, StompRateLimiter limits,
            Duration accessTtl) {
        this.access = new AccessDecisions(accessTtl);
        this.limits = limits;
        this.trustClientLogin = trustClientLogin;
        this.accessPolicy = accessPolicy;
        this.presence = presence;
        this.errors = errors;
        this.clientOutbound = clientOutbound;
        this.storeCalls = storeCalls;
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
        if (command == StompCommand.UNSUBSCRIBE) {
            return unsubscribe(message, accessor);
        }
        if (command == StompCommand.DISCONNECT) {
            subscriptions.forget(accessor.getSessionId());
            access.forget(accessor.getSessionId());
        }
        return message;
    }

    /**
     * Passes on the UNSUBSCRIBE of a broker subscription the session holds, and drops any other: the history
     * request's id (answered by the application, unknown to the broker) and ids the session never used.
     */
    private Message<?> unsubscribe(Message<?> message, StompHeaderAccessor accessor) {
        if (!subscriptions.remove(accessor.getSessionId(), accessor.getSubscriptionId())) {
            return null;
        }
        if (accessor.getUser() != null) {
            presence.getObject().unsubscribed(accessor.getSessionId(), accessor.getSubscriptionId(),
                    accessor.getUser().getName());
        }
        return message;
    }

    private void authenticate(StompHeaderAccessor accessor) {
        if (accessor.getUser() != null) {
            // principal names come from the application's identity provider; refuse those no store can keep
            if (!UserChannel.isUsableName(accessor.getUser().getName())) {
                throw new MessageDeliveryException("CONNECT refused: RoomKit cannot act for a user of this name (1 to "
                        + UserChannel.MAX_NAME_LENGTH + " characters, no control characters)");
            }
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
        String session = accessor.getSessionId();
        Optional<RoomDestination> parsed = StompDestinations.parse(destination);
        // the user's own queues: errors, and the room updates of UserRoomUpdates
        boolean errorQueue = StompDestinations.USER_ERRORS.equals(destination)
                || UserRoomUpdates.USER_DESTINATION.equals(destination);
        boolean subscribable = errorQueue
                || parsed.isPresent() && (parsed.get().topic() || parsed.get().action().equals("history"));
        if (!subscribable) {
            return refuse(accessor, StompErrors.UNKNOWN_DESTINATION, "Nothing to subscribe to at this destination");
        }
        boolean brokered = errorQueue || parsed.get().topic();
        if (brokered && subscriptions.holds(session, accessor.getSubscriptionId(), destination)) {
            return refuse(accessor, StompErrors.ALREADY_SUBSCRIBED, "This session already subscribes to "
                    + destination + " or uses subscription id '" + accessor.getSubscriptionId() + "'");
        }
        Optional<Refusal> limited = brokered ? limits.subscription(subscriptions.count(session))
                : limits.history(user);
        if (limited.isPresent()) {
            return refuseLimited(accessor, limited.get());
        }
        if (!errorQueue && !admitRoom(accessor, parsed.get(), true)) {
            return false;
        }
        if (brokered) {
            subscriptions.add(session, accessor.getSubscriptionId(), destination, user);
        }
        if (!errorQueue && parsed.get().topic()) {
            presence.getObject().subscribed(session, accessor.getSubscriptionId(), user.getName(),
                    parsed.get().roomId());
        }
        return true;
    }

    /** The room id is valid and the access policy lets the user read ({@code read}) or write the room. */
    private boolean admitRoom(StompHeaderAccessor accessor, RoomDestination room, boolean read) {
        Principal user = accessor.getUser();
        if (!room.validRoom()) {
            return refuse(accessor, ErrorCodes.INVALID_ROOM_ID, "Invalid room id '" + room.roomId() + "'");
        }
        String session = accessor.getSessionId();
        if (access.isAllowed(session, room.roomId(), read)) {
            return true;
        }
        long asked = access.generation();
        RoomAccessPolicy policy = accessPolicy.getObject();
        String refusal;
        try {
            // Shared by the user's frames for this room that ask at the same time, and by a retry after a timeout;
            // never across a membership change (the generation is part of the key). The refusal's code (banned
            // or not) is only looked up for a frame that is refused.
            Supplier<String> check = () -> (read ? policy.canSubscribe(user, room.roomId())
                    : policy.canSend(user, room.roomId())) ? null : policy.refusalCode(user, room.roomId());
            refusal = storeCalls.callShared(new AccessQuestion(user, room.roomId(), read, asked), "access check",
                    check);
            if (refusal == null && access.generation() != asked) {
                // membership changed while the shared check ran, which may have read it before: ask again alone
                refusal = storeCalls.call("access check", check);
            }
        }
        catch (RateLimitedException limited) {
            return refuseLimited(accessor, limited.refusal());
        }
        catch (RoomKitException unavailable) {
            if (!ErrorCodes.UNAVAILABLE.equals(unavailable.code())) {
                throw unavailable;
            }
            return refuse(accessor, ErrorCodes.UNAVAILABLE, unavailable.getMessage());
        }
        if (ErrorCodes.BANNED.equals(refusal)) {
            return refuse(accessor, refusal, "You are banned from room '" + room.roomId() + "'");
        }
        if (refusal != null) {
            return refuse(accessor, refusal, read ? "You may not read room '" + room.roomId() + "'"
                    : "You may not write to room '" + room.roomId() + "'");
        }
        access.allow(session, user == null ? null : user.getName(), room.roomId(), read, asked);
        return true;
    }

    private boolean admitSend(Message<?> message, StompHeaderAccessor accessor) {
        Optional<RoomDestination> parsed = StompDestinations.parse(accessor.getDestination());
        if (parsed.isEmpty() || parsed.get().topic() || parsed.get().action().equals("history")) {
            return refuse(accessor, StompErrors.UNKNOWN_DESTINATION,
                    "Clients send to /app/rooms.<roomId>.<action> only, without a query string");
        }
        Optional<Refusal> limited = limits.send(accessor.getUser(), parsed.get().action());
        if (limited.isPresent()) {
            return refuseLimited(accessor, limited.get());
        }
        return admitRoom(accessor, parsed.get(), false);
    }

    /** Reports {@code rate_limited} with {@code retry_after_ms} (null when waiting does not help). */
    private boolean refuseLimited(StompHeaderAccessor accessor, Refusal refusal) {
        errors.getObject().send(accessor.getUser(), accessor.getSessionId(), ErrorCodes.RATE_LIMITED,
                refusal.message(), accessor.getDestination(),
                Collections.<String, Object>singletonMap("retry_after_ms", refusal.retryAfterMillis()));
        return false;
    }

    /**
     * The subscriptions to the room's topics that {@code userName}'s sessions hold on this node, for the
     * {@link MembershipEnforcer}.
     */
    List<SessionSubscriptions.Subscription> roomSubscriptions(String userName, String roomId) {
        return subscriptions.of(userName, List.of(StompDestinations.eventsTopic(roomId),
                StompDestinations.ephemeralTopic(roomId)));
    }

    /**
     * Forgets the remembered access decisions of {@code userName}'s sessions on this node for the room: their
     * next frame there asks the policy again. Called for every membership notice.
     */
    void forgetAccess(String roomId, String userName) {
        access.revoke(roomId, userName);
    }

    /**
     * Ends a subscription on the server's initiative (the user lost access to the room): forgotten here and in
     * presence, exactly as the client's own UNSUBSCRIBE would be. False when the session no longer held it
     * (the client unsubscribed or disconnected first), in which case the broker must not be told again.
     */
    boolean revoke(SessionSubscriptions.Subscription subscription) {
        if (!subscriptions.remove(subscription.sessionId(), subscription.subscriptionId())) {
            return false;
        }
        presence.getObject().unsubscribed(subscription.sessionId(), subscription.subscriptionId(),
                subscription.user().getName());
        return true;
    }

    /** Tells {@code watcher} when a broker destination gains its first or loses its last holder on this node. */
    public void watchDestinations(DestinationWatcher watcher) {
        subscriptions.watch(watcher);
    }

    /** Whether a STOMP session of this node holds a broker subscription to {@code destination}. */
    public boolean isHeld(String destination) {
        return subscriptions.isHeld(destination);
    }

    private boolean refuse(StompHeaderAccessor accessor, String code, String text) {
        errors.getObject().send(accessor.getUser(), accessor.getSessionId(), code, text, accessor.getDestination());
        return false;
    }

    /**
     * One user's question about one room, asked since the {@code generation}-th membership change: the key under
     * which concurrent access checks are shared. The principal itself, not its name, so that two sessions of one
     * user with different authorities (a narrower token on one of them) never share an answer.
     */
    private record AccessQuestion(Principal user, String roomId, boolean read, long generation) {
    }
}
