package io.roomkit.benchmarks;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A thread-safe log-linear histogram of latencies in nanoseconds: exact below 64 ns, then 64 buckets per power of
 * two, so a percentile is reported at most 1/64 (1.6 %) above the true value. The maximum is exact.
 */
public final class LatencyHistogram {

    private static final int SUB_BUCKETS = 64;
    private static final int SUB_BITS = 6;

    private final AtomicLongArray counts = new AtomicLongArray(SUB_BUCKETS * SUB_BUCKETS);
    private final LongAdder total = new LongAdder();
    private final LongAdder sum = new LongAdder();
    private final AtomicLong max = new AtomicLong();

    public void record(long nanos) {
        long value = Math.max(0, nanos);
        counts.incrementAndGet(index(value));
        total.increment();
        sum.add(value);
        if (value > max.get()) {
            max.accumulateAndGet(value, Math::max);
        }
    }

    static int index(long value) {
        if (value < SUB_BUCKETS) {
            return (int) value;
        }
        int magnitude = 63 - Long.numberOfLeadingZeros(value);
        int shift = magnitude - SUB_BITS;
        int sub = (int) (value >>> shift) - SUB_BUCKETS;
        return (shift + 1) * SUB_BUCKETS + sub;
    }

    /** The largest value that falls into bucket {@code index}. */
    static long upperBound(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int shift = index / SUB_BUCKETS - 1;
        long sub = index % SUB_BUCKETS + SUB_BUCKETS;
        return ((sub + 1) << shift) - 1;
    }

    public long count() {
        return total.sum();
    }

    public long max() {
        return max.get();
    }

    public double mean() {
        long count = count();
        return count == 0 ? 0 : (double) sum.sum() / count;
    }

    /** The value at or below which a fraction {@code quantile} (0 to 1) of the recorded values lie. */
    public long percentile(double quantile) {
        long count = count();
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * count));
        long seen = 0;
        for (int i = 0; i < counts.length(); i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.min(upperBound(i), max());
            }
        }
        return max();
    }
}
