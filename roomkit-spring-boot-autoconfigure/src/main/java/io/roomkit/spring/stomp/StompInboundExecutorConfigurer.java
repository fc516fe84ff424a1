package io.roomkit.spring.stomp;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.task.TaskExecutor;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

import java.util.concurrent.Executor;

/**
 * Gives the client inbound channel RoomKit's own thread pool ({@code roomkit.websocket.inbound.*}). Without it,
 * Spring Boot hands the channel its shared {@code applicationTaskExecutor} (8 threads that time out when idle,
 * shared with {@code @Async} work and the outbound channel), so STOMP frames competed with unrelated work and the
 * pool was re-created after quiet periods, while a plain Spring STOMP application gets a pool of its own.
 * <p>
 * Ordered right after Boot's configurer (order 0) and before applications' configurers (unordered): an
 * application that sets the channel's executor in its own {@code WebSocketMessageBrokerConfigurer} still wins, as
 * does an application bean named {@code roomKitStompInboundExecutor}. Only the executor is set here, so RoomKit's
 * interceptors keep their place among the application's.
 */
public class StompInboundExecutorConfigurer implements WebSocketMessageBrokerConfigurer, Ordered {

    /** After Spring Boot's messaging configurer (0), before unordered application configurers. */
    public static final int ORDER = 1;
    /** Thread name prefix of the default pool. */
    public static final String THREAD_PREFIX = "roomkit-stomp-in-";

    private final ObjectProvider<Executor> executor;

    public StompInboundExecutorConfigurer(ObjectProvider<Executor> executor) {
        this.executor = executor;
    }

    /** The default pool, sized by {@code roomkit.websocket.inbound}; the caller (a bean method) initializes it. */
    public static ThreadPoolTaskExecutor executor(StompInboundPool inbound) {
        ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
        pool.setCorePoolSize(inbound.effectiveCoreThreads());
        pool.setMaxPoolSize(inbound.effectiveMaxThreads());
        pool.setQueueCapacity(inbound.queueCapacity());
        pool.setKeepAliveSeconds((int) Math.max(1, inbound.keepAlive().toSeconds()));
        // the core threads stay: a pool that shrinks when quiet and grows back under load costs thread starts
        pool.setAllowCoreThreadTimeOut(false);
        pool.setThreadNamePrefix(THREAD_PREFIX);
        return pool;
    }

    @Override
    public void configureClientInboundChannel(ChannelRegistration registration) {
        Executor pool = executor.getIfAvailable();
        if (pool != null) {
            // a view, not the bean itself: Spring would otherwise manage the same object a second time as its
            // clientInboundChannelExecutor bean (initialized and shut down twice)
            registration.executor(new TaskExecutorView(pool));
        }
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    /** The pool seen as a plain {@link TaskExecutor}, without its lifecycle. */
    private record TaskExecutorView(Executor pool) implements TaskExecutor {

        @Override
        public void execute(Runnable task) {
            pool.execute(task);
        }
    }
}
