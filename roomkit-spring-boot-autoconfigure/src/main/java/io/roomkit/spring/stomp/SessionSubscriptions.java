package io.roomkit.spring.stomp;

import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker subscriptions each STOMP session holds (topics and {@code /user/queue/errors}), by subscription id.
 * The broker must only ever see an UNSUBSCRIBE of an id it knows: RabbitMQ answers any other with an ERROR that
 * ends the session, and the history request's id never reaches it (it is answered by the application). A
 * session holds each destination once, so that a client cannot have every message of a room delivered to it
 * many times over. The session's user is kept too, so that a membership change can find a user's sessions.
 * <p>
 * Frames of one session arrive one at a time (receive order is preserved); the only other writer is the
 * {@link MembershipEnforcer} ending a subscription, and {@link #remove} decides atomically which of the two
 * passes an UNSUBSCRIBE on.
 */
final class SessionSubscriptions {

    private final Map<String, Held> bySession = new ConcurrentHashMap<>();

    /** A broker subscription of a session. */
    record Subscription(String sessionId, String subscriptionId, String destination, Principal user) {
    }

    /** Whether the session already holds {@code destination} or uses {@code subscriptionId} for a subscription. */
    boolean holds(String sessionId, String subscriptionId, String destination) {
        Held held = bySession.get(sessionId);
        return held != null && (held.destinations.containsKey(subscriptionId)
                || held.destinations.containsValue(destination));
    }

    /** How many broker subscriptions the session holds. */
    int count(String sessionId) {
        Held held = bySession.get(sessionId);
        return held == null ? 0 : held.destinations.size();
    }

    /** Records a broker subscription the session was admitted to. */
    void add(String sessionId, String subscriptionId, String destination, Principal user) {
        bySession.computeIfAbsent(sessionId, id -> new Held(user)).destinations.put(subscriptionId, destination);
    }

    /** Forgets the subscription; false when the session held no broker subscription with that id. */
    boolean remove(String sessionId, String subscriptionId) {
        Held held = bySession.get(sessionId);
        return held != null && subscriptionId != null && held.destinations.remove(subscriptionId) != null;
    }

    /** The subscriptions of {@code userName}'s sessions whose destination is one of {@code destinations}. */
    List<Subscription> of(String userName, List<String> destinations) {
        List<Subscription> found = new ArrayList<>();
        bySession.forEach((sessionId, held) -> {
            if (held.user != null && held.user.getName().equals(userName)) {
                held.destinations.forEach((subscriptionId, destination) -> {
                    if (destinations.contains(destination)) {
                        found.add(new Subscription(sessionId, subscriptionId, destination, held.user));
                    }
                });
            }
        });
        return found;
    }

    /** The session ended. */
    void forget(String sessionId) {
        bySession.remove(sessionId);
    }

    /** What one session holds: its user and its broker destinations by subscription id. */
    private static final class Held {

        private final Principal user;
        private final Map<String, String> destinations = new ConcurrentHashMap<>();

        private Held(Principal user) {
            this.user = user;
        }
    }
}
