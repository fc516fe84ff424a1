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
 * <p>
 * It also counts each destination's holders on this node and tells a {@link DestinationWatcher} when a
 * destination gains its first or loses its last holder.
 */
final class SessionSubscriptions {

    private final Map<String, Held> bySession = new ConcurrentHashMap<>();
    private final Map<String, Integer> holders = new ConcurrentHashMap<>();
    private volatile DestinationWatcher watcher = destination -> {
    };

    /** Tells {@code watcher} of every destination that gains its first or loses its last holder from now on. */
    void watch(DestinationWatcher watcher) {
        this.watcher = watcher;
    }

    /** Whether a session of this node holds {@code destination}. */
    boolean isHeld(String destination) {
        return holders.containsKey(destination);
    }

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
        String replaced = bySession.computeIfAbsent(sessionId, id -> new Held(user)).destinations.put(subscriptionId,
                destination);
        if (replaced != null) {
            released(replaced);
        }
        if (holders.merge(destination, 1, Integer::sum) == 1) {
            watcher.holdersChanged(destination);
        }
    }

    private void released(String destination) {
        boolean last = holders.computeIfPresent(destination, (key, count) -> count == 1 ? null : count - 1) == null;
        if (last) {
            watcher.holdersChanged(destination);
        }
    }

    /** Forgets the subscription; false when the session held no broker subscription with that id. */
    boolean remove(String sessionId, String subscriptionId) {
        Held held = bySession.get(sessionId);
        String destination = held == null || subscriptionId == null ? null : held.destinations.remove(subscriptionId);
        if (destination == null) {
            return false;
        }
        released(destination);
        return true;
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
        Held held = bySession.remove(sessionId);
        if (held != null) {
            held.destinations.keySet().forEach(subscriptionId -> {
                String destination = held.destinations.remove(subscriptionId);
                if (destination != null) {
                    released(destination);
                }
            });
        }
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
