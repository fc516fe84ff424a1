package io.roomkit.spring.stomp;

import io.roomkit.spring.stomp.app.StompTestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.support.ExecutorSubscribableChannel;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client inbound channel runs on RoomKit's own pool ({@code roomkit.websocket.inbound.*}) instead of Boot's
 * shared {@code applicationTaskExecutor}, and an application's executor still wins.
 */
class InboundExecutorTest {

    @Test
    void clientFramesRunOnRoomKitsOwnPoolSizedByTheProperties() throws Exception {
        try (ConfigurableApplicationContext context = start(StompTestApplication.class,
                "--roomkit.websocket.inbound.core-threads=3", "--roomkit.websocket.inbound.queue-capacity=500")) {
            assertThat(threadOf(context)).startsWith(StompInboundExecutorConfigurer.THREAD_PREFIX);
            ThreadPoolTaskExecutor pool = context.getBean("roomKitStompInboundExecutor", ThreadPoolTaskExecutor.class);
            assertThat(pool.getCorePoolSize()).isEqualTo(3);
            assertThat(pool.getMaxPoolSize()).as("max-threads 0: a fixed pool").isEqualTo(3);
            assertThat(pool.getQueueCapacity()).isEqualTo(500);
        }
    }

    @Test
    void anApplicationExecutorNamedRoomKitStompInboundExecutorWins() throws Exception {
        try (ConfigurableApplicationContext context = start(OwnInboundExecutor.class)) {
            assertThat(threadOf(context)).startsWith("app-inbound-");
        }
    }

    @Test
    void maxThreadsBelowCoreThreadsFailsStartUpNamingTheProperty() {
        assertThatThrownBy(() -> start(StompTestApplication.class, "--roomkit.websocket.inbound.core-threads=4",
                "--roomkit.websocket.inbound.max-threads=2").close())
                .hasStackTraceContaining("roomkit.websocket.inbound.max-threads");
    }

    /** The name of the thread the client inbound channel runs a task on. */
    private static String threadOf(ConfigurableApplicationContext context) throws Exception {
        Executor executor = context.getBean("clientInboundChannel", ExecutorSubscribableChannel.class).getExecutor();
        assertThat(executor).isNotNull();
        CompletableFuture<String> thread = new CompletableFuture<>();
        executor.execute(() -> thread.complete(Thread.currentThread().getName()));
        return thread.get(30, TimeUnit.SECONDS);
    }

    private static ConfigurableApplicationContext start(Class<?> extra, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "--server.port=0";
        all[1] = "--roomkit.store.type=memory";
        all[2] = "--spring.main.banner-mode=off";
        System.arraycopy(args, 0, all, 3, args.length);
        return new SpringApplicationBuilder(extra == StompTestApplication.class ? new Class<?>[] { extra }
                : new Class<?>[] { StompTestApplication.class, extra }).run(all);
    }

    /** The application's own inbound pool. */
    @Configuration(proxyBeanMethods = false)
    static class OwnInboundExecutor {

        @Bean
        ThreadPoolTaskExecutor roomKitStompInboundExecutor() {
            ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
            executor.setCorePoolSize(2);
            executor.setThreadNamePrefix("app-inbound-");
            return executor;
        }
    }
}
