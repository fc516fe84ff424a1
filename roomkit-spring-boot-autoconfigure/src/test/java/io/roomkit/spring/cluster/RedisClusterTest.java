package io.roomkit.spring.cluster;

import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.EventQuery;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.RoomEvent;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import io.roomkit.spring.jpa.PostgresSchemaAccess;
import io.roomkit.spring.stomp.RedisEventRelay;
import io.roomkit.spring.stomp.StompTestClient;
import io.roomkit.spring.test.TestServices;
import io.roomkit.testing.HangWatchdog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.messaging.simp.stomp.StompSession;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.LongStream;

import static io.roomkit.spring.stomp.StompTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis topology: two nodes on one PostgreSQL schema and one Redis, no RabbitMQ. Persistent events written
 * on either node reach the STOMP clients of both, once each and in index order, also when a Redis message is
 * lost, repeated or arrives out of order (the node fills the gap from the store); ephemeral events reach every
 * client once.
 */
class RedisClusterTest {

    private static final String PREFIX = "rk-cluster-" + UUID.randomUUID().toString().substring(0, 8);

    private static PostgresSchemaAccess schema;
    private static ClusterNode nodeA;
    private static ClusterNode nodeB;
    private static LettuceConnectionFactory redisConnection;
    private static StringRedisTemplate redis;

    private final List<StompTestClient> clients = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        TestServices.requirePostgres();
        TestServices.requireRedis();
        schema = PostgresSchemaAccess.create();
        // the bridge's queue must hold a burst of the whole test: at-most-once queues drop the oldest when full
        nodeA = ClusterNode.startOnRedis(schema.url(), PREFIX, "roomkit.realtime.max-queue-size=100000");
        nodeB = ClusterNode.startOnRedis(schema.url(), PREFIX, "roomkit.realtime.max-queue-size=100000");
        redisConnection = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379));
        redisConnection.afterPropertiesSet();
        redisConnection.start();
        redis = new StringRedisTemplate(redisConnection);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] { nodeA, nodeB, schema }) {
            if (closeable != null) {
                closeable.close();
            }
        }
        if (redisConnection != null) {
            redisConnection.destroy();
        }
    }

    @AfterEach
    void disconnect() {
        clients.forEach(StompTestClient::close);
        nodeA.bean(RedisEventRelay.class).publishFilter(payload -> true);
    }

    @Test
    void aUsersRoomListOnOneNodeFollowsMessagesStoredOnTheOther() throws Exception {
        String room = newRoom();
        String bobName = "bob-" + UUID.randomUUID().toString().substring(0, 8);
        nodeA.kit().joinRoom(room, bobName, io.roomkit.model.ParticipantRole.MEMBER);
        StompTestClient bob = connect(nodeB, bobName);
        BlockingQueue<Map<String, Object>> rooms = bob.subscribe("/user/queue/rooms");
        assertThat(StompTestClient.await(rooms, update -> room.equals(update.get("room_id"))))
                .containsEntry("unread", 0);

        nodeA.kit().registerChannelIfAbsent(new WebSocketChannel("ws-alice"));
        nodeA.kit().processInbound(InboundMessage.builder().channelId("ws-alice").senderId("alice")
                .content(new io.roomkit.model.TextContent("@bob, on node A")).metadata(Map.of("mentions",
                        List.of(bobName))).build(), room);

        Map<String, Object> update = StompTestClient.await(rooms, changed -> room.equals(changed.get("room_id")));
        assertThat(update).containsEntry("unread", 1).containsEntry("mentions", 1).containsEntry("latest_index", 1);
    }

    private static String newRoom() {
        String room = "rc-" + UUID.randomUUID().toString().substring(0, 8);
        nodeA.kit().createRoom(room);
        return room;
    }

    private StompTestClient connect(ClusterNode node, String user) throws Exception {
        StompTestClient client = StompTestClient.connect(node.port(), user);
        clients.add(client);
        return client;
    }

    /** What a client receives from one room's two topics. */
    private record Topics(BlockingQueue<Map<String, Object>> events, BlockingQueue<Map<String, Object>> ephemeral,
            StompSession.Subscription eventsSubscription) {
    }

    /**
     * Subscribes both topics, waits for the history reply (the SUBSCRIBE frames were handled) and for the node
     * to follow the room on Redis, so that every event stored from now on reaches the client.
     */
    private Topics join(StompTestClient client, ClusterNode node, String room) throws Exception {
        BlockingQueue<Map<String, Object>> events = new LinkedBlockingQueue<>();
        StompSession.Subscription subscription = client.subscribe("/topic/rooms." + room + ".events", events);
        BlockingQueue<Map<String, Object>> ephemeral = client.subscribe("/topic/rooms." + room + ".ephemeral");
        StompTestClient.await(client.subscribe("/app/rooms." + room + ".history"), reply -> true);
        await().until(() -> node.bean(RedisEventRelay.class).isFollowing(room));
        return new Topics(events, ephemeral, subscription);
    }

    private static RoomEvent write(ClusterNode node, String user, String room, String text) {
        node.kit().registerChannelIfAbsent(new WebSocketChannel("ws-" + user));
        return node.kit().processInbound(InboundMessage.text("ws-" + user, user, text), room).event();
    }

    /** Takes persistent events until the one with index {@code last}: in index order, that is all of them. */
    private static List<Long> indicesUntil(BlockingQueue<Map<String, Object>> events, long last)
            throws InterruptedException {
        List<Long> indices = new ArrayList<>();
        long index;
        do {
            index = ((Number) events.take().get("index")).longValue();
            indices.add(index);
        }
        while (index < last);
        return indices;
    }

    @Test
    void concurrentWritersOnBothNodesReachEveryClientOnceInIndexOrder() throws Exception {
        List<String> rooms = List.of(newRoom(), newRoom());
        // per client: the rooms it reads and its topics of each
        Map<String, Map<String, Topics>> seen = new HashMap<>();
        String[][] layout = { { "a1", "A", "0", "1" }, { "a2", "A", "0" }, { "b1", "B", "0", "1" }, { "b2", "B", "1" } };
        for (String[] client : layout) {
            ClusterNode node = client[1].equals("A") ? nodeA : nodeB;
            StompTestClient stomp = connect(node, client[0]);
            Map<String, Topics> topics = new HashMap<>();
            for (int i = 2; i < client.length; i++) {
                String room = rooms.get(Integer.parseInt(client[i]));
                topics.put(room, join(stomp, node, room));
            }
            seen.put(client[0], topics);
        }

        int writers = 4;
        int perWriter = 40;
        Map<String, Set<String>> ephemeralIds = new HashMap<>();
        rooms.forEach(room -> ephemeralIds.put(room, java.util.concurrent.ConcurrentHashMap.newKeySet()));
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        HangWatchdog.within(Duration.ofSeconds(300), "writers on two nodes and four clients", () -> {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                ClusterNode node = w % 2 == 0 ? nodeA : nodeB;
                String user = "writer-" + w;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perWriter; i++) {
                        String room = rooms.get(i % rooms.size());
                        write(node, user, room, user + ":" + i);
                        EphemeralEvent typing = EphemeralEvent.of(room, EphemeralEventType.CUSTOM, user,
                                Map.of("seq", user + ":" + i));
                        ephemeralIds.get(room).add(typing.id());
                        node.kit().realtime().publishToRoom(room, typing);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get();
            }
            // sentinels: the last persistent event of each room, and one ephemeral event per node and room after
            // all others of that node (each node publishes in order)
            Map<String, Long> lastIndex = new HashMap<>();
            Map<String, Set<String>> sentinels = new HashMap<>();
            for (String room : rooms) {
                lastIndex.put(room, write(nodeA, "closer", room, "the end").index());
                Set<String> ids = new HashSet<>();
                for (ClusterNode node : List.of(nodeA, nodeB)) {
                    EphemeralEvent last = EphemeralEvent.of(room, EphemeralEventType.CUSTOM, "closer", Map.of());
                    ids.add(last.id());
                    node.kit().realtime().publishToRoom(room, last);
                }
                sentinels.put(room, ids);
            }

            for (Map.Entry<String, Map<String, Topics>> client : seen.entrySet()) {
                for (Map.Entry<String, Topics> entry : client.getValue().entrySet()) {
                    String room = entry.getKey();
                    long last = lastIndex.get(room);
                    assertThat(indicesUntil(entry.getValue().events(), last))
                            .as("%s's persistent events of %s", client.getKey(), room)
                            .containsExactlyElementsOf(LongStream.rangeClosed(0, last).boxed().toList());
                    List<String> ephemeral = new ArrayList<>();
                    Set<String> sentinelsLeft = new HashSet<>(sentinels.get(room));
                    while (!sentinelsLeft.isEmpty()) {
                        Map<String, Object> event = entry.getValue().ephemeral().take();
                        String id = (String) event.get("id");
                        if (!"custom".equals(event.get("type"))) {
                            continue; // presence of the clients that joined
                        }
                        if (!sentinelsLeft.remove(id)) {
                            ephemeral.add(id);
                        }
                    }
                    assertThat(ephemeral).as("%s's ephemeral events of %s", client.getKey(), room)
                            .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ephemeralIds.get(room));
                }
            }
            return null;
        });
        pool.shutdownNow();
        assertThat(nodeB.kit().events(rooms.get(0), EventQuery.latest(1000))).extracting(RoomEvent::index)
                .containsExactlyElementsOf(LongStream.rangeClosed(0, writers * perWriter / 2).boxed().toList());
    }

    @Test
    void aLostRepeatedOrLateRedisMessageIsRepairedFromTheStore() throws Exception {
        String room = newRoom();
        StompTestClient onB = connect(nodeB, "bob");
        Topics bob = join(onB, nodeB, room);
        StompTestClient onA = connect(nodeA, "alice");
        Topics alice = join(onA, nodeA, room);
        String channel = PREFIX + ":events:room:" + room;

        // node A "loses" the publication of the second event: node B hears 0, then 2, and reads 1 from the store
        nodeA.bean(RedisEventRelay.class).publishFilter(payload -> !payload.contains("lost on the way"));
        RoomEvent first = write(nodeA, "alice", room, "first");
        write(nodeA, "alice", room, "lost on the way");
        write(nodeA, "alice", room, "third");
        nodeA.bean(RedisEventRelay.class).publishFilter(payload -> true);

        HangWatchdog.within(Duration.ofSeconds(120), "gap repair", () -> {
            assertThat(indicesUntil(bob.events(), 2)).containsExactly(0L, 1L, 2L);
            assertThat(indicesUntil(alice.events(), 2)).as("the writer's node delivers its own writes once")
                    .containsExactly(0L, 1L, 2L);

            // a repeat of an old event, published straight to Redis, is not delivered again
            RoomEvent fourth = write(nodeB, "bob", room, "fourth");
            RoomEvent fifth = write(nodeB, "bob", room, "fifth");
            redis.convertAndSend(channel, new tools.jackson.databind.json.JsonMapper().writeValueAsString(
                    first.toMap()));
            assertThat(indicesUntil(alice.events(), fifth.index())).containsExactly(fourth.index(), fifth.index());
            assertThat(indicesUntil(bob.events(), fifth.index())).containsExactly(fourth.index(), fifth.index());

            // the last event lost: nothing later shows the gap until the node checks the store again (as it does
            // when Redis answers after an outage)
            nodeB.bean(RedisEventRelay.class).publishFilter(payload -> !payload.contains("lost at the end"));
            RoomEvent lastLost = write(nodeB, "bob", room, "lost at the end");
            assertThat(indicesUntil(bob.events(), lastLost.index())).containsExactly(lastLost.index());
            nodeA.bean(RedisEventRelay.class).repairAll();
            assertThat(indicesUntil(alice.events(), lastLost.index())).containsExactly(lastLost.index());
            return null;
        });
        nodeB.bean(RedisEventRelay.class).publishFilter(payload -> true);
        assertThat(bob.events()).isEmpty();
    }

    @Test
    void aNodeSubscribesTheRoomsRedisChannelWithItsFirstReaderAndReleasesItWithTheLast() throws Exception {
        String room = newRoom();
        String channel = PREFIX + ":events:room:" + room;
        assertThat(subscribers(channel)).isZero();

        StompTestClient first = connect(nodeB, "first");
        Topics firstTopics = join(first, nodeB, room);
        assertThat(subscribers(channel)).isEqualTo(1);
        StompTestClient second = connect(nodeB, "second");
        join(second, nodeB, room);
        StompTestClient onA = connect(nodeA, "third");
        join(onA, nodeA, room);
        assertThat(subscribers(channel)).as("one Redis subscription per node").isEqualTo(2);

        firstTopics.eventsSubscription().unsubscribe();
        second.close();
        await().until(() -> !nodeB.bean(RedisEventRelay.class).isFollowing(room));
        await().until(() -> subscribers(channel) == 1);
        onA.close();
        await().until(() -> subscribers(channel) == 0);
    }

    /** Sessions subscribing and unsubscribing a room at random, at once: the node ends in the state they ask for. */
    @Test
    void racingSubscribesAndUnsubscribesLeaveTheNodeSubscribedExactlyWhileSomeoneReads() throws Exception {
        String room = newRoom();
        String channel = PREFIX + ":events:room:" + room;
        int sessions = 6;
        List<StompTestClient> racers = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            racers.add(connect(nodeB, "racer-" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        HangWatchdog.within(Duration.ofSeconds(120), "subscribe/unsubscribe storm", () -> {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                StompTestClient racer = racers.get(i);
                long seed = i;
                done.add(pool.submit(() -> {
                    java.util.Random random = new java.util.Random(seed);
                    start.await();
                    for (int round = 0; round < 30; round++) {
                        StompSession.Subscription held = racer.subscribe("/topic/rooms." + room + ".events",
                                new LinkedBlockingQueue<>());
                        if (random.nextBoolean()) {
                            Thread.yield();
                        }
                        held.unsubscribe();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get();
            }
            // each session's frames are handled in order: once its history reply is back, its UNSUBSCRIBEs are too
            for (StompTestClient racer : racers) {
                StompTestClient.await(racer.subscribe("/app/rooms." + room + ".history"), reply -> true);
            }
            return null;
        });
        pool.shutdownNow();
        await().until(() -> subscribers(channel) == 0 && !nodeB.bean(RedisEventRelay.class).isFollowing(room));

        Topics reader = join(racers.get(0), nodeB, room);
        assertThat(subscribers(channel)).isEqualTo(1);
        RoomEvent written = write(nodeA, "alice", room, "after the storm");
        assertThat(HangWatchdog.within(Duration.ofSeconds(60), "delivery after the storm",
                () -> indicesUntil(reader.events(), written.index()))).containsExactly(written.index());
    }

    @Test
    void persistentListenersFireOncePerClusterOrOnEveryNodeWithScopeNodeAndEphemeralOnesOnEveryNode()
            throws Exception {
        ListenerRule.check(nodeA, nodeB, "rule-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** Redis's own count of the channel's subscribers (one connection per node). */
    @SuppressWarnings("unchecked")
    private static long subscribers(String channel) {
        try (io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create("redis://127.0.0.1:6379");
                io.lettuce.core.api.StatefulRedisConnection<String, String> connection = client.connect()) {
            Long count = connection.sync().pubsubNumsub(channel).get(channel);
            return count == null ? 0 : count;
        }
    }
}
