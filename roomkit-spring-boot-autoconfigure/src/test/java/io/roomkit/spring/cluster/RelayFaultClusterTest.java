package io.roomkit.spring.cluster;

import io.roomkit.spring.jpa.PostgresSchemaAccess;
import io.roomkit.spring.stomp.StompTestClient;
import io.roomkit.spring.test.TcpProxy;
import io.roomkit.spring.test.Resources;
import io.roomkit.spring.test.TestServices;
import io.roomkit.testing.HangWatchdog;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay topology through a broker outage: two nodes reach RabbitMQ's STOMP port through a TCP proxy that the
 * test cuts while writers on both nodes write, then restores. Writers go on while the broker is unreachable,
 * both nodes' health goes DOWN and comes back UP, and every client, doing what the protocol asks of it
 * (reconnect when its connection is closed, then fetch {@code history?after_index=} the last index it holds
 * without a gap), ends up holding every stored event exactly once, having received no index twice.
 */
class RelayFaultClusterTest {

    private static final Duration GENEROUS = ClusterWriters.GENEROUS;
    private static final int PAGE = 200;

    @AutoClose
    final Resources resources = new Resources();

    @Test
    void everyClientRepairsToEveryStoredEventOnceAfterTheBrokerIsCutDuringTraffic() throws Exception {
        TestServices.requirePostgres();
        TestServices.requireRabbitStomp();
        TcpProxy broker = resources.add(new TcpProxy("127.0.0.1", 61613));
        PostgresSchemaAccess schema = resources.add(PostgresSchemaAccess.create());
        String relayPort = "roomkit.websocket.relay.port=" + broker.port();
        ClusterNode nodeA = resources.add(ClusterNode.start(schema.url(), relayPort));
        ClusterNode nodeB = resources.add(ClusterNode.start(schema.url(), relayPort));
        List<ClusterNode> nodes = List.of(nodeA, nodeB);
        // both nodes on the broker before the cut, so that the cut is what takes them off it
        ClusterWriters.awaitHealth(nodes, Status.UP);
        String room = "relay-fault-" + UUID.randomUUID().toString().substring(0, 8);
        nodeA.kit().createRoom(room);
        List<Reader> readers = new ArrayList<>();
        for (ClusterNode node : nodes) {
            readers.add(new Reader(node, room, "reader-" + readers.size()));
        }
        long first = nodeA.kit().store().latestIndex(room).orElse(-1) + 1;

        ClusterWriters writers = resources.add(new ClusterWriters(nodes, room));
        HangWatchdog.within(Duration.ofSeconds(300), "writers on two nodes through a broker outage", () -> {
            writers.awaitMore(20);
            broker.cut();
            writers.awaitMore(20); // the writers go on while the broker is unreachable
            ClusterWriters.awaitHealth(nodes, Status.DOWN);
            broker.restore();
            ClusterWriters.awaitHealth(nodes, Status.UP);
            for (Reader reader : readers) {
                reader.resumeLive(); // live delivery comes back, not only history
            }
            writers.awaitMore(20);
            writers.stop();
            return null;
        });

        long last = nodeA.kit().store().latestIndex(room).orElseThrow();
        List<Long> expected = LongStream.rangeClosed(first, last).boxed().toList();
        assertThat(expected).as("events stored during the run").hasSizeGreaterThan(60);
        for (Reader reader : readers) {
            HangWatchdog.within(GENEROUS, "a client repairing its timeline", () -> {
                reader.repair(last);
                return null;
            });
            assertThat(reader.held.keySet().stream().filter(index -> index >= first).toList())
                    .as("indices %s holds", reader.login).containsExactlyElementsOf(expected);
            assertThat(reader.repeated).as("indices %s received twice", reader.login).isEmpty();
        }
    }

    /** A STOMP client of one room that keeps what it receives by index, as the sample's timeline does. */
    private final class Reader {

        final ClusterNode node;
        final String room;
        final String login;
        final TreeMap<Long, Map<String, Object>> held = new TreeMap<>();
        final Set<Long> receivedLive = new HashSet<>();
        final List<Long> repeated = new ArrayList<>();
        StompTestClient client;
        BlockingQueue<Map<String, Object>> live;

        Reader(ClusterNode node, String room, String login) throws Exception {
            this.node = node;
            this.room = room;
            this.login = login;
            connect();
        }

        private void connect() throws Exception {
            client = resources.add(StompTestClient.connect(node.port(), login));
            live = new LinkedBlockingQueue<>();
            client.subscribe("/topic/rooms." + room + ".events", live);
            // the history reply says the SUBSCRIBE before it was handled
            StompTestClient.await(client.subscribe("/app/rooms." + room + ".history?limit=1"), reply -> true);
        }

        /** Reconnects if the connection was closed, and waits for an event that arrives live. */
        void resumeLive() throws Exception {
            drainLive();
            reconnectIfClosed();
            Map<String, Object> event = live.poll(GENEROUS.toSeconds(), TimeUnit.SECONDS);
            assertThat(event).as("a live event for %s after the broker came back", login).isNotNull();
            keep(event);
        }

        /** Takes what arrived live, reconnects if the connection was closed, and fetches what is missing. */
        void repair(long last) throws Exception {
            drainLive();
            reconnectIfClosed();
            long after = contiguousEnd();
            while (after < last) {
                List<Map<String, Object>> page = page(after);
                page.forEach(event -> held.putIfAbsent(index(event), event));
                after = page.isEmpty() ? last : Math.max(after, index(page.get(page.size() - 1)));
            }
            drainLive();
        }

        private void reconnectIfClosed() {
            if (!client.isConnected()) {
                // as a browser does: try again until the node takes the connection (a relay that has just
                // reconnected to its broker may still close the first ones)
                await().atMost(GENEROUS).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
                    connect();
                    return true;
                });
            }
        }

        private void drainLive() {
            Map<String, Object> event;
            while ((event = live.poll()) != null) {
                keep(event);
            }
        }

        /** A live event: kept, and noted if it came live before (one fetched from history may come live later). */
        private void keep(Map<String, Object> event) {
            held.put(index(event), event);
            if (!receivedLive.add(index(event))) {
                repeated.add(index(event));
            }
        }

        /** The highest index held with every lower one held too (-1 when none). */
        private long contiguousEnd() {
            long end = -1;
            for (long index : held.keySet()) {
                if (index != end + 1) {
                    break;
                }
                end = index;
            }
            return end;
        }

        @SuppressWarnings("unchecked")
        private List<Map<String, Object>> page(long after) throws InterruptedException {
            Map<String, Object> reply = StompTestClient.await(client.subscribe("/app/rooms." + room
                    + ".history?after_index=" + after + "&limit=" + PAGE), any -> true);
            return (List<Map<String, Object>>) reply.get("events");
        }

        private static long index(Map<String, Object> event) {
            return ((Number) event.get("index")).longValue();
        }
    }
}
