package io.roomkit.concurrent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A pool that stays small while its tasks make progress and grows while they are stuck: the executor for work
 * that runs code RoomKit does not own (listeners, channels, hooks) or that may block on a slow peer (a client
 * that stops reading).
 * <p>
 * Tasks queue for {@code baseThreads} workers, so a busy server does not start a thread per task. A watchdog
 * looks every check period: when every worker is busy and queued tasks have made no progress since the last
 * look, it adds a worker for each queued task (up to {@code maxThreads}), so that a few stuck tasks never stall
 * the others. The extra workers go again once the queue is empty.
 */
public final class ElasticExecutor implements Executor, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ElasticExecutor.class);

    /** How often the watchdog looks for stuck workers unless told otherwise. */
    public static final Duration DEFAULT_CHECK_PERIOD = Duration.ofMillis(100);

    private final String name;
    private final int baseThreads;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService watchdog;
    private long completedAtLastCheck = -1; // watchdog thread only
    private boolean warnedAtMax; // watchdog thread only

    /** A pool of {@code max(2, processors)} workers at rest and up to 64. */
    public ElasticExecutor(String name) {
        this(name, Math.max(2, Runtime.getRuntime().availableProcessors()), 64, DEFAULT_CHECK_PERIOD);
    }

    /**
     * @param name        prefix of the worker threads' names
     * @param baseThreads workers at rest
     * @param maxThreads  most workers while tasks are stuck
     * @param checkPeriod how often the watchdog looks for stuck workers
     */
    public ElasticExecutor(String name, int baseThreads, int maxThreads, Duration checkPeriod) {
        if (baseThreads < 1 || maxThreads < baseThreads) {
            throw new IllegalArgumentException("need 1 <= baseThreads <= maxThreads");
        }
        long periodMillis = Math.max(1, checkPeriod.toMillis());
        this.name = name;
        this.baseThreads = baseThreads;
        this.workers = new ThreadPoolExecutor(baseThreads, maxThreads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), DaemonThreads.named(name + "-"));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(name + "-watchdog-"));
        this.watchdog.scheduleWithFixedDelay(this::compensateForStuckWorkers, periodMillis, periodMillis,
                TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} on a worker; refused with {@link RejectedExecutionException} after {@link #close()}. */
    @Override
    public void execute(Runnable task) {
        workers.execute(task);
    }

    /** Live worker threads, for tests and metrics. */
    public int threadCount() {
        return workers.getPoolSize();
    }

    /** Tasks waiting for a worker, for tests and metrics. */
    public int queuedTasks() {
        return workers.getQueue().size();
    }

    /** Whether {@link #close()} or {@link #shutdown()} was called. */
    public boolean isShutdown() {
        return workers.isShutdown();
    }

    private void compensateForStuckWorkers() {
        long completed = workers.getCompletedTaskCount();
        int queued = workers.getQueue().size();
        int core = workers.getCorePoolSize();
        int max = workers.getMaximumPoolSize();
        boolean stuck = queued > 0 && completed == completedAtLastCheck && workers.getActiveCount() >= core;
        completedAtLastCheck = completed;
        if (stuck && core < max) {
            log.debug("Workers of {} all busy with {} tasks queued; growing from {}", name, queued, core);
            workers.setCorePoolSize(Math.min(max, core + queued));
        }
        else if (stuck && !warnedAtMax) {
            warnedAtMax = true;
            log.warn("All {} workers of {} are stuck and {} tasks wait; raise the pool's maximum or find the task "
                    + "that blocks (a thread dump shows it)", max, name, queued);
        }
        else if (queued == 0 && core > baseThreads && workers.getActiveCount() < core) {
            workers.setCorePoolSize(Math.max(baseThreads, workers.getActiveCount()));
            warnedAtMax = false;
        }
    }

    /** Refuses new tasks and lets queued ones finish; see {@link #awaitTermination}. */
    public void shutdown() {
        watchdog.shutdownNow();
        workers.shutdown();
    }

    /** Waits for the workers to finish after {@link #shutdown()}; true when they did in time. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return workers.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Stops the workers at once, interrupting tasks that are still running. */
    @Override
    public void close() {
        watchdog.shutdownNow();
        workers.shutdownNow();
    }
}
