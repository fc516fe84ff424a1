package io.roomkit.spring.presence;

import java.util.List;
import java.util.Map;

/**
 * Where the {@link PresenceTracker} counts sessions: in this process ({@link LocalPresenceStore}) or, for a
 * cluster, in Redis ({@code RedisPresenceStore}), so that a user connected to two nodes is online once.
 */
public interface PresenceStore {

    /** Records that a session of the user subscribed to the room; true when it is the user's first there. */
    boolean join(String sessionId, String userId, String roomId);

    /** A session stopped subscribing to the room; true when it was the user's last session there. */
    boolean leave(String sessionId, String roomId);

    /** Records the user's status in the room, for snapshots. */
    void status(String userId, String roomId, String status);

    /**
     * Forgets a session; returns the user and the rooms where this was the user's last session, or
     * {@code null} when the session is unknown (already forgotten).
     */
    Departure disconnect(String sessionId);

    /** Users present in the room, with their status. */
    Map<String, String> present(String roomId);

    /**
     * How many are present in the room, for deciding whether its presence is coalesced: users, or sessions
     * where users cannot be counted in one cheap step (Redis).
     */
    default int size(String roomId) {
        return present(roomId).size();
    }

    /** The rooms a user left when a session went away. */
    record Departure(String userId, List<String> roomsLeft) {
    }
}
