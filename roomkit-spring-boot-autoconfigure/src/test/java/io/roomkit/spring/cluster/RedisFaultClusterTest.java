package io.roomkit.spring.cluster;

import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.InboundMessage;
import io.roomkit.spring.jpa.PostgresSchemaAccess;
import io.roomkit.spring.stomp.RedisEventRelay;
import io.roomkit.spring.stomp.StompTestClient;
import io.roomkit.spring.test.PrivateRedis;
import io.roomkit.spring.test.Resources;
import io.roomkit.spring.test.TestServices;
import io.roomkit.testing.HangWatchdog;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Status;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis topology through a Redis crash: two nodes on one PostgreSQL schema and a private Redis, writers on
 * both nodes and STOMP clients on both. Redis is killed (SIGKILL) while the writers write and started again
 * (empty). Writers never stop (they are not held up by Redis), both nodes' health goes DOWN and comes back UP,
 * the nodes follow their rooms on Redis again by themselves, and every client ends up holding every stored event
 * of its room exactly once, in index order: what crossed Redis while it was down is fetched from the store when
 * the node sees the gap.
 */
class RedisFaultClusterTest {

    private static final Duration GENEROUS = ClusterWriters.GENEROUS;

    @TempDir
    Path dir;

    @AutoClose
    final Resources resources = new Resources();

    private final String prefix = "rk-fault-" + UUID.randomUUID().toString().substring(0, 8);
    private PostgresSchemaAccess schema;

    @Test
    void everyClientHoldsEveryStoredEventOnceInOrderAfterRedisCrashesDuringTraffic() throws Exception {
        PrivateRedis redis = startRedis();
        ClusterNode nodeA = startNode(redis);
        ClusterNode nodeB = startNode(redis);
        List<ClusterNode> nodes = List.of(nodeA, nodeB);
        String room = "fault-" + UUID.randomUUID().toString().substring(0, 8);
        nodeA.kit().createRoom(room);

        List<BlockingQueue<Map<String, Object>>> clients = new ArrayList<>();
        for (ClusterNode node : List.of(nodeA, nodeB, nodeB)) {
            clients.add(reader(node, room, "reader-" + clients.size()));
        }
        long first = nodeA.kit().store().latestIndex(room).orElse(-1) + 1;

        ClusterWriters writers = resources.add(new ClusterWriters(nodes, room));
        HangWatchdog.within(Duration.ofSeconds(300), "writers on two nodes through a Redis crash", () -> {
            writers.awaitMore(20);
            redis.kill();
            writers.awaitMore(20); // the writers go on while Redis is down
            ClusterWriters.awaitHealth(nodes, Status.DOWN);
            writers.awaitMore(20);
            redis.restart();
            ClusterWriters.awaitHealth(nodes, Status.UP);
            for (ClusterNode node : nodes) {
                await().atMost(GENEROUS).until(() -> node.bean(RedisEventRelay.class).isFollowing(room));
            }
            writers.awaitMore(20);
            writers.stop();
            return null;
        });

        // a node notices a gap when a later event arrives: one more event from each node closes any tail gap
        long last = -1;
        for (ClusterNode node : nodes) {
            node.kit().registerChannelIfAbsent(new WebSocketChannel("ws-closer"));
            last = node.kit().processInbound(InboundMessage.text("ws-closer", "closer", "the end"), room).event()
                    .index();
        }
        List<Long> expected = LongStream.rangeClosed(first, last).boxed().toList();
        assertThat(expected).as("events stored during the run").hasSizeGreaterThan(80);
        for (BlockingQueue<Map<String, Object>> events : clients) {
            assertThat(indicesFrom(events, first, last)).as("indices one client received")
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void theSurvivingNodesClientsHoldEveryStoredEventWhenTheWritingNodeStopsMidWrite() throws Exception {
        PrivateRedis redis = startRedis();
        ClusterNode doomed = startNode(redis);
        ClusterNode survivor = startNode(redis);
        String room = "fault-" + UUID.randomUUID().toString().substring(0, 8);
        survivor.kit().createRoom(room);
        BlockingQueue<Map<String, Object>> events = reader(survivor, room, "reader");
        long first = survivor.kit().store().latestIndex(room).orElse(-1) + 1;

        // writes until its node is gone: the last ones fail, and some may be stored without being published
        ClusterWriters writer = resources.add(new ClusterWriters(List.of(doomed), room));
        writer.awaitMore(40);
        doomed.close();
        HangWatchdog.within(GENEROUS, "the writer of a stopped node", () -> {
            try {
                writer.stop();
            }
            catch (ExecutionException expected) {
                // the kit refused writes once its node stopped
            }
            return null;
        });

        survivor.kit().registerChannelIfAbsent(new WebSocketChannel("ws-closer"));
        long last = survivor.kit().processInbound(InboundMessage.text("ws-closer", "closer", "the end"), room).event()
                .index();
        assertThat(last - first).as("events stored by the stopped node").isGreaterThanOrEqualTo(40);
        assertThat(indicesFrom(events, first, last)).containsExactlyElementsOf(
                LongStream.rangeClosed(first, last).boxed().toList());
    }

    private PrivateRedis startRedis() throws Exception {
        TestServices.requirePostgres();
        PrivateRedis redis = resources.add(PrivateRedis.start(dir));
        schema = resources.add(PostgresSchemaAccess.create());
        return redis;
    }

    /** A node of the Redis topology on this test's schema and Redis. */
    private ClusterNode startNode(PrivateRedis redis) {
        return resources.add(ClusterNode.startOnRedis(schema.url(), prefix, "spring.data.redis.host=127.0.0.1",
                "spring.data.redis.port=" + redis.port(), "roomkit.realtime.redis.timeout=500ms",
                "roomkit.realtime.max-queue-size=100000"));
    }

    /**
     * A STOMP client of {@code room}'s events on {@code node}, once the node follows the room on Redis: it
     * receives every event stored from then on.
     */
    private BlockingQueue<Map<String, Object>> reader(ClusterNode node, String room, String login) throws Exception {
        StompTestClient client = resources.add(StompTestClient.connect(node.port(), login));
        BlockingQueue<Map<String, Object>> events = new LinkedBlockingQueue<>();
        client.subscribe("/topic/rooms." + room + ".events", events);
        StompTestClient.await(client.subscribe("/app/rooms." + room + ".history"), reply -> true);
        await().atMost(GENEROUS).until(() -> node.bean(RedisEventRelay.class).isFollowing(room));
        return events;
    }

    /** The indices of the client's events from {@code first} until it has received {@code last}. */
    private static List<Long> indicesFrom(BlockingQueue<Map<String, Object>> events, long first, long last)
            throws Exception {
        return HangWatchdog.within(GENEROUS, "a client receiving every event up to " + last, () -> {
            List<Long> indices = new ArrayList<>();
            boolean seenLast = false;
            while (!seenLast) {
                long index = ((Number) events.take().get("index")).longValue();
                if (index >= first) {
                    indices.add(index);
                }
                seenLast = index == last;
            }
            // anything after the last index would be a repeat
            Map<String, Object> extra = events.poll();
            if (extra != null) {
                indices.add(((Number) extra.get("index")).longValue());
            }
            return indices;
        });
    }
}
