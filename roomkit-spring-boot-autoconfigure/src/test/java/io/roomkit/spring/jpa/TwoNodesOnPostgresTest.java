package io.roomkit.spring.jpa;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKit;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.hook.Hook;
import io.roomkit.hook.HookResult;
import io.roomkit.hook.HookTrigger;
import io.roomkit.model.DeleteContent;
import io.roomkit.model.DeleteType;
import io.roomkit.model.EditContent;
import io.roomkit.model.EventContent;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.InboundResult;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.SystemContent;
import io.roomkit.model.TextContent;
import io.roomkit.store.ConversationStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Two application instances ("nodes"), each with its own RoomKit and JPA store, on one PostgreSQL schema. */
class TwoNodesOnPostgresTest {

    private static final int THREADS_PER_NODE = 4;
    private static final int MESSAGES_PER_THREAD = 50;

    private static PostgresSchema schema;
    private static ConfigurableApplicationContext nodeA;
    private static ConfigurableApplicationContext nodeB;

    @BeforeAll
    static void startNodes() {
        schema = new PostgresSchema();
        nodeA = JpaTestApplication.start(schema.url());
        nodeB = JpaTestApplication.start(schema.url());
    }

    @AfterAll
    static void stopNodes() {
        for (AutoCloseable closeable : new AutoCloseable[] { nodeA, nodeB, schema }) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }
    }

    @Test
    void concurrentWritersOnTwoNodesGetUniqueGaplessIndicesInTheirOwnOrder() throws Exception {
        String roomId = "two-nodes-writers";
        List<Callable<List<RoomEvent>>> writers = new ArrayList<>();
        for (ConfigurableApplicationContext node : List.of(nodeA, nodeB)) {
            for (int thread = 0; thread < THREADS_PER_NODE; thread++) {
                String user = nodeName(node) + "-writer-" + thread;
                RoomKit kit = kitOf(node, user);
                writers.add(() -> {
                    List<RoomEvent> written = new ArrayList<>();
                    for (int i = 0; i < MESSAGES_PER_THREAD; i++) {
                        written.add(kit.processInbound(InboundMessage.text("ws-" + user, user, user + "#" + i),
                                roomId).event());
                    }
                    return written;
                });
            }
        }

        List<List<RoomEvent>> results = runTogether(writers);

        int total = 2 * THREADS_PER_NODE * MESSAGES_PER_THREAD;
        for (ConfigurableApplicationContext node : List.of(nodeA, nodeB)) {
            List<RoomEvent> events = kitOf(node).events(roomId, EventQuery.latest(EventQuery.MAX_LIMIT));
            assertThat(events).extracting(RoomEvent::index)
                    .as("indices read through %s are exactly 0..%d", nodeName(node), total - 1)
                    .containsExactlyElementsOf(LongStream.range(0, total).boxed().toList());
            assertThat(storeOf(node).countEvents(roomId)).isEqualTo(total);
            assertThat(storeOf(node).latestIndex(roomId)).hasValue(total - 1);
        }
        Map<String, List<RoomEvent>> byWriter = kitOf(nodeB).events(roomId, EventQuery.latest(EventQuery.MAX_LIMIT))
                .stream().collect(Collectors.groupingBy(event -> event.source().participantId()));
        assertThat(byWriter).hasSize(2 * THREADS_PER_NODE);
        byWriter.forEach((writer, events) -> assertThat(events)
                .as("messages of %s in index order are in the order it sent them", writer)
                .extracting(event -> ((TextContent) event.content()).body())
                .containsExactlyElementsOf(IntStream.range(0, MESSAGES_PER_THREAD)
                        .mapToObj(i -> writer + "#" + i).toList()));
        for (List<RoomEvent> written : results) {
            assertThat(written).as("each writer sees its own indices increase")
                    .isSortedAccordingTo(Comparator.comparingLong(RoomEvent::index));
        }
    }

    @Test
    void identicalIdempotencyKeysOnTwoNodesStoreOneEvent() throws Exception {
        String roomId = "two-nodes-idempotency";
        kitOf(nodeA).createRoom(roomId);
        int rounds = 3;
        for (int round = 0; round < rounds; round++) {
            String key = "same-key-" + round;
            List<Callable<InboundResult>> senders = new ArrayList<>();
            for (ConfigurableApplicationContext node : List.of(nodeA, nodeB)) {
                for (int thread = 0; thread < 8; thread++) {
                    String user = nodeName(node) + "-sender-" + thread;
                    RoomKit kit = kitOf(node, user);
                    InboundMessage message = InboundMessage.builder().channelId("ws-" + user).senderId(user)
                            .content(new TextContent("once " + key)).idempotencyKey(key).build();
                    senders.add(() -> kit.processInbound(message, roomId));
                }
            }

            List<InboundResult> results = runTogether(senders);

            RoomEvent stored = storeOf(nodeB).findByIdempotencyKey(roomId, key).orElseThrow();
            assertThat(results).allSatisfy(result -> {
                assertThat(result.blocked()).isFalse();
                assertThat(result.event().id()).isEqualTo(stored.id());
            });
        }
        assertThat(storeOf(nodeA).countEvents(roomId)).as("one event per key").isEqualTo(rounds);
        assertThat(kitOf(nodeB).events(roomId, EventQuery.latest(10))).extracting(RoomEvent::index)
                .containsExactly(0L, 1L, 2L);
    }

    @Test
    void eventWrittenOnOneNodeIsReadableOnTheOther() {
        String roomId = "two-nodes-read";
        RoomKit kitA = kitOf(nodeA, "alice");
        RoomKit kitB = kitOf(nodeB, "bob");
        kitB.processInbound(InboundMessage.text("ws-bob", "bob", "hello from B"), roomId);

        RoomEvent written = kitA.processInbound(InboundMessage.text("ws-alice", "alice", "hello from A"), roomId)
                .event();

        assertThat(kitB.events(roomId, EventQuery.latest(10))).extracting(RoomEvent::id).endsWith(written.id());
        assertThat(kitB.getEvent(roomId, written.id())).hasValueSatisfying(event -> {
            assertThat(event.index()).isEqualTo(1);
            assertThat(event.content()).isEqualTo(new TextContent("hello from A"));
        });
        assertThat(kitB.unreadCount(roomId, "ws-bob")).isEqualTo(1);
        kitB.markRead(roomId, "ws-bob", written.id());
        assertThat(kitA.unreadCount(roomId, "ws-bob")).isZero();
        assertThat(kitA.readMarkers(roomId)).containsEntry("ws-bob", 1L);
    }

    @Test
    void concurrentMarkReadOnTwoNodesKeepsTheHighestMarker() throws Exception {
        String roomId = "two-nodes-markers";
        RoomKit writer = kitOf(nodeA, "erin");
        List<String> ids = IntStream.range(0, 20).mapToObj(i -> writer.processInbound(
                InboundMessage.text("ws-erin", "erin", "m" + i), roomId).event().id()).toList();
        List<Callable<Void>> readers = new ArrayList<>();
        for (ConfigurableApplicationContext node : List.of(nodeA, nodeB)) {
            for (int thread = 0; thread < THREADS_PER_NODE; thread++) {
                List<String> order = new ArrayList<>(ids);
                Collections.shuffle(order, new Random(thread));
                RoomKit kit = kitOf(node);
                readers.add(() -> {
                    order.forEach(id -> kit.markRead(roomId, "ws-frank", id));
                    return null;
                });
            }
        }

        runTogether(readers);

        assertThat(kitOf(nodeA).readMarkers(roomId)).isEqualTo(Map.of("ws-frank", 19L));
        assertThat(kitOf(nodeB).unreadCount(roomId, "ws-frank")).isZero();
    }

    @Test
    void editRacingADeleteOnTheOtherNodeIsRefusedAndTheMessageStaysDeleted() throws Exception {
        String roomId = "two-nodes-edit-delete";
        RoomEvent message = kitOf(nodeA, "carol").processInbound(InboundMessage.text("ws-carol", "carol", "secret"),
                roomId).event();

        Future<InboundResult> edit = pausedOnAWhileBWrites(roomId,
                mutation("carol", EventType.EDIT, new EditContent(message.id(), new TextContent("still secret"))),
                mutation("carol", EventType.DELETE, new DeleteContent(message.id())));

        InboundResult refused = edit.get(30, TimeUnit.SECONDS);
        assertThat(refused.blocked()).isTrue();
        assertThat(refused.event()).isNull();
        assertThat(refused.reason()).isEqualTo(ErrorCodes.TARGET_DELETED);
        RoomEvent after = kitOf(nodeB).getEvent(roomId, message.id()).orElseThrow();
        assertThat(after.isDeleted()).as("a deleted message stays deleted").isTrue();
        assertThat(after.content()).isInstanceOf(SystemContent.class);
        assertThat(kitOf(nodeB).editHistory(roomId, message.id())).isEmpty();
        assertThat(storeOf(nodeB).countEvents(roomId)).as("the message and the delete").isEqualTo(2);
    }

    @Test
    void deleteRacingADeleteOnTheOtherNodeStoresOneDelete() throws Exception {
        String roomId = "two-nodes-delete-delete";
        RoomEvent message = kitOf(nodeA, "dave").processInbound(InboundMessage.text("ws-dave", "dave", "oops"),
                roomId).event();

        Future<InboundResult> secondDelete = pausedOnAWhileBWrites(roomId,
                mutation("dave", EventType.DELETE, new DeleteContent(message.id(), DeleteType.SENDER, "from A")),
                mutation("dave", EventType.DELETE, new DeleteContent(message.id(), DeleteType.SENDER, "from B")));

        InboundResult refused = secondDelete.get(30, TimeUnit.SECONDS);
        assertThat(refused.blocked()).isTrue();
        assertThat(refused.event()).isNull();
        assertThat(refused.reason()).isEqualTo(ErrorCodes.ALREADY_DELETED);
        assertThat(kitOf(nodeA).getEvent(roomId, message.id()).orElseThrow().metadata())
                .containsEntry("reason", "from B");
        assertThat(storeOf(nodeA).countEvents(roomId)).as("the message and one delete").isEqualTo(2);
    }

    /**
     * Sends {@code onA} through node A, holds it in a hook after the edit/delete rules passed and before its
     * commit, lets {@code onB} go through node B meanwhile, then releases A's write.
     */
    private static Future<InboundResult> pausedOnAWhileBWrites(String roomId, InboundMessage onA, InboundMessage onB)
            throws Exception {
        RoomKit kitA = kitOf(nodeA);
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        String hook = "pause-" + roomId;
        kitA.addHook(Hook.of(HookTrigger.BEFORE_BROADCAST, hook, 0, (event, context) -> {
            if (event.roomId().equals(roomId)) {
                paused.countDown();
                release.await(30, TimeUnit.SECONDS);
            }
            return HookResult.allow();
        }));
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<InboundResult> result = writer.submit(() -> kitA.processInbound(onA, roomId));
            assertThat(paused.await(30, TimeUnit.SECONDS)).as("A's write reached its hook").isTrue();
            assertThat(kitOf(nodeB).processInbound(onB, roomId).blocked()).as("B's write went through").isFalse();
            release.countDown();
            try {
                result.get(30, TimeUnit.SECONDS);
            }
            catch (ExecutionException ex) {
                // inspected by the caller
            }
            return result;
        }
        finally {
            release.countDown();
            kitA.removeHook(hook);
            writer.shutdown();
        }
    }

    private static InboundMessage mutation(String user, EventType type, EventContent content) {
        kitOf(nodeA, user);
        kitOf(nodeB, user);
        return InboundMessage.builder().channelId("ws-" + user).senderId(user).eventType(type).content(content)
                .build();
    }

    private static <T> List<T> runTogether(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch ready = new CountDownLatch(tasks.size());
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = tasks.stream().map(task -> pool.submit(() -> {
                ready.countDown();
                start.await();
                return task.call();
            })).toList();
            assertThat(ready.await(30, TimeUnit.SECONDS)).as("all threads ready").isTrue();
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        }
        finally {
            pool.shutdownNow();
        }
    }

    private static RoomKit kitOf(ConfigurableApplicationContext node, String... users) {
        RoomKit kit = node.getBean(RoomKit.class);
        for (String user : users) {
            kit.registerChannelIfAbsent(new WebSocketChannel("ws-" + user));
        }
        return kit;
    }

    private static ConversationStore storeOf(ConfigurableApplicationContext node) {
        ConversationStore store = node.getBean(ConversationStore.class);
        assertThat(store).isInstanceOf(JpaConversationStore.class);
        return store;
    }

    private static String nodeName(ConfigurableApplicationContext node) {
        return node == nodeA ? "A" : "B";
    }
}
