package io.roomkit.spring.stomp;

/**
 * Told when a broker destination gains its first holder among this node's STOMP sessions or loses its last
 * one (for instance, to subscribe the node to a room's cluster channel only while someone on it reads the
 * room). Called on the thread of the frame that changed it, with no lock held: it must be quick, and it must
 * ask {@link RoomKitStompInterceptor#isHeld} for the current state rather than trust the order of its calls,
 * which two sessions may interleave.
 */
@FunctionalInterface
public interface DestinationWatcher {

    /** {@code destination} went from no holder to one, or from one to none, on this node. */
    void holdersChanged(String destination);
}
