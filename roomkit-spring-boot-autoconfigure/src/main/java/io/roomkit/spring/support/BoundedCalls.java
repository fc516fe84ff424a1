package io.roomkit.spring.support;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKitException;
import io.roomkit.concurrent.DaemonThreads;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Calls to the database or Redis that a caller waits for at most {@link #timeout()}: the call runs on a small
 * pool of its own, and the caller gets a {@link RoomKitException} with code {@code unavailable} when it takes
 * longer (time spent queued for a thread included), when the queue of waiting calls is full, or when it fails
 * because the service could not be reached. A burst of calls larger than the pool (a hundred clients
 * reconnecting to a freshly started node) waits in the queue instead of being refused. A call whose caller gave
 * up before it started is dropped; one that timed out while running is not interrupted (it may hold a room's
 * lock or be committing); it finishes or fails by itself, bounded by the connection pool's or client's own
 * timeouts.
 * <p>
 * This keeps STOMP inbound and transport threads, and the health endpoint, from hanging for the connection
 * pool's 30 s or the Redis client's 60 s during an outage. {@link #direct()} runs calls on the caller, for stores
 * that never wait (in memory).
 */
public final class BoundedCalls implements AutoCloseable {

    /** Calls that may wait for a thread, per thread: a queue, not a place to pile up during an outage. */
    static final int QUEUED_PER_THREAD = 16;

    private final String name;
    private final Duration timeout;
    private final ThreadPoolExecutor pool;
    private final Map<Object, SharedCall<?>> shared = new ConcurrentHashMap<>();

    /**
     * @param name       thread name prefix and what the error messages call the service
     * @param timeout    longest wait; zero or negative runs calls on the caller, unbounded
     * @param maxThreads calls that may run at once; up to {@value #QUEUED_PER_THREAD} times as many more wait for
     *                   a thread, and beyond that calls are refused at once
     */
    public BoundedCalls(String name, Duration timeout, int maxThreads) {
        this.name = name;
        this.timeout = timeout;
        if (timeout.isZero() || timeout.isNegative()) {
            this.pool = null;
            return;
        }
        this.pool = new ThreadPoolExecutor(maxThreads, maxThreads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(QUEUED_PER_THREAD * maxThreads), DaemonThreads.named(name + "-"),
                new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    /** Runs every call on the caller, without a bound. */
    public static BoundedCalls direct() {
        return new BoundedCalls("direct", Duration.ZERO, 0);
    }

    public Duration timeout() {
        return timeout;
    }

    /** Calls waiting for a thread now. */
    int queued() {
        return pool == null ? 0 : pool.getQueue().size();
    }

    /** Runs {@code work} and returns its result, or throws {@code unavailable} (see the class comment). */
    public <T> T call(String what, Supplier<T> work) {
        if (pool == null) {
            return unwrapped(what, work);
        }
        FutureTask<T> task = new FutureTask<>(work::get);
        submit(what, task);
        try {
            return await(what, task);
        }
        catch (RoomKitException gaveUp) {
            task.cancel(false); // not started yet: nobody waits for it any more
            throw gaveUp;
        }
    }

    /**
     * Like {@link #call}, but callers that ask with an equal {@code key} while a call of that key is running or
     * queued wait for that call's result instead of starting another. A caller that gave up (timed out) and asks
     * again joins the call it left, so a client that retries during an overload adds no work, and two writes
     * that would race each other (the same user joining the same room twice) are made once. A call leaves the
     * table before its result is published, so nobody joins a call that has already answered; a call whose last
     * waiter gave up before it started is dropped, as with {@link #call}.
     */
    @SuppressWarnings("unchecked")
    public <T> T callShared(Object key, String what, Supplier<T> work) {
        if (pool == null) {
            return unwrapped(what, work);
        }
        SharedCall<T> mine = new SharedCall<>(key, work);
        while (true) {
            SharedCall<?> running = shared.putIfAbsent(key, mine);
            if (running == null) {
                break;
            }
            if (running.join()) {
                return awaitShared(what, (SharedCall<T>) running);
            }
            shared.remove(key, running); // its last waiter gave up and dropped it: start another
        }
        try {
            submit(what, mine);
        }
        catch (RoomKitException refused) {
            mine.fail(refused); // callers that joined meanwhile get the refusal at once
            throw refused;
        }
        return awaitShared(what, mine);
    }

    /** Calls of {@link #callShared} running or queued, for tests. */
    int sharedCalls() {
        return shared.size();
    }

    /** Callers waiting for the running call of {@code key}, the first included (0 when there is none), for tests. */
    int waiting(Object key) {
        SharedCall<?> call = shared.get(key);
        return call == null ? 0 : call.waiting.get();
    }

    private <T> T awaitShared(String what, SharedCall<T> call) {
        try {
            return await(what, call);
        }
        catch (RoomKitException gaveUp) {
            call.leave();
            throw gaveUp;
        }
    }

    private void submit(String what, Runnable task) {
        try {
            pool.execute(task);
        }
        catch (RejectedExecutionException busy) {
            throw unavailable(what + ": " + name + " is not answering (" + pool.getQueue().size()
                    + " calls are waiting for it)", null);
        }
    }

    private <T> T await(String what, Future<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException slow) {
            throw unavailable(what + ": " + name + " did not answer within " + timeout.toMillis() + " ms", null);
        }
        catch (ExecutionException failed) {
            throw translated(what, failed.getCause());
        }
        catch (CancellationException dropped) {
            // a shared call whose other waiters all gave up just before this one joined it
            throw unavailable(what + ": " + name + " did not answer within " + timeout.toMillis() + " ms", null);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw unavailable(what + ": interrupted while waiting for " + name, interrupted);
        }
    }

    /** Like {@link #call}, for work without a result. */
    public void run(String what, Runnable work) {
        call(what, () -> {
            work.run();
            return null;
        });
    }

    private <T> T unwrapped(String what, Supplier<T> work) {
        try {
            return work.get();
        }
        catch (RuntimeException failed) {
            throw translated(what, failed);
        }
    }

    private RuntimeException translated(String what, Throwable failure) {
        if (Infrastructure.isUnreachable(failure)) {
            return unavailable(what + ": " + name + " could not be reached (" + failure.getMessage() + ")", failure);
        }
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(failure);
    }

    private static RoomKitException unavailable(String message, Throwable cause) {
        return new RoomKitException(ErrorCodes.UNAVAILABLE, message, cause);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /**
     * A call of {@link #callShared}: leaves the table before its outcome is published, and counts its waiters so
     * that the last one to give up can drop it if it has not started.
     */
    private final class SharedCall<T> extends FutureTask<T> {

        private final Object key;
        final AtomicInteger waiting = new AtomicInteger(1);
        /** Claimed by the worker that runs the call, or by its last waiter to drop it: whichever comes first. */
        private final AtomicBoolean claimed = new AtomicBoolean();

        SharedCall(Object key, Supplier<T> work) {
            super(work::get);
            this.key = key;
        }

        /** Adds a waiter; false when the call was dropped (its waiters had all given up before it started). */
        boolean join() {
            if (isCancelled()) {
                return false;
            }
            waiting.incrementAndGet(); // dropped right after this check: the joiner gets unavailable
            return true;
        }

        /** A waiter gave up; the last one drops the call if it has not started. */
        void leave() {
            if (waiting.decrementAndGet() == 0 && claimed.compareAndSet(false, true)) {
                cancel(false);
                shared.remove(key, this);
            }
        }

        @Override
        public void run() {
            if (claimed.compareAndSet(false, true)) {
                super.run();
            }
        }

        /** The call could not be submitted: every waiter gets {@code refusal}. */
        void fail(RuntimeException refusal) {
            setException(refusal);
        }

        @Override
        protected void set(T result) {
            shared.remove(key, this);
            super.set(result);
        }

        @Override
        protected void setException(Throwable failure) {
            shared.remove(key, this);
            super.setException(failure);
        }
    }
}
