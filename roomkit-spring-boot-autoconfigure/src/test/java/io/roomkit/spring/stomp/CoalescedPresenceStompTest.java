package io.roomkit.spring.stomp;

import io.roomkit.spring.presence.PresenceCoalescer;
import io.roomkit.spring.stomp.app.StompTestApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.roomkit.spring.stomp.Frames.history;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Presence of a room above {@code roomkit.presence.coalesce-above} over real STOMP clients: a client that applies
 * the history reply's snapshot and then the room's presence events and diffs in order ends with who is really
 * online, and the arrivals beyond the threshold reach it as diffs, not one event each.
 */
@SpringBootTest(classes = StompTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "roomkit.websocket.trust-client-login=true", "roomkit.websocket.open-rooms=true",
                "roomkit.presence.coalesce-above=3", "roomkit.presence.coalesce-window=50ms",
                "roomkit.presence.coalesce-max-window=200ms",
                // presence is under test: no cold database start racing the access check's timeout
                "roomkit.store.type=memory" })
class CoalescedPresenceStompTest {

    @LocalServerPort
    int port;

    private final List<StompTestClient> clients = new ArrayList<>();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String room = "room-" + suffix;

    @AfterEach
    void disconnect() {
        clients.forEach(StompTestClient::close);
    }

    @Test
    void snapshotPlusDiffsConvergeToWhoIsOnline() throws Exception {
        StompTestClient watcher = connect("watcher-" + suffix);
        BlockingQueue<Map<String, Object>> ephemeral = watcher.subscribe("/topic/rooms." + room + ".ephemeral");
        Map<String, String> view = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> snapshot = (List<Map<String, Object>>) history(watcher,
                "/app/rooms." + room + ".history").get("presence");
        snapshot.forEach(user -> view.put((String) user.get("user_id"), (String) user.get("status")));

        List<StompTestClient> joined = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            StompTestClient client = connect("user" + i + "-" + suffix);
            client.subscribe("/topic/rooms." + room + ".events");
            joined.add(client);
        }
        Counts counts = applyUntil(ephemeral, view, expected(0, 10));
        assertThat(counts.diffs).as("arrivals above the threshold come as diffs").isPositive();
        assertThat(counts.online).as("per-user arrivals").isLessThan(10);

        for (int i = 0; i < 6; i++) {
            joined.get(i).close();
        }
        applyUntil(ephemeral, view, expected(6, 10));
    }

    private Set<String> expected(int from, int to) {
        Set<String> users = new java.util.HashSet<>(Set.of("watcher-" + suffix));
        for (int i = from; i < to; i++) {
            users.add("user" + i + "-" + suffix);
        }
        return users;
    }

    private record Counts(int diffs, int online) {
    }

    /** Applies presence frames in order until the view holds exactly {@code expected}. */
    @SuppressWarnings("unchecked")
    private static Counts applyUntil(BlockingQueue<Map<String, Object>> frames, Map<String, String> view,
            Set<String> expected) throws InterruptedException {
        int diffs = 0;
        int online = 0;
        long deadline = System.nanoTime() + StompTestClient.WAIT.toNanos();
        while (!view.keySet().equals(expected)) {
            Map<String, Object> frame = frames.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(frame).as("presence frames until %s, view %s", expected, view.keySet()).isNotNull();
            Map<String, Object> data = (Map<String, Object>) frame.get("data");
            String user = (String) frame.get("user_id");
            switch ((String) frame.get("type")) {
                case "presence_online" -> {
                    online++;
                    view.put(user, "online");
                }
                case "presence_offline" -> view.remove(user);
                case "custom" -> {
                    if (PresenceCoalescer.KIND.equals(data.get("kind"))) {
                        diffs++;
                        ((List<Map<String, Object>>) data.get("online"))
                                .forEach(u -> view.put((String) u.get("user_id"), (String) u.get("status")));
                        ((List<String>) data.get("offline")).forEach(view::remove);
                    }
                }
                default -> {
                }
            }
        }
        return new Counts(diffs, online);
    }

    private StompTestClient connect(String user) throws Exception {
        StompTestClient client = StompTestClient.connect(port, user);
        clients.add(client);
        return client;
    }
}
