package io.roomkit.spring.stomp;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKit;
import io.roomkit.RoomKitException;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import io.roomkit.spring.support.BoundedCalls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeTypeUtils;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Keeps STOMP subscriptions in step with membership. The kit announces every removal, ban and departure on its
 * {@link RoomKit#MEMBERSHIP_CHANNEL}, which every node hears (the simple broker in process, RabbitMQ through the
 * relay, Redis through the Redis backend); each node then ends the subscriptions its own sessions of that user
 * hold to the room's topics, which also takes them out of presence ({@code presence_offline} when it was their
 * last). {@link #recheck} does the same for a change of the application's own access rules, ending only what
 * the {@link RoomAccessPolicy} no longer admits. Every notice also makes the node forget the access decisions it
 * remembered for that user and room ({@link AccessDecisions}), so their next frame there is checked again.
 * <p>
 * Each ended subscription is told to its session with an error on {@code /user/queue/errors}
 * ({@code {code: "banned" | "not_authorized", message, destination}}, {@code destination} being the topic). The
 * broker is told first, on the session's own connection to it, and the notice follows on the same connection:
 * so once a client has the notice, the broker has ended the subscription, and nothing published to the room
 * afterwards reaches it.
 */
public class MembershipEnforcer implements SmartLifecycle {

    /** Actions that end the user's subscriptions whatever the policy says. */
    private static final Set<String> ENDING = Set.of("removed", "banned", "left");
    /** The action of a {@link #recheck}: the policy decides. */
    static final String RECHECK = "recheck";

    private static final Logger log = LoggerFactory.getLogger(MembershipEnforcer.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RoomKit kit;
    private final ObjectProvider<RoomKitStompInterceptor> interceptor;
    private final ObjectProvider<RoomAccessPolicy> policy;
    private final ObjectProvider<AbstractBrokerMessageHandler> brokers;
    private final BoundedCalls storeCalls;
    private volatile String subscription;

    public MembershipEnforcer(RoomKit kit, ObjectProvider<RoomKitStompInterceptor> interceptor,
            ObjectProvider<RoomAccessPolicy> policy, ObjectProvider<AbstractBrokerMessageHandler> brokers,
            BoundedCalls storeCalls) {
        this.kit = kit;
        this.interceptor = interceptor;
        this.policy = policy;
        this.brokers = brokers;
        this.storeCalls = storeCalls;
    }

    /**
     * Asks the {@link RoomAccessPolicy} again, on every node, about {@code userId}'s open subscriptions to the
     * room, and ends those it no longer admits: call it after changing the rules a custom policy follows.
     */
    public void recheck(String roomId, String userId) {
        kit.realtime().publish(RoomKit.MEMBERSHIP_CHANNEL, EphemeralEvent.of(roomId, EphemeralEventType.CUSTOM,
                userId, null, Map.of("kind", "membership", "action", RECHECK, "user_id", userId)));
    }

    @Override
    public void start() {
        subscription = kit.realtime().subscribe(RoomKit.MEMBERSHIP_CHANNEL, this::onNotice);
    }

    @Override
    public void stop() {
        String current = subscription;
        subscription = null;
        if (current != null) {
            kit.realtime().unsubscribe(current);
        }
    }

    @Override
    public boolean isRunning() {
        return subscription != null;
    }

    private void onNotice(EphemeralEvent notice) {
        Object userId = notice.data().get("user_id");
        Object action = notice.data().get("action");
        if (!"membership".equals(notice.data().get("kind")) || !(userId instanceof String user)
                || !(action instanceof String what)) {
            return;
        }
        // any change (removed, banned, left, recheck, ...): the user's next frame to the room asks the policy again
        RoomKitStompInterceptor guard = interceptor.getIfAvailable();
        if (guard != null) {
            guard.forgetAccess(notice.roomId(), user);
        }
        if (ENDING.contains(what) || RECHECK.equals(what)) {
            enforce(notice.roomId(), user, ENDING.contains(what));
        }
    }

    /** Ends this node's subscriptions of the user to the room: all of them, or those the policy refuses. */
    void enforce(String roomId, String userId, boolean all) {
        RoomKitStompInterceptor guard = interceptor.getIfAvailable();
        if (guard == null) {
            return;
        }
        List<SessionSubscriptions.Subscription> held = guard.roomSubscriptions(userId, roomId);
        if (held.isEmpty()) {
            return;
        }
        if (!all && admitted(held.get(0), roomId)) {
            return;
        }
        String code = banned(roomId, userId) ? ErrorCodes.BANNED : ErrorCodes.NOT_AUTHORIZED;
        for (SessionSubscriptions.Subscription subscription : held) {
            if (guard.revoke(subscription)) {
                end(subscription, roomId, code);
            }
        }
    }

    private boolean admitted(SessionSubscriptions.Subscription subscription, String roomId) {
        try {
            return storeCalls.call("access recheck", () -> policy.getObject().canSubscribe(subscription.user(),
                    roomId));
        }
        catch (RoomKitException ex) {
            // the store did not answer: keep the subscription rather than guess; the next frame is checked anyway
            log.warn("Could not recheck {}'s access to room {}: {}", subscription.user().getName(), roomId,
                    ex.getMessage());
            return true;
        }
    }

    private boolean banned(String roomId, String userId) {
        try {
            return storeCalls.call("ban lookup", () -> kit.isBanned(roomId, userId));
        }
        catch (RoomKitException ex) {
            return false;
        }
    }

    /** UNSUBSCRIBE, then the notice, both on the session's own connection to the broker (see the class doc). */
    private void end(SessionSubscriptions.Subscription subscription, String roomId, String code) {
        MessageHandler broker = broker();
        if (broker == null) {
            return;
        }
        try {
            broker.handleMessage(unsubscribe(subscription));
            broker.handleMessage(notice(subscription, roomId, code));
            log.info("Ended {}'s subscription to {} (session {}): {}", subscription.user().getName(),
                    subscription.destination(), subscription.sessionId(), code);
        }
        catch (RuntimeException ex) {
            log.warn("Could not end {}'s subscription to {}", subscription.user().getName(),
                    subscription.destination(), ex);
        }
    }

    private MessageHandler broker() {
        // the simple broker or the relay, whichever is configured (the other one's bean is a null bean)
        return brokers.stream().filter(Objects::nonNull).filter(AbstractBrokerMessageHandler::isRunning).findFirst()
                .orElse(null);
    }

    private static Message<byte[]> unsubscribe(SessionSubscriptions.Subscription subscription) {
        StompHeaderAccessor headers = StompHeaderAccessor.create(StompCommand.UNSUBSCRIBE);
        headers.setSessionId(subscription.sessionId());
        headers.setSubscriptionId(subscription.subscriptionId());
        headers.setUser(subscription.user());
        headers.setLeaveMutable(true);
        return MessageBuilder.createMessage(new byte[0], headers.getMessageHeaders());
    }

    /** A SEND to the session's own error queue, as Spring's user destinations name it. */
    private static Message<byte[]> notice(SessionSubscriptions.Subscription subscription, String roomId,
            String code) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("code", code);
        payload.put("message", (ErrorCodes.BANNED.equals(code) ? "You were banned from room '"
                : "You no longer have access to room '") + roomId + "'; this subscription has ended");
        payload.put("destination", subscription.destination());
        StompHeaderAccessor headers = StompHeaderAccessor.create(StompCommand.SEND);
        headers.setSessionId(subscription.sessionId());
        headers.setUser(subscription.user());
        headers.setDestination(StompDestinations.ERRORS + "-user" + subscription.sessionId());
        headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
        headers.setLeaveMutable(true);
        return MessageBuilder.createMessage(JSON.writeValueAsBytes(payload), headers.getMessageHeaders());
    }
}
