package io.roomkit.spring.cluster;

import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.EventQuery;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.RoomEvent;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.spring.stomp.StompTestClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static io.roomkit.spring.stomp.StompTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two application instances on different ports sharing PostgreSQL and RabbitMQ (STOMP relay): clients on
 * different nodes see each other's persistent and ephemeral events.
 */
class RelayClusterTest extends TwoRelayNodes {


    private final String room = "cluster-" + UUID.randomUUID().toString().substring(0, 8);

    private StompTestClient connect(ClusterNode node, String user) throws Exception {
        StompTestClient client = StompTestClient.connect(node.port(), user);
        clients.add(client);
        return client;
    }

    /** Subscribes to both topics, each confirmed by RabbitMQ's RECEIPT, and waits for the history reply. */
    private Topics join(StompTestClient client) throws Exception {
        Topics topics = new Topics(client.subscribeConfirmed("/topic/rooms." + room + ".events"),
                client.subscribeConfirmed("/topic/rooms." + room + ".ephemeral"));
        await(client.subscribe("/app/rooms." + room + ".history"), reply -> true);
        return topics;
    }

    private record Topics(BlockingQueue<Map<String, Object>> events, BlockingQueue<Map<String, Object>> ephemeral) {
    }

    @Test
    void clientsOnDifferentNodesExchangeEveryKindOfEvent() throws Exception {
        StompTestClient alice = connect(nodeA, "alice");
        StompTestClient bob = connect(nodeB, "bob");
        Topics aliceTopics = join(alice);
        Topics bobTopics = join(bob);

        alice.send("/app/rooms." + room + ".messages", Map.of("content", "hello from A"));
        Map<String, Object> message = await(bobTopics.events(), e -> "message".equals(e.get("type")));
        String messageId = (String) message.get("id");

        alice.send("/app/rooms." + room + ".edit", Map.of("target_event_id", messageId, "new_content", "hi from A"));
        await(bobTopics.events(), e -> "edit".equals(e.get("type")));
        bob.send("/app/rooms." + room + ".typing", Map.of("typing", true));
        await(aliceTopics.ephemeral(), e -> "typing_start".equals(e.get("type")) && "bob".equals(e.get("user_id")));
        bob.send("/app/rooms." + room + ".reactions", Map.of("target_event_id", messageId, "emoji", "tada",
                "action", "add"));
        await(aliceTopics.ephemeral(), e -> "reaction".equals(e.get("type")));
        bob.send("/app/rooms." + room + ".presence", Map.of("status", "away"));
        await(aliceTopics.ephemeral(), e -> "presence_away".equals(e.get("type")));
        alice.send("/app/rooms." + room + ".delete", Map.of("target_event_id", messageId));
        await(bobTopics.events(), e -> "delete".equals(e.get("type")));

        RoomEvent stored = nodeB.kit().getEvent(room, messageId).orElseThrow();
        assertThat(stored.isDeleted()).isTrue();
    }

    @Test
    void aLateClientOnTheOtherNodeCatchesUpOnHistory() throws Exception {
        StompTestClient alice = connect(nodeA, "alice");
        join(alice);
        for (int i = 0; i < 5; i++) {
            alice.send("/app/rooms." + room + ".messages", Map.of("content", "m" + i));
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> nodeB.kit().getRoom(room).isPresent() && nodeB.kit().events(room,
                        EventQuery.latest(10)).size() == 5);

        StompTestClient carol = connect(nodeB, "carol");
        Map<String, Object> reply = await(carol.subscribe("/app/rooms." + room + ".history?after_index=1"),
                r -> true);

        List<Object> indices = ((List<?>) reply.get("events")).stream().map(e -> (Object) ((Map<?, ?>) e).get("index"))
                .toList();
        assertThat(indices).containsExactly(2, 3, 4);
    }

    @Test
    void concurrentWritersOnBothNodesGetGaplessIndicesAndEveryClientSeesEachEventOnce() throws Exception {
        StompTestClient watcherA = connect(nodeA, "watcher-a");
        StompTestClient watcherB = connect(nodeB, "watcher-b");
        BlockingQueue<Map<String, Object>> seenOnA = join(watcherA).events();
        BlockingQueue<Map<String, Object>> seenOnB = join(watcherB).events();
        int perWriter = 25;
        ExecutorService writers = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            ClusterNode node = w % 2 == 0 ? nodeA : nodeB;
            String user = "writer-" + w;
            done.add(writers.submit(() -> {
                start.await();
                node.kit().registerChannelIfAbsent(new WebSocketChannel("ws-" + user));
                for (int i = 0; i < perWriter; i++) {
                    node.kit().processInbound(InboundMessage.text("ws-" + user, user,
                            user + ":" + i), room);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : done) {
            future.get(60, TimeUnit.SECONDS);
        }
        writers.shutdown();

        int total = 4 * perWriter;
        assertThat(nodeA.kit().events(room, EventQuery.latest(1000))).extracting(RoomEvent::index)
                .containsExactlyElementsOf(LongStream.range(0, total).boxed().toList());
        for (BlockingQueue<Map<String, Object>> seen : List.of(seenOnA, seenOnB)) {
            Set<Object> ids = new HashSet<>();
            List<Object> indices = new CopyOnWriteArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (indices.size() < total && System.nanoTime() < deadline) {
                Map<String, Object> event = seen.poll(200, TimeUnit.MILLISECONDS);
                if (event != null) {
                    assertThat(ids.add(event.get("id"))).as("each event once").isTrue();
                    indices.add(event.get("index"));
                }
            }
            assertThat(indices).hasSize(total);
            assertThat(seen.poll(500, TimeUnit.MILLISECONDS)).as("no duplicates after the last").isNull();
        }
    }

    @Test
    void serverSideSubscribersHearEveryNodesEphemeralEventsOnce() throws Exception {
        List<EphemeralEvent> heardOnA = new CopyOnWriteArrayList<>();
        String subscription = nodeA.kit().subscribeRoom(room, heardOnA::add);
        try {
            // RabbitMQ binds the node's subscription on its own time: it is in place once a probe from B arrives
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                nodeB.kit().publishTyping(room, "probe", true);
                return heardOnA.stream().anyMatch(event -> "probe".equals(event.userId()));
            });
            nodeB.kit().publishTyping(room, "bob", true);
            nodeA.kit().publishTyping(room, "alice", true);
            // each node's events arrive in the order it published them: a repeat would come before its end marker
            nodeB.kit().publishTyping(room, "end-of-b", true);
            nodeA.kit().publishTyping(room, "end-of-a", true);

            await().atMost(Duration.ofSeconds(10)).until(() -> heardOnA.stream().map(EphemeralEvent::userId)
                    .filter(user -> user.startsWith("end-of-")).count() == 2);
            assertThat(heardOnA).extracting(EphemeralEvent::userId).filteredOn(user -> !user.equals("probe"))
                    .containsExactlyInAnyOrder("bob", "alice", "end-of-b", "end-of-a");
        }
        finally {
            nodeA.kit().unsubscribeRoom(subscription);
        }
    }
}
