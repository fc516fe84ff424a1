package io.roomkit.concurrent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A pool that stays small while its tasks make progress and grows while they are stuck: the executor for work
 * that runs code RoomKit does not own (listeners, channels, hooks) or that may block on a slow peer (a client
 * that stops reading).
 * <p>
 * Tasks queue for {@code baseThreads} workers, so a busy server does not start a thread per task. A watchdog
 * looks every check period and counts the workers whose current task has run for more than
 * {@value #STUCK_CHECKS} check periods: while tasks are queued, the pool has {@code baseThreads} plus that many
 * workers (up to {@code maxThreads}), so that a few stuck tasks never stall the others, and it shrinks back as
 * they finish.
 * <p>
 * It grows by the workers that are held, not by the length of the queue: on a saturated machine (a GC pause, the
 * CPU shared with the load itself) no task may finish within one check period although none is stuck, and
 * growing then by every queued task added dozens of threads that the busy queue never let go, which halved a
 * STOMP server's throughput for the rest of its run.
 */
public final class ElasticExecutor implements Executor, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ElasticExecutor.class);

    /** How often the watchdog looks for stuck workers unless told otherwise. */
    public static final Duration DEFAULT_CHECK_PERIOD = Duration.ofMillis(100);
    /** A task that has run for this many check periods holds its worker: it is stuck. */
    public static final int STUCK_CHECKS = 5;

    private final String name;
    private final int baseThreads;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService watchdog;
    private final long stuckNanos;
    /** The workers, each with the start time of its current task (0 when idle). */
    private final Set<Worker> running = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Worker> current = new ThreadLocal<>();
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
        this.stuckNanos = TimeUnit.MILLISECONDS.toNanos(periodMillis * STUCK_CHECKS);
        ThreadFactory threads = DaemonThreads.named(name + "-");
        this.workers = new ThreadPoolExecutor(baseThreads, maxThreads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), runnable -> threads.newThread(() -> runWorker(runnable))) {

            @Override
            protected void beforeExecute(Thread thread, Runnable task) {
                Worker worker = current.get();
                if (worker != null) {
                    worker.startedAt = System.nanoTime() | 1; // never 0, which means idle
                }
            }

            @Override
            protected void afterExecute(Runnable task, Throwable failure) {
                Worker worker = current.get();
                if (worker != null) {
                    worker.startedAt = 0;
                }
            }
        };
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

    /** A worker thread's whole life: registered while it lives, so that the watchdog sees its current task. */
    private void runWorker(Runnable loop) {
        Worker worker = new Worker();
        current.set(worker);
        running.add(worker);
        try {
            loop.run();
        }
        finally {
            running.remove(worker);
            current.remove();
        }
    }

    private void compensateForStuckWorkers() {
        long now = System.nanoTime();
        int stuck = 0;
        for (Worker worker : running) {
            long started = worker.startedAt;
            if (started != 0 && now - started > stuckNanos) {
                stuck++;
            }
        }
        int queued = workers.getQueue().size();
        int core = workers.getCorePoolSize();
        int max = workers.getMaximumPoolSize();
        int wanted = Math.min(max, baseThreads + stuck);
        if (queued > 0 && wanted > core) {
            log.debug("{} workers of {} stuck with {} tasks queued; growing from {} to {}", stuck, name, queued,
                    core, wanted);
            workers.setCorePoolSize(wanted);
        }
        else if (queued > 0 && stuck >= max && !warnedAtMax) {
            warnedAtMax = true;
            log.warn("All {} workers of {} are stuck and {} tasks wait; raise the pool's maximum or find the task "
                    + "that blocks (a thread dump shows it)", max, name, queued);
        }
        else if (wanted < core) {
            // idle workers above the new size end; busy ones when their task is done
            workers.setCorePoolSize(Math.max(baseThreads, wanted));
            warnedAtMax = false;
        }
    }

    /** One worker's current task start ({@link System#nanoTime()}, odd), 0 while it waits for a task. */
    private static final class Worker {

        volatile long startedAt;
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
