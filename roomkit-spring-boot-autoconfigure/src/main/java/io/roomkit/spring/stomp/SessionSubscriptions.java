package io.roomkit.spring.stomp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker subscriptions each STOMP session holds (topics and {@code /user/queue/errors}), by subscription id.
 * The broker must only ever see an UNSUBSCRIBE of an id it knows: RabbitMQ answers any other with an ERROR that
 * ends the session, and the history request's id never reaches it (it is answered by the application). A
 * session holds each destination once, so that a client cannot have every message of a room delivered to it
 * many times over.
 * <p>
 * Frames of one session arrive one at a time (receive order is preserved), so the per-session maps need no
 * locking of their own.
 */
final class SessionSubscriptions {

    private final Map<String, Map<String, String>> bySession = new ConcurrentHashMap<>();

    /** Whether the session already holds {@code destination} or uses {@code subscriptionId} for a subscription. */
    boolean holds(String sessionId, String subscriptionId, String destination) {
        Map<String, String> held = bySession.get(sessionId);
        return held != null && (held.containsKey(subscriptionId) || held.containsValue(destination));
    }

    /** How many broker subscriptions the session holds. */
    int count(String sessionId) {
        Map<String, String> held = bySession.get(sessionId);
        return held == null ? 0 : held.size();
    }

    /** Records a broker subscription the session was admitted to. */
    void add(String sessionId, String subscriptionId, String destination) {
        bySession.computeIfAbsent(sessionId, id -> new ConcurrentHashMap<>()).put(subscriptionId, destination);
    }

    /** Forgets the subscription; false when the session held no broker subscription with that id. */
    boolean remove(String sessionId, String subscriptionId) {
        Map<String, String> held = bySession.get(sessionId);
        return held != null && subscriptionId != null && held.remove(subscriptionId) != null;
    }

    /** The session ended. */
    void forget(String sessionId) {
        bySession.remove(sessionId);
    }
}
