package io.roomkit.realtime;

import io.roomkit.concurrent.ElasticExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * One subscription's bounded queue and its drain task, shared by the realtime backends.
 * <p>
 * {@link #offer} never blocks: when the queue is full the <em>oldest</em> queued event is dropped. At most one
 * drain task per subscription is scheduled at a time, so the listener sees events one by one in offer order;
 * a drain hands its worker back after {@value #BATCH} events so that a busy subscription cannot starve
 * the others.
 */
public final class QueuedSubscription implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(QueuedSubscription.class);
    private static final int BATCH = 64;

    private final String id;
    private final String channel;
    private final EphemeralListener listener;
    private final int maxQueueSize;
    private final ElasticExecutor dispatcher;
    private final LongAdder dropped;
    private final ArrayDeque<EphemeralEvent> queue = new ArrayDeque<>();
    private boolean scheduled;
    private boolean stopped;

    /**
     * @param dropped a counter shared by the backend, incremented for every event dropped on overflow
     */
    public QueuedSubscription(String id, String channel, EphemeralListener listener, int maxQueueSize,
            ElasticExecutor dispatcher, LongAdder dropped) {
        if (maxQueueSize < 1) {
            throw new IllegalArgumentException("maxQueueSize must be at least 1, was " + maxQueueSize);
        }
        this.id = id;
        this.channel = channel;
        this.listener = listener;
        this.maxQueueSize = maxQueueSize;
        this.dispatcher = dispatcher;
        this.dropped = dropped;
    }

    public String id() {
        return id;
    }

    public String channel() {
        return channel;
    }

    /** Queues {@code event}, dropping the oldest queued event when the queue is full. */
    public void offer(EphemeralEvent event) {
        synchronized (this) {
            if (stopped) {
                return;
            }
            if (queue.size() >= maxQueueSize) {
                queue.pollFirst();
                dropped.increment();
            }
            queue.addLast(event);
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        schedule();
    }

    /** Discards queued events and refuses new ones; a listener call already running finishes. */
    public void stop() {
        synchronized (this) {
            stopped = true;
            queue.clear();
        }
    }

    @Override
    public void run() {
        for (int delivered = 0; delivered < BATCH; delivered++) {
            EphemeralEvent next;
            synchronized (this) {
                next = stopped ? null : queue.pollFirst();
                if (next == null) {
                    scheduled = false;
                    return;
                }
            }
            deliver(next);
            if (Thread.currentThread().isInterrupted()) {
                // hand the worker back: the pool clears the flag before our next turn unless it is shutting down
                break;
            }
        }
        schedule();
    }

    private void deliver(EphemeralEvent event) {
        try {
            listener.onEvent(event);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (Exception | LinkageError | AssertionError | StackOverflowError ex) {
            log.warn("Listener of subscription {} on '{}' failed on {} event {}; it keeps its subscription", id,
                    channel, event.type().value(), event.id(), ex);
        }
    }

    private void schedule() {
        try {
            dispatcher.execute(this);
        }
        catch (RejectedExecutionException ex) {
            stop();
        }
    }
}
