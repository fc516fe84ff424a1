package io.roomkit.pipeline;

/**
 * One recipient of a room's committed events: a transport channel's binding, or a hook of an observing trigger
 * ({@code AFTER_BROADCAST}, the mutation triggers; persistent {@code @RoomEventListener}s are such hooks). Each
 * sink sees the room's events one at a time, in index order.
 */
interface DeliverySink {

    /**
     * What identifies the sink from one event to the next: the channel id, or the hook itself. A sink that
     * stalls is set aside under this key, and its later events wait for it under the same key.
     */
    Object key();

    /** Hands the plan's event to the sink; runs code RoomKit does not own, so it may block or throw. */
    void deliver(DeliveryPlan plan) throws Exception;

    /** Whether the sink may run on the writer's thread: it is {@link NonBlocking}. */
    boolean inline();

    /** A name for log lines. */
    String describe();
}
