package io.roomkit.spring.redis;

import io.roomkit.RoomKit;
import io.roomkit.spring.boot.RoomKitHealthIndicator;
import io.roomkit.spring.stomp.StompTestClient;
import io.roomkit.spring.stomp.app.StompTestApplication;
import io.roomkit.spring.test.TestServices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;

import static io.roomkit.spring.stomp.StompTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code roomkit.realtime.type=redis} in a STOMP application: events travel through Redis to the topics. */
@SpringBootTest(classes = StompTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "roomkit.realtime.type=redis", "roomkit.websocket.trust-client-login=true",
                "roomkit.websocket.open-rooms=true", "roomkit.realtime.redis.channel-prefix=roomkit-stomp-test" })
class RedisRealtimeStompTest {

    @LocalServerPort
    int port;

    @Autowired
    RoomKit kit;

    @Autowired
    RoomKitHealthIndicator health;

    @BeforeAll
    static void redis() {
        TestServices.requireRedis();
    }

    @Test
    void theKitUsesRedisAndClientsReceiveEphemeralEventsThroughTheBridge() throws Exception {
        String room = "redis-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(kit.realtime()).isInstanceOf(RedisRealtimeBackend.class);
        try (StompTestClient alice = StompTestClient.connect(port, "alice");
                StompTestClient bob = StompTestClient.connect(port, "bob")) {
            BlockingQueue<Map<String, Object>> bobSees = bob.subscribe("/topic/rooms." + room + ".ephemeral");
            await(bob.subscribe("/app/rooms." + room + ".history"), reply -> true);

            alice.send("/app/rooms." + room + ".typing", Map.of("typing", true));

            Map<String, Object> typing = await(bobSees, e -> "typing_start".equals(e.get("type")));
            assertThat(typing).containsEntry("user_id", "alice").containsKeys("id", "room_id", "channel_id", "data",
                    "timestamp");
        }
    }

    /** The ban's notice reaches the node through Redis, and the node ends the banned user's subscription. */
    @Test
    void aBanEndsTheBannedUsersSubscriptionThroughRedis() throws Exception {
        String room = "redis-" + UUID.randomUUID().toString().substring(0, 8);
        try (StompTestClient mallory = StompTestClient.connect(port, "mallory")) {
            mallory.subscribe("/topic/rooms." + room + ".events");
            await(mallory.subscribe("/app/rooms." + room + ".history"), reply -> true);

            kit.banParticipant(room, "mallory", "spam");

            assertThat(mallory.nextError()).containsEntry("code", "banned")
                    .containsEntry("destination", "/topic/rooms." + room + ".events");
        }
    }

    @Test
    void healthReportsRedis() {
        // each probe is bounded: on a loaded machine one may answer DOWN before Redis's PING comes back
        org.awaitility.Awaitility.await().atMost(StompTestClient.WAIT)
                .until(() -> health.health(true).getStatus().equals(Status.UP));
        assertThat(health.health(true).getDetails()).containsEntry("realtime", "RedisRealtimeBackend");
    }
}
