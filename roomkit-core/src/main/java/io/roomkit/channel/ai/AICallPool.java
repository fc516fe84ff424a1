package io.roomkit.channel.ai;

import io.roomkit.concurrent.DaemonThreads;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The bounded pool on which one {@link AIChannel}'s model and tool calls run, so that a call can be given up on
 * (and interrupted) when it takes too long, and a busy channel cannot take the whole machine's threads.
 */
final class AICallPool {

    /** Calls that may wait for a thread; beyond this a call fails at once as too busy. */
    private static final int CALL_QUEUE_CAPACITY = 256;

    private final ThreadPoolExecutor calls;

    AICallPool(String channelId, int maxConcurrentCalls) {
        this.calls = new ThreadPoolExecutor(maxConcurrentCalls, maxConcurrentCalls, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(CALL_QUEUE_CAPACITY), DaemonThreads.named("roomkit-ai-" + channelId + "-"));
        this.calls.allowCoreThreadTimeOut(true);
    }

    /** Starts {@code call}; {@link java.util.concurrent.RejectedExecutionException} when the queue is full. */
    <T> Future<T> submit(Callable<T> call) {
        return calls.submit(call);
    }

    /**
     * The future's value within {@code nanos}; cancels (interrupts) it on a timeout or when this thread is
     * interrupted, and unwraps a failure's cause.
     */
    static <T> T await(Future<T> future, long nanos) throws Exception {
        try {
            return future.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        }
        catch (TimeoutException | InterruptedException ex) {
            future.cancel(true);
            throw ex;
        }
        catch (ExecutionException ex) {
            throw ex.getCause() instanceof Exception cause ? cause : ex;
        }
    }

    /** Interrupts the running calls and refuses new ones. */
    void close() {
        calls.shutdownNow();
    }
}
