package io.roomkit.spring.support;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket: it holds up to {@code burst} tokens, starts full and gains one token every {@code interval}
 * nanoseconds; taking a token when none is left is refused with the time until the next one.
 * <p>
 * It keeps no token count, only the time at which it will be full again (the "theoretical arrival time" of the
 * generic cell rate algorithm, which behaves exactly like a token bucket), so that taking a token is one
 * compare-and-set on one {@code long}: no lock, no timer, and any number of threads. The caller passes the time
 * ({@link System#nanoTime()} or a test clock), so the bucket itself never reads a clock.
 */
public final class TokenBucket {

    private final long interval;
    private final long tolerance;
    /** When the bucket will be full again; at or before "now" it is full. */
    private final AtomicLong fullAt;

    /**
     * @param interval nanoseconds per token (the rate), at least 1
     * @param burst    tokens the bucket holds when full, at least 1
     * @param now      the current time in nanoseconds: the bucket starts full
     */
    public TokenBucket(long interval, int burst, long now) {
        if (interval < 1 || burst < 1) {
            throw new IllegalArgumentException("interval and burst must be at least 1, were " + interval + " and "
                    + burst);
        }
        this.interval = interval;
        this.tolerance = Math.multiplyExact(interval, (long) burst - 1);
        this.fullAt = new AtomicLong(now);
    }

    /** Nanoseconds per token of a rate of {@code perSecond} tokens a second (rounded, at least 1). */
    public static long interval(double perSecond) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("a rate must be a positive number, was " + perSecond);
        }
        return Math.max(1, Math.round(1e9 / perSecond));
    }

    /**
     * Takes one token at time {@code now}.
     *
     * @return 0 when a token was taken, else the nanoseconds until one is available (nothing was taken)
     */
    public long tryTake(long now) {
        while (true) {
            long full = fullAt.get();
            // fullAt - now is the debt: one interval for each token taken and not yet given back; a debt over
            // (burst - 1) intervals before this take means the bucket is empty
            long start = full - now > 0 ? full : now;
            long wait = start - now - tolerance;
            if (wait > 0) {
                return wait;
            }
            if (fullAt.compareAndSet(full, start + interval)) {
                return 0;
            }
        }
    }

    /** Whether no token has been taken that has not been given back by {@code now}. */
    public boolean isFull(long now) {
        return fullAt.get() - now <= 0;
    }
}
