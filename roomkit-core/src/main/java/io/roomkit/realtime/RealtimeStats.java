package io.roomkit.realtime;

/**
 * Counters a {@link RealtimeBackend} may expose for health checks and metrics. Optional: the Spring
 * integration reports them when the backend implements this interface.
 */
public interface RealtimeStats {

    /** Events accepted by {@code publish} since the backend was created. */
    long publishedCount();

    /** Events dropped from full subscription queues since the backend was created. */
    long droppedCount();

    /** Live subscriptions. */
    int subscriptionCount();

    /** Whether the backend accepts subscriptions (not closed, and connected where it has a connection). */
    boolean isOpen();
}
