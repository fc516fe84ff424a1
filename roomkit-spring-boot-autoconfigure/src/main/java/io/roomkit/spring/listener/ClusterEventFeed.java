package io.roomkit.spring.listener;

import io.roomkit.model.RoomEvent;

import java.util.function.Consumer;

/**
 * The persistent events of the whole cluster as one node sees them: what {@link ListenerScope#NODE} persistent
 * listeners receive. A node of a cluster topology (Redis realtime, RabbitMQ relay) provides one; on a single
 * node every event is stored locally and no feed is needed.
 */
public interface ClusterEventFeed {

    /**
     * Calls {@code listener} with every persistent event of the rooms {@code rooms} matches, stored on any node
     * from now on, once each and in index order per room, with no lock held. Returns a handle for
     * {@link #unfollow}.
     */
    String follow(RoomPatterns rooms, Consumer<RoomEvent> listener);

    /** Stops a {@link #follow}; false when the handle is unknown. */
    boolean unfollow(String handle);
}
