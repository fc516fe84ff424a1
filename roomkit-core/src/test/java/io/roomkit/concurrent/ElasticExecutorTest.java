package io.roomkit.concurrent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ElasticExecutorTest {

    private final ElasticExecutor executor = new ElasticExecutor("test-elastic", 4, 128, Duration.ofMillis(50));
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        executor.close();
    }

    @Test
    void aBurstOfQuickTasksIsWorkedOffByTheRestingThreads() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(20_000);

        for (int i = 0; i < 20_000; i++) {
            executor.execute(done::countDown);
        }

        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(executor.threadCount()).isLessThanOrEqualTo(8);
    }

    @Test
    void tasksQueuedBehindStuckWorkersGetWorkersOfTheirOwnWhichGoAgainAfterwards() {
        for (int i = 0; i < 6; i++) {
            executor.execute(this::stall);
        }
        CountDownLatch healthy = new CountDownLatch(1);

        executor.execute(healthy::countDown);

        await().atMost(Duration.ofSeconds(10)).until(() -> healthy.getCount() == 0);
        assertThat(executor.threadCount()).isGreaterThan(4);
        release.countDown();
        await().atMost(Duration.ofSeconds(40)).until(() -> executor.threadCount() <= 4);
    }

    /**
     * Tasks that each outlast a check period, so that a check often sees none finish, but none is stuck: the pool
     * must not grow by the queue's length (it did, to dozens of threads on a saturated STOMP server).
     */
    @Test
    void slowButMovingTasksDoNotMakeThePoolGrow() throws InterruptedException {
        ElasticExecutor slow = new ElasticExecutor("test-slow", 2, 128, Duration.ofMillis(50));
        try {
            AtomicInteger mostThreads = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(24);
            for (int i = 0; i < 24; i++) {
                slow.execute(() -> {
                    // work that takes three check periods, well under the five that make a task stuck
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(150));
                    mostThreads.accumulateAndGet(slow.threadCount(), Math::max);
                    done.countDown();
                });
            }

            assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(mostThreads.get()).as("threads while 24 slow tasks were queued for 2 workers")
                    .isLessThanOrEqualTo(4);
        }
        finally {
            slow.close();
        }
    }

    @Test
    void shutdownLetsQueuedTasksFinishAndRefusesNewOnes() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(100);
        for (int i = 0; i < 100; i++) {
            executor.execute(done::countDown);
        }

        executor.shutdown();

        assertThat(executor.awaitTermination(Duration.ofSeconds(30))).isTrue();
        assertThat(done.getCount()).isZero();
        assertThat(executor.isShutdown()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> executor.execute(() -> { }))
                .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    }

    private void stall() {
        try {
            release.await(1, TimeUnit.MINUTES);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
