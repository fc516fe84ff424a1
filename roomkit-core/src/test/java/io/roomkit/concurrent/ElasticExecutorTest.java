package io.roomkit.concurrent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
