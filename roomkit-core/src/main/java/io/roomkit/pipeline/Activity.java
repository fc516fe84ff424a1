package io.roomkit.pipeline;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the pipeline's work in flight (deliveries queued or running, AI answers being produced), so that a
 * caller can wait until everything a write set off has happened: tests, and a graceful {@code close()}.
 * Counting is one atomic operation; only a waiter takes the monitor.
 */
final class Activity {

    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicInteger waiters = new AtomicInteger();

    void begin() {
        inFlight.incrementAndGet();
    }

    void end() {
        if (inFlight.decrementAndGet() == 0 && waiters.get() > 0) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    long inFlight() {
        return inFlight.get();
    }

    /** Waits until nothing is in flight; false when {@code timeout} passed first. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        waiters.incrementAndGet();
        try {
            synchronized (this) {
                while (inFlight.get() > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    wait(Math.max(1, Math.min(left / 1_000_000, 50)));
                }
                return true;
            }
        }
        finally {
            waiters.decrementAndGet();
        }
    }
}
