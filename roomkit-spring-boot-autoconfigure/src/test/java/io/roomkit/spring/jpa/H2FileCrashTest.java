package io.roomkit.spring.jpa;

import io.roomkit.RoomKit;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.EventQuery;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.InboundResult;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;
import io.roomkit.spring.stomp.StompTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application on an H2 file database (the sample's default) is killed with SIGKILL while clients write:
 * every event that was committed and broadcast before the kill is there after the restart, and resending the
 * same idempotency keys returns those events and never gives their indices to others.
 */
class H2FileCrashTest {

    private static final String ROOM = "crash-room";
    private static final int MESSAGES = 400;
    private static final int KILL_AFTER = 200;

    @TempDir
    Path dir;

    @Test
    void eventsBroadcastBeforeAKillSurviveItAndTheirIndicesAreNeverReused() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("roomkit").toAbsolutePath();
        int port = freePort();
        Process node = startNode(url, port);
        Map<String, Map<String, Object>> broadcast = new LinkedHashMap<>();
        try (StompTestClient alice = StompTestClient.connect(port, "alice")) {
            BlockingQueue<Map<String, Object>> events = alice.subscribe("/topic/rooms." + ROOM + ".events");
            StompTestClient.await(alice.subscribe("/app/rooms." + ROOM + ".history"), reply -> true);
            for (int i = 0; i < MESSAGES; i++) {
                alice.send("/app/rooms." + ROOM + ".messages",
                        Map.of("content", "m" + i, "idempotency_key", "k" + i));
            }
            while (broadcast.size() < KILL_AFTER) {
                Map<String, Object> event = events.poll(StompTestClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(event).as("broadcast %d", broadcast.size()).isNotNull();
                broadcast.put((String) event.get("idempotency_key"), event);
            }
            node.destroyForcibly();
            assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
            List<Map<String, Object>> late = new ArrayList<>();
            events.drainTo(late);
            late.forEach(event -> broadcast.put((String) event.get("idempotency_key"), event));
        }
        finally {
            node.destroyForcibly();
        }

        try (ConfigurableApplicationContext context = JpaTestApplication.start(url,
                "roomkit.jdbc.initialize-schema=embedded")) {
            RoomKit kit = context.getBean(RoomKit.class);
            Map<String, RoomEvent> stored = byKey(kit);
            List<String> lost = broadcast.keySet().stream().filter(key -> !stored.containsKey(key)).toList();
            System.out.println("H2 file after SIGKILL: " + broadcast.size() + " events broadcast, " + stored.size()
                    + " stored, " + lost.size() + " lost");
            assertThat(lost).as("events broadcast before the kill and lost with it").isEmpty();
            broadcast.forEach((key, event) -> assertThat(stored.get(key).id()).isEqualTo(event.get("id")));

            kit.registerChannelIfAbsent(new WebSocketChannel("ws-alice"));
            for (int i = 0; i < MESSAGES; i++) {
                InboundResult resent = kit.processInbound(InboundMessage.builder().channelId("ws-alice")
                        .senderId("alice").content(new TextContent("m" + i)).idempotencyKey("k" + i).build(), ROOM);
                Map<String, Object> original = broadcast.get("k" + i);
                if (original != null) {
                    assertThat(resent.event().id()).isEqualTo(original.get("id"));
                    assertThat(resent.event().index()).isEqualTo(((Number) original.get("index")).longValue());
                }
            }
            assertThat(byKey(kit).values()).extracting(RoomEvent::index).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(LongStream.range(0, MESSAGES).boxed().toList());
        }
    }

    private static Map<String, RoomEvent> byKey(RoomKit kit) {
        Map<String, RoomEvent> byKey = new LinkedHashMap<>();
        List<RoomEvent> page = kit.events(ROOM, EventQuery.after(-1, 200));
        while (!page.isEmpty()) {
            page.forEach(event -> byKey.put(event.idempotencyKey(), event));
            page = kit.events(ROOM, EventQuery.after(page.get(page.size() - 1).index(), 200));
        }
        return byKey;
    }

    private Process startNode(String url, int port) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "io.roomkit.spring.stomp.app.StompTestApplication",
                "--server.port=" + port, "--spring.datasource.url=" + url, "--spring.datasource.username=sa",
                "--roomkit.websocket.trust-client-login=true", "--roomkit.websocket.open-rooms=true",
                // not an outage test: a busy machine must not turn a slow first access check into 'unavailable'
                "--roomkit.store.timeout=30s",
                "--spring.main.banner-mode=off", "--logging.level.root=warn");
        Path log = dir.resolve("node.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return process;
            }
            catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the node exited: see " + log);
                }
                process.waitFor(200, TimeUnit.MILLISECONDS);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the node did not start within 60 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
