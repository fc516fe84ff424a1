package io.roomkit.spring.stomp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class OutboundExecutorTest {

    private final ThreadPoolTaskExecutor executor = RoomKitStompConfigurer.outboundExecutor();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        executor.shutdown();
    }

    @Test
    void aBurstOfSendsIsWorkedOffByTheRestingThreads() throws InterruptedException {
        executor.initialize();
        CountDownLatch done = new CountDownLatch(20_000);

        for (int i = 0; i < 20_000; i++) {
            executor.execute(done::countDown);
        }

        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(executor.getThreadPoolExecutor().getLargestPoolSize()).isLessThanOrEqualTo(8);
    }

    @Test
    void sendsQueuedBehindStuckThreadsGetThreadsOfTheirOwn() {
        executor.initialize();
        for (int i = 0; i < 6; i++) {
            executor.execute(this::stall);
        }
        CountDownLatch healthy = new CountDownLatch(1);

        executor.execute(healthy::countDown);

        await().atMost(Duration.ofSeconds(10)).until(() -> healthy.getCount() == 0);
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.getThreadPoolExecutor().getCorePoolSize() == 4);
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
