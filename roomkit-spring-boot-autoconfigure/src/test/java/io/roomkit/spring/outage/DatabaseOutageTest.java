package io.roomkit.spring.outage;

import io.roomkit.spring.boot.RoomKitHealthIndicator;
import io.roomkit.spring.jpa.PostgresSchemaAccess;
import io.roomkit.spring.stomp.StompTestClient;
import io.roomkit.spring.stomp.app.StompTestApplication;
import io.roomkit.spring.test.TcpProxy;
import io.roomkit.spring.test.TestServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.roomkit.spring.stomp.StompTestClient.await;
import static io.roomkit.spring.test.TestServices.healthWithin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL becomes unreachable under a running node (a TCP proxy in front of it is cut), with the connection
 * pool's own timeout left at Hikari's 30 s: a frame that needs the database is answered with
 * {@code unavailable} within {@code roomkit.store.timeout} instead of silence, the health indicator answers DOWN
 * with the reason, and once the database is back the resent message (same idempotency key) is stored once.
 */
class DatabaseOutageTest {

    private PostgresSchemaAccess schema;
    private TcpProxy proxy;
    private ConfigurableApplicationContext node;

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void framesNeedingTheDatabaseGetUnavailableAndHealthSaysDownUntilItIsBack() throws Exception {
        TestServices.requirePostgres();
        schema = PostgresSchemaAccess.create();
        proxy = new TcpProxy(TestServices.POSTGRES_HOST, TestServices.POSTGRES_PORT);
        node = new SpringApplicationBuilder(StompTestApplication.class).properties("server.port=0",
                "spring.datasource.url=" + schema.url().replace(":" + TestServices.POSTGRES_PORT + "/",
                        ":" + proxy.port() + "/"),
                "spring.datasource.username=postgres", "spring.jpa.hibernate.ddl-auto=validate",
                "roomkit.jdbc.initialize-schema=always", "roomkit.websocket.trust-client-login=true",
                "roomkit.websocket.open-rooms=true", "roomkit.store.timeout=1s", "spring.main.banner-mode=off",
                "logging.level.root=warn").run();
        int port = ((WebServerApplicationContext) node).getWebServer().getPort();
        RoomKitHealthIndicator health = node.getBean(RoomKitHealthIndicator.class);
        assertThat(healthWithin(health).getStatus()).isEqualTo(Status.UP);

        try (StompTestClient alice = StompTestClient.connect(port, "alice")) {
            BlockingQueue<Map<String, Object>> events = alice.subscribe("/topic/rooms.db-room.events");
            alice.send("/app/rooms.db-room.messages", Map.of("content", "before", "idempotency_key", "k0"));
            await(events, event -> "k0".equals(event.get("idempotency_key")));

            proxy.cut();
            alice.send("/app/rooms.db-room.messages", Map.of("content", "during", "idempotency_key", "k1"));
            assertThat(alice.nextError()).containsEntry("code", "unavailable")
                    .containsEntry("destination", "/app/rooms.db-room.messages");
            alice.subscribe("/topic/rooms.other-room.events");
            assertThat(alice.nextError()).containsEntry("code", "unavailable")
                    .containsEntry("destination", "/topic/rooms.other-room.events");
            Health down = healthWithin(health);
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails()).containsKey("reason");

            proxy.restore();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                alice.send("/app/rooms.db-room.messages", Map.of("content", "during", "idempotency_key", "k1"));
                return events.poll(500, TimeUnit.MILLISECONDS) != null;
            });
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> healthWithin(health).getStatus().equals(Status.UP));
            assertThat(alice.isConnected()).isTrue();
        }
        assertThat(node.getBean(io.roomkit.RoomKit.class).events("db-room", io.roomkit.model.EventQuery.latest(10)))
                .extracting(event -> event.idempotencyKey()).containsExactly("k0", "k1");
    }

    /** The health indicator's answer, which must come at all within a generous time. */
}
