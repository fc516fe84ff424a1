package io.roomkit.spring.support;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The bucket is given the time by the test, so every expectation is exact. */
class TokenBucketTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    /** A start far from zero, with the sign of nanoTime unknown, as for a real clock. */
    private static final long T0 = Long.MAX_VALUE - 10 * MS;

    @Test
    void aFullBucketGivesItsBurstAtOnceThenRefusesWithTheTimeToTheNextToken() {
        TokenBucket bucket = new TokenBucket(100 * MS, 3, T0);

        assertThat(takes(bucket, T0, 3)).containsOnly(0L);
        assertThat(bucket.tryTake(T0)).isEqualTo(100 * MS);
        assertThat(bucket.tryTake(T0 + 40 * MS)).as("a refusal takes nothing").isEqualTo(60 * MS);
    }

    @Test
    void tokensComeBackAtTheRateAndNoFasterUpToTheBurst() {
        TokenBucket bucket = new TokenBucket(100 * MS, 3, T0);
        takes(bucket, T0, 3);

        assertThat(bucket.tryTake(T0 + 99 * MS)).isEqualTo(MS);
        assertThat(bucket.tryTake(T0 + 100 * MS)).isZero();
        assertThat(bucket.tryTake(T0 + 100 * MS)).isEqualTo(100 * MS);
        // a long pause refills the bucket to its burst, never beyond it
        assertThat(takes(bucket, T0 + 10_000 * MS, 4)).containsExactly(0L, 0L, 0L, 100 * MS);
    }

    @Test
    void crossingTheOverflowOfNanoTimeChangesNothing() {
        TokenBucket bucket = new TokenBucket(10 * MS, 1, T0);
        long later = T0 + 20 * MS;   // overflows to a negative number, as System.nanoTime() may

        assertThat(bucket.tryTake(T0)).isZero();
        assertThat(later).isNegative();
        assertThat(bucket.tryTake(later)).isZero();
        assertThat(bucket.tryTake(later)).isEqualTo(10 * MS);
    }

    @Test
    void isFullOnceEveryTakenTokenIsBack() {
        TokenBucket bucket = new TokenBucket(100 * MS, 2, T0);
        assertThat(bucket.isFull(T0)).isTrue();

        bucket.tryTake(T0);
        bucket.tryTake(T0);

        assertThat(bucket.isFull(T0 + 199 * MS)).isFalse();
        assertThat(bucket.isFull(T0 + 200 * MS)).isTrue();
    }

    @Test
    void concurrentTakersGetExactlyTheBurst() throws Exception {
        int burst = 1_000;
        TokenBucket bucket = new TokenBucket(MS, burst, T0);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> takers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                takers.add(threads.submit(() -> {
                    start.await();
                    return (int) takes(bucket, T0, 500).stream().filter(wait -> wait == 0).count();
                }));
            }
            start.countDown();
            int taken = 0;
            for (Future<Integer> taker : takers) {
                taken += taker.get();
            }
            assertThat(taken).isEqualTo(burst);
        }
        finally {
            threads.shutdownNow();
        }
    }

    @Test
    void ratesBecomeIntervals() {
        assertThat(TokenBucket.interval(10)).isEqualTo(100 * MS);
        assertThat(TokenBucket.interval(0.5)).isEqualTo(2_000 * MS);
        assertThat(TokenBucket.interval(1e12)).as("never zero").isEqualTo(1);
        assertThatIllegalArgumentException().isThrownBy(() -> TokenBucket.interval(0));
        assertThatIllegalArgumentException().isThrownBy(() -> TokenBucket.interval(Double.NaN));
        assertThatIllegalArgumentException().isThrownBy(() -> new TokenBucket(MS, 0, T0));
    }

    private static List<Long> takes(TokenBucket bucket, long now, int count) {
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            waits.add(bucket.tryTake(now));
        }
        return waits;
    }
}
