package io.roomkit.spring.redis;

import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import io.roomkit.spring.test.PrivateRedis;
import io.roomkit.testing.HangWatchdog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Recovery after Redis restarts, on a private {@code redis-server} of this test's own (so the shared one on
 * 6379 is never touched): subscriptions come back by themselves; events published while Redis was down are
 * lost or late, as documented.
 */
class RedisRestartTest {

    @TempDir
    Path dir;

    private PrivateRedis redis;
    private LettuceConnectionFactory connections;
    private RedisRealtimeBackend backend;

    @AfterEach
    void stop() throws Exception {
        if (backend != null) {
            backend.close();
        }
        if (connections != null) {
            connections.destroy();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void subscriptionsRecoverAfterRedisRestarts() throws Exception {
        redis = PrivateRedis.start(dir);
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redis.port()),
                LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(2)).build());
        connections.afterPropertiesSet();
        connections.start();
        backend = new RedisRealtimeBackend(connections, "roomkit:realtime", 100);
        List<String> received = new CopyOnWriteArrayList<>();
        backend.subscribeToRoom("r1", event -> received.add(event.userId()));
        backend.publishToRoom("r1", typing("before"));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("before"));

        redis.kill();
        // publishing returns while Redis is down (a hang fails here with a thread dump; no timing is asserted)
        HangWatchdog.within(Duration.ofSeconds(60), "publishing while Redis is down", () -> {
            backend.publishToRoom("r1", typing("while-down"));
            return null;
        });
        redis.restart();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            backend.publishToRoom("r1", typing("after"));
            return received.contains("after");
        });
        assertThat(backend.isOpen()).isTrue();
    }


    private static EphemeralEvent typing(String user) {
        return EphemeralEvent.of("r1", EphemeralEventType.TYPING_START, user, Map.of());
    }
}
