package io.roomkit.spring.cluster;

import io.roomkit.model.EventQuery;
import io.roomkit.spring.jpa.PostgresSchemaAccess;
import io.roomkit.spring.stomp.StompTestClient;
import io.roomkit.spring.test.ClockedTypingTracker;
import io.roomkit.spring.test.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.roomkit.spring.stomp.StompTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Presence and typing across nodes (PostgreSQL, RabbitMQ relay, Redis presence): a user on two nodes is online
 * once, typing renewed or stopped on another node than it started on expires correctly, and when a node dies
 * its users go offline while the other node keeps working.
 */
class ClusterPresenceTest {

    private static final String[] CLUSTER = { "roomkit.typing.timeout=2s", "roomkit.presence.store=redis" };
    private static final Duration TYPING_TIMEOUT = Duration.ofSeconds(2);

    private static PostgresSchemaAccess schema;
    private static ClusterNode nodeA;
    private static ClusterNode nodeB;

    private final String room = "presence-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startCluster() {
        TestServices.requirePostgres();
        TestServices.requireRabbitStomp();
        TestServices.requireRedis();
        schema = PostgresSchemaAccess.create();
        // typing on the test's clock: the test decides when time passes and when each node sweeps
        nodeA = ClusterNode.start(schema.url(), List.of(ClockedTypingTracker.Config.class), CLUSTER);
        nodeB = ClusterNode.start(schema.url(), List.of(ClockedTypingTracker.Config.class), CLUSTER);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] { nodeA, nodeB, schema }) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    private BlockingQueue<Map<String, Object>> watch(StompTestClient client) throws Exception {
        // RabbitMQ's RECEIPT says when the topic queue is bound
        BlockingQueue<Map<String, Object>> ephemeral = client.subscribeConfirmed("/topic/rooms." + room
                + ".ephemeral");
        await(client.subscribe("/app/rooms." + room + ".history"), reply -> true);
        return ephemeral;
    }

    private static Map<String, Object> next(BlockingQueue<Map<String, Object>> queue, String type, String user)
            throws InterruptedException {
        return await(queue, e -> type.equals(e.get("type")) && user.equals(e.get("user_id")));
    }

    private static void assertNone(BlockingQueue<Map<String, Object>> queue, String type, String user,
            Duration during) throws InterruptedException {
        long deadline = System.nanoTime() + during.toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Object> event = queue.poll(50, TimeUnit.MILLISECONDS);
            assertThat(event == null || !(type.equals(event.get("type")) && user.equals(event.get("user_id"))))
                    .as("no %s for %s", type, user).isTrue();
        }
    }

    private static void advanceBoth(ClockedTypingTracker a, ClockedTypingTracker b, Duration by) {
        a.advance(by);
        b.advance(by);
    }

    @Test
    void aUserOnTwoNodesIsOnlineOnceAndGoesOfflineOnceWithTheLastConnection() throws Exception {
        try (StompTestClient observer = StompTestClient.connect(nodeA.port(), "observer")) {
            BlockingQueue<Map<String, Object>> seen = watch(observer);
            StompTestClient onA = StompTestClient.connect(nodeA.port(), "dave");
            StompTestClient onB = StompTestClient.connect(nodeB.port(), "dave");
            watch(onA);
            next(seen, "presence_online", "dave");
            watch(onB);
            assertNone(seen, "presence_online", "dave", Duration.ofSeconds(1));

            onA.close();
            assertNone(seen, "presence_offline", "dave", Duration.ofSeconds(1));
            onB.close();
            next(seen, "presence_offline", "dave");
            assertNone(seen, "presence_offline", "dave", Duration.ofSeconds(1));
        }
    }

    @Test
    void typingRenewedAndStoppedOnAnotherNodeExpiresOnlyOnce() throws Exception {
        try (StompTestClient observer = StompTestClient.connect(nodeA.port(), "observer");
                StompTestClient onA = StompTestClient.connect(nodeA.port(), "erin");
                StompTestClient onB = StompTestClient.connect(nodeB.port(), "erin")) {
            BlockingQueue<Map<String, Object>> seen = watch(observer);
            watch(onA);
            watch(onB);
            ClockedTypingTracker typingOnA = nodeA.bean(ClockedTypingTracker.class);
            ClockedTypingTracker typingOnB = nodeB.bean(ClockedTypingTracker.class);
            onA.send("/app/rooms." + room + ".typing", Map.of("typing", true));
            next(seen, "typing_start", "erin");
            typingOnA.awaitStarts(room, "erin", 1);
            for (int i = 0; i < 4; i++) {
                advanceBoth(typingOnA, typingOnB, TYPING_TIMEOUT.multipliedBy(7).dividedBy(10));
                onB.send("/app/rooms." + room + ".typing", Map.of("typing", true));
                typingOnB.awaitStarts(room, "erin", 1);
                assertThat(typingOnA.sweep() + typingOnB.sweep()).as("starts ended after renewal %d on B", i + 1)
                        .isZero();
            }
            assertThat(seen).as("renewals on node B keep node A's expiry from firing")
                    .noneMatch(e -> "typing_stop".equals(e.get("type")));
            onB.send("/app/rooms." + room + ".typing", Map.of("typing", false));
            next(seen, "typing_stop", "erin");
            advanceBoth(typingOnA, typingOnB, TYPING_TIMEOUT.multipliedBy(3));
            assertThat(typingOnA.sweep() + typingOnB.sweep()).as("starts ended after the stop on B").isZero();
        }
    }

    @Test
    void whenANodeDiesItsUsersGoOfflineAndTheOtherNodeKeepsWorking(@TempDir Path logs) throws Exception {
        int port = freePort();
        Process nodeC = startProcessNode(port, logs);
        try (StompTestClient observer = StompTestClient.connect(nodeA.port(), "observer")) {
            BlockingQueue<Map<String, Object>> seen = watch(observer);
            StompTestClient frank = StompTestClient.connect(port, "frank");
            watch(frank);
            next(seen, "presence_online", "frank");
            frank.send("/app/rooms." + room + ".messages", Map.of("content", "written through node C"));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> nodeA.kit().getRoom(room).isPresent()
                            && !nodeA.kit().events(room, EventQuery.latest(10)).isEmpty());

            nodeC.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

            long killed = System.nanoTime();
            Map<String, Object> offline = await(seen, e -> "presence_offline".equals(e.get("type"))
                    && "frank".equals(e.get("user_id")), Duration.ofSeconds(30));
            assertThat(offline).as("the dead node's user leaves the room it was in").containsEntry("room_id", room);
            // expected after RedisPresenceStore.HEARTBEAT_TTL and one sweep; printed, not asserted against the clock
            System.out.println("A killed node's user went offline after "
                    + Duration.ofNanos(System.nanoTime() - killed).toMillis() + " ms");
            observer.send("/app/rooms." + room + ".messages", Map.of("content", "node A still works"));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> nodeA.kit().events(room, EventQuery.latest(10)).size() == 2);
            assertThat(nodeA.kit().events(room, EventQuery.latest(10))).extracting(e -> e.content().plainText())
                    .containsExactly("written through node C", "node A still works");
            frank.close();
        }
        finally {
            nodeC.destroyForcibly();
        }
    }

    private static Process startProcessNode(int port, Path logs) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"),
                "io.roomkit.spring.stomp.app.StompTestApplication", "--server.port=" + port,
                "--spring.datasource.url=" + schema.url(), "--spring.datasource.username=postgres",
                "--spring.jpa.hibernate.ddl-auto=validate", "--roomkit.jdbc.initialize-schema=always",
                "--roomkit.websocket.trust-client-login=true", "--roomkit.websocket.open-rooms=true",
                "--roomkit.websocket.relay.enabled=true", "--roomkit.websocket.relay.host=127.0.0.1",
                "--spring.main.banner-mode=off", "--logging.level.root=warn"));
        for (String property : CLUSTER) {
            command.add("--" + property);
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve("node-c.log").toFile()).start();
        org.awaitility.Awaitility.await("node C listening").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("node C exited: see " + logs.resolve("node-c.log"));
                    }
                    try (Socket socket = new Socket("127.0.0.1", port)) {
                        return true;
                    }
                    catch (IOException notYet) {
                        return false;
                    }
                });
        return process;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
