package io.roomkit.realtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The small, shared pool of threads that runs the listeners of every subscription of a backend.
 * <p>
 * Thousands of subscriptions share {@code baseThreads} workers. A listener that blocks pins one worker;
 * when every worker is pinned and queued work has made no progress for a watchdog period, the pool adds
 * a worker (up to {@code maxThreads}), so that a stuck listener never stalls the others. Extra workers
 * are released when the queue is empty again.
 */
public final class ListenerDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ListenerDispatcher.class);
    private static final long WATCHDOG_PERIOD_MS = 100;

    private final int baseThreads;
    private final int maxThreads;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService watchdog;
    private long completedAtLastCheck = -1;

    /** A dispatcher with {@code max(2, processors)} base workers and up to 64 in all. */
    public ListenerDispatcher(String name) {
        this(name, Math.max(2, Runtime.getRuntime().availableProcessors()), 64);
    }

    public ListenerDispatcher(String name, int baseThreads, int maxThreads) {
        if (baseThreads < 1 || maxThreads < baseThreads) {
            throw new IllegalArgumentException("need 1 <= baseThreads <= maxThreads");
        }
        this.baseThreads = baseThreads;
        this.maxThreads = maxThreads;
        this.workers = new ThreadPoolExecutor(baseThreads, maxThreads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemonThreads(name));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(daemonThreads(name + "-watchdog"));
        this.watchdog.scheduleWithFixedDelay(this::compensateForBlockedWorkers, WATCHDOG_PERIOD_MS,
                WATCHDOG_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} on a worker; refused with {@link RejectedExecutionException} after {@link #close()}. */
    public void execute(Runnable task) {
        workers.execute(task);
    }

    /** Live worker threads, for tests and metrics. */
    public int threadCount() {
        return workers.getPoolSize();
    }

    private void compensateForBlockedWorkers() {
        long completed = workers.getCompletedTaskCount();
        boolean stalled = !workers.getQueue().isEmpty() && completed == completedAtLastCheck
                && workers.getActiveCount() >= workers.getCorePoolSize();
        completedAtLastCheck = completed;
        int core = workers.getCorePoolSize();
        if (stalled && core < maxThreads) {
            log.debug("Listener workers all blocked; adding worker {}", core + 1);
            workers.setCorePoolSize(core + 1);
        }
        else if (workers.getQueue().isEmpty() && core > baseThreads && workers.getActiveCount() < core) {
            workers.setCorePoolSize(Math.max(baseThreads, workers.getActiveCount()));
        }
    }

    /** Stops the workers, interrupting listeners that are still running. */
    @Override
    public void close() {
        watchdog.shutdownNow();
        workers.shutdownNow();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
