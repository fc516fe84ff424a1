package io.roomkit.spring.outage;

import io.roomkit.spring.boot.RoomKitHealthIndicator;
import io.roomkit.spring.stomp.StompTestClient;
import io.roomkit.spring.stomp.app.StompTestApplication;
import io.roomkit.spring.test.PrivateRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.roomkit.spring.test.TestServices.healthWithin;
import static io.roomkit.spring.stomp.StompTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis is killed (SIGKILL) under a node on the Redis realtime backend, whose presence and typing state live in
 * Redis, with the Redis client's own timeout left at its default: typing and presence frames do not hold up
 * their session or anyone else's, history still answers (with this node's presence), health answers DOWN with
 * the reason, and when Redis comes back (empty) the node writes its sessions into it again and typing reaches
 * the room again.
 */
class RedisOutageTest {

    private static final String ROOM = "redis-room";

    @TempDir
    Path dir;

    private PrivateRedis redis;
    private ConfigurableApplicationContext node;
    private LettuceConnectionFactory probe;

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        if (probe != null) {
            probe.destroy();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void typingAndPresenceDegradeToThisNodeWhileRedisIsDownAndConvergeAfter() throws Exception {
        redis = PrivateRedis.start(dir);
        int redisPort = redis.port();
        node = new SpringApplicationBuilder(StompTestApplication.class).properties("server.port=0",
                "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redisPort,
                "roomkit.realtime.type=redis", "roomkit.realtime.redis.timeout=500ms",
                "roomkit.websocket.trust-client-login=true", "roomkit.websocket.open-rooms=true",
                "spring.main.banner-mode=off", "logging.level.root=warn",
                "logging.level.io.roomkit.spring.redis=info").run();
        int port = ((WebServerApplicationContext) node).getWebServer().getPort();
        RoomKitHealthIndicator health = node.getBean(RoomKitHealthIndicator.class);
        assertThat(healthWithin(health).getStatus()).isEqualTo(Status.UP);

        try (StompTestClient alice = StompTestClient.connect(port, "alice");
                StompTestClient bob = StompTestClient.connect(port, "bob");
                StompTestClient carol = StompTestClient.connect(port, "carol")) {
            BlockingQueue<Map<String, Object>> aliceEvents = alice.subscribe(topic("events"));
            BlockingQueue<Map<String, Object>> bobEvents = bob.subscribe(topic("events"));
            BlockingQueue<Map<String, Object>> bobEphemeral = bob.subscribe(topic("ephemeral"));
            history(alice);
            history(bob);

            redis.kill();
            for (int i = 0; i < 5; i++) {
                alice.send(app("typing"), Map.of("typing", i % 2 == 0));
                bob.send(app("typing"), Map.of("typing", true));
            }
            alice.send(app("messages"), Map.of("content", "alice after typing"));
            bob.send(app("messages"), Map.of("content", "bob after typing"));
            await(bobEvents, event -> body(event).equals("alice after typing"));
            await(aliceEvents, event -> body(event).equals("bob after typing"));
            carol.subscribe(topic("events"));
            assertThat(users(history(carol))).containsExactlyInAnyOrder("alice", "bob", "carol");
            Health down = healthWithin(health);
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails()).containsKey("reason");

            redis.restart();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> healthWithin(health).getStatus().equals(Status.UP));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(presentInRedis(redisPort))
                            .containsExactlyInAnyOrder("alice", "bob", "carol"));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                carol.send(app("typing"), Map.of("typing", false));
                return bobEphemeral.poll(500, TimeUnit.MILLISECONDS) != null;
            });
            assertThat(alice.isConnected() && bob.isConnected() && carol.isConnected()).isTrue();
        }
    }

    private static String topic(String kind) {
        return "/topic/rooms." + ROOM + "." + kind;
    }

    private static String app(String action) {
        return "/app/rooms." + ROOM + "." + action;
    }

    private static Map<String, Object> history(StompTestClient client) throws InterruptedException {
        return await(client.subscribe(app("history")), reply -> true);
    }

    @SuppressWarnings("unchecked")
    private static Set<String> users(Map<String, Object> history) {
        return ((List<Map<String, Object>>) history.get("presence")).stream()
                .map(entry -> (String) entry.get("user_id")).collect(Collectors.toSet());
    }

    private static String body(Map<String, Object> event) {
        return event.get("content") instanceof Map<?, ?> content ? String.valueOf(content.get("body")) : "";
    }

    /** The users Redis itself counts in the room (fields {@code user|node|session} of its presence hash). */
    private Set<String> presentInRedis(int redisPort) {
        if (probe == null) {
            probe = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redisPort));
            probe.afterPropertiesSet();
            probe.start();
        }
        return new StringRedisTemplate(probe).opsForHash().keys("roomkit:realtime:presence:room:" + ROOM).stream()
                .map(field -> field.toString().split("\\|")[0]).collect(Collectors.toSet());
    }

}
