package io.roomkit.realtime;

/**
 * Publish/subscribe transport for ephemeral events: at-most-once, no replay, never stored. Logical
 * channels are strings; a room's channel is {@code room:<roomId>}. A subscription channel that contains
 * {@code *} is a {@link ChannelPattern} and receives the events of every matching channel, including
 * channels that first appear after the subscription.
 */
public interface RealtimeBackend extends AutoCloseable {

    /** The logical channel of a room's ephemeral events. */
    static String roomChannel(String roomId) {
        return "room:" + roomId;
    }

    /** Hands {@code event} to every current subscriber of {@code channel}; never waits for listeners. */
    void publish(String channel, EphemeralEvent event);

    /**
     * Subscribes {@code listener} to {@code channel} and returns the subscription id. Events published after
     * this returns are delivered, asynchronously and in publish order.
     */
    String subscribe(String channel, EphemeralListener listener);

    /** Stops a subscription; {@code false} if the id is unknown (or already stopped). */
    boolean unsubscribe(String subscriptionId);

    /** Publishes on the room's channel. */
    default void publishToRoom(String roomId, EphemeralEvent event) {
        publish(roomChannel(roomId), event);
    }

    /** Subscribes to the room's channel. */
    default String subscribeToRoom(String roomId, EphemeralListener listener) {
        return subscribe(roomChannel(roomId), listener);
    }

    /** Stops every subscription; afterwards {@code publish} is a no-op and {@code subscribe} is refused. */
    @Override
    void close();
}
