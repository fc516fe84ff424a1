package io.roomkit.realtime;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKitException;
import io.roomkit.concurrent.ElasticExecutor;
import io.roomkit.model.RandomIds;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The subscriptions a realtime backend holds on this node, by id: each one's bounded queue
 * ({@link QueuedSubscription}), the one small {@link ElasticExecutor} that drains them all, and the counters
 * {@link RealtimeStats} reports. Shared by the backends ({@link InMemoryRealtime}, and through it the STOMP
 * backend, and the Redis backend), which keep only their own index from channel to subscriptions.
 */
public final class LocalSubscriptions implements AutoCloseable {

    private final int maxQueueSize;
    private final ElasticExecutor dispatcher;
    private final Map<String, QueuedSubscription> byId = new ConcurrentHashMap<>();
    private final LongAdder published = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    /**
     * @param threadName   prefix of the names of the threads that run listeners
     * @param maxQueueSize capacity of each subscription's queue, at least 1
     */
    public LocalSubscriptions(String threadName, int maxQueueSize) {
        if (maxQueueSize < 1) {
            throw new IllegalArgumentException("maxQueueSize must be at least 1, was " + maxQueueSize);
        }
        this.maxQueueSize = maxQueueSize;
        this.dispatcher = new ElasticExecutor(threadName);
    }

    /** A new subscription of {@code listener} to {@code channel}, with a fresh id, registered under it. */
    public QueuedSubscription open(String channel, EphemeralListener listener) {
        QueuedSubscription subscription = new QueuedSubscription(RandomIds.next(), channel, listener, maxQueueSize,
                dispatcher, dropped);
        byId.put(subscription.id(), subscription);
        return subscription;
    }

    /** Removes and stops the subscription; {@code null} when there is none with this id. */
    public QueuedSubscription remove(String subscriptionId) {
        QueuedSubscription subscription = byId.remove(subscriptionId);
        if (subscription != null) {
            subscription.stop();
        }
        return subscription;
    }

    /** The ids of the subscriptions held now. */
    public List<String> ids() {
        return List.copyOf(byId.keySet());
    }

    /** Counts one event published by the backend. */
    public void countPublished() {
        published.increment();
    }

    /** Counts one event the backend dropped before it reached any queue (a full publish queue, say). */
    public void countDropped() {
        dropped.increment();
    }

    public int maxQueueSize() {
        return maxQueueSize;
    }

    public int count() {
        return byId.size();
    }

    public long publishedCount() {
        return published.sum();
    }

    public long droppedCount() {
        return dropped.sum();
    }

    /** Threads currently running listeners. */
    public int threadCount() {
        return dispatcher.threadCount();
    }

    /** The error of a subscribe to a backend that is closed. */
    public static RoomKitException closedError() {
        return new RoomKitException(ErrorCodes.REALTIME_CLOSED, "The realtime backend is closed");
    }

    /** Stops the listener threads; the backend removes its subscriptions first. */
    @Override
    public void close() {
        dispatcher.close();
    }
}
