package io.roomkit.pipeline;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKit;
import io.roomkit.hook.Hook;
import io.roomkit.hook.HookResult;
import io.roomkit.hook.HookTrigger;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.ChannelType;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventStatus;
import io.roomkit.model.InboundResult;
import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;
import io.roomkit.store.ConversationStore;
import io.roomkit.testing.HangWatchdog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static io.roomkit.pipeline.Messages.delete;
import static io.roomkit.pipeline.Messages.keyed;
import static io.roomkit.pipeline.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery model's promises, for any store: writes from hooks, channels, listeners and AI channels into the
 * same room or others, from many threads, never hang; every room keeps a gapless index; every channel sees its
 * rooms' events once, in index order; a sink that blocks stalls only itself. Each store module extends this.
 */
public abstract class DeliveryModelContractTest {

    /** A watchdog for hangs, far above what any test here needs. */
    private static final Duration HANG = Duration.ofSeconds(120);

    protected RoomKit kit;
    private final ExecutorService writers = Executors.newFixedThreadPool(8);
    private final List<CountDownLatch> releases = new ArrayList<>();

    /** A fresh, empty store for each test. */
    protected abstract ConversationStore createStore();

    /** Messages each writer thread sends; database stores use fewer. */
    protected int messagesPerWriter() {
        return 200;
    }

    @BeforeEach
    void startKit() {
        kit = RoomKit.builder().store(createStore()).stallTimeout(Duration.ofMillis(100)).build();
    }

    @AfterEach
    void closeKit() throws InterruptedException {
        releases.forEach(CountDownLatch::countDown);
        writers.shutdownNow();
        writers.awaitTermination(10, TimeUnit.SECONDS);
        kit.close();
    }

    @Test
    void hooksThatRelayBetweenTwoRoomsBothWaysDoNotHang() throws Exception {
        RecordingChannel watcherA = new RecordingChannel("watch-a");
        RecordingChannel watcherB = new RecordingChannel("watch-b");
        kit.registerChannel(new RecordingChannel("ws-writer"));
        kit.registerChannel(new RecordingChannel("bridge"));
        kit.registerChannel(watcherA);
        kit.registerChannel(watcherB);
        kit.createRoom("a");
        kit.createRoom("b");
        kit.attachChannel("a", "watch-a");
        kit.attachChannel("b", "watch-b");
        kit.addHook(Hook.observer(HookTrigger.AFTER_BROADCAST, "bridge", (event, context) -> {
            if (!event.source().channelId().equals("bridge")) {
                String other = event.roomId().equals("a") ? "b" : "a";
                kit.processInbound(text("bridge", "bridge", "relayed " + event.content().plainText()), other);
            }
        }));
        int messages = messagesPerWriter();

        HangWatchdog.within(HANG, "4 writers into two bridged rooms", () -> runWriters(4, writer -> {
            for (int i = 0; i < messages; i++) {
                kit.processInbound(text("ws-writer", "w" + writer, "m" + writer + "/" + i), i % 2 == 0 ? "a" : "b");
            }
        }));
        assertThat(kit.awaitIdle(HANG)).isTrue();

        int perRoom = 4 * messages; // half written there, half relayed from the other room
        for (String room : List.of("a", "b")) {
            List<RoomEvent> timeline = timeline(room);
            assertGapless(timeline);
            assertThat(timeline).hasSize(perRoom).allMatch(event -> event.status() == EventStatus.DELIVERED);
            assertThat(timeline).filteredOn(event -> event.source().channelId().equals("bridge")).hasSize(perRoom / 2);
        }
        assertThat(watcherA.delivered()).containsExactlyElementsOf(timeline("a"));
        assertThat(watcherB.delivered()).containsExactlyElementsOf(timeline("b"));
    }

    @Test
    void randomWritesFromHooksChannelsAndAiIntoRandomRoomsNeverHangAndKeepEveryRoomInOrder() throws Exception {
        long seed = System.nanoTime();
        int rooms = 5;
        List<String> roomIds = IntStream.range(0, rooms).mapToObj(i -> "room-" + i).toList();
        List<RecordingChannel> watchers = new ArrayList<>();
        kit.registerChannel(new RecordingChannel("ws-writer"));
        kit.registerChannel(new RecordingChannel("hook-writer"));
        kit.registerChannel(new EchoChannel("echo", roomIds, seed));
        kit.registerChannel(new FakeAiChannel("ai-bot"));
        for (String room : roomIds) {
            RecordingChannel watcher = new RecordingChannel("watch-" + room);
            watchers.add(watcher);
            kit.registerChannel(watcher);
            kit.createRoom(room);
            kit.attachChannel(room, watcher.id());
            kit.attachChannel(room, "echo");
        }
        kit.attachChannel("room-0", "ai-bot");
        kit.addHook(randomWriter(HookTrigger.AFTER_BROADCAST, "after-writer", roomIds, seed + 1, 4));
        kit.addHook(randomWriter(HookTrigger.BEFORE_BROADCAST, "before-writer", roomIds, seed + 2, 10));
        int messages = messagesPerWriter() / 2;

        HangWatchdog.within(HANG, "6 writers with random nested writes (seed " + seed + ")", () -> runWriters(6,
                writer -> {
                    Random random = new Random(seed + 100 + writer);
                    for (int i = 0; i < messages; i++) {
                        kit.processInbound(text("ws-writer", "w" + writer, "m" + i), roomIds.get(random.nextInt(rooms)));
                    }
                }));
        assertThat(kit.awaitIdle(HANG)).as("seed %d", seed).isTrue();

        long stored = 0;
        for (int i = 0; i < rooms; i++) {
            List<RoomEvent> timeline = timeline(roomIds.get(i));
            stored += timeline.size();
            assertGapless(timeline);
            assertThat(watchers.get(i).delivered()).as("room %s, seed %d", roomIds.get(i), seed)
                    .containsExactlyElementsOf(timeline.stream()
                            .filter(event -> event.status() == EventStatus.DELIVERED).toList());
            assertThat(timeline).allSatisfy(event -> assertThat(event.chainDepth())
                    .isLessThanOrEqualTo(RoomKit.DEFAULT_MAX_CHAIN_DEPTH));
        }
        assertThat(stored).as("seed %d", seed).isGreaterThan(6L * messages);
    }

    /**
     * Writers queued on one room's commit lock are stored together (group commit); each must still get its own
     * outcome: a repeated idempotency key the original event, a delete of a message deleted meanwhile a refusal,
     * and every stored event its own index in a gapless timeline, delivered in index order.
     */
    @Test
    void manyWritersOfOneRoomWithRepeatedKeysAndDeletesEachGetTheirOwnOutcome() throws Exception {
        long seed = System.nanoTime();
        int writerCount = 8;
        int messages = messagesPerWriter();
        RecordingChannel watcher = new RecordingChannel("watch");
        kit.registerChannel(watcher);
        kit.createRoom("busy");
        kit.attachChannel("busy", "watch");
        for (int writer = 0; writer < writerCount; writer++) {
            kit.registerChannel(new RecordingChannel("ws-" + writer));
            kit.attachChannel("busy", "ws-" + writer);
        }
        List<List<Sent>> sent = new ArrayList<>();
        IntStream.range(0, writerCount).forEach(writer -> sent.add(new ArrayList<>()));

        HangWatchdog.within(HANG, writerCount + " writers into one room", () -> runWriters(writerCount, writer -> {
            Random random = new Random(seed + writer);
            List<RoomEvent> mine = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                int dice = random.nextInt(10);
                String channel = "ws-" + writer;
                if (dice < 2 && !mine.isEmpty()) {
                    // sometimes a message deleted before, so that some deletes are refused
                    RoomEvent target = mine.get(random.nextInt(mine.size()));
                    sent.get(writer).add(new Sent(null, target.id(),
                            kit.processInbound(delete(channel, "w" + writer, target.id()), "busy")));
                }
                else {
                    String key = dice < 7 ? "key-" + random.nextInt(messages) : null;
                    InboundResult result = kit.processInbound(key == null ? text(channel, "w" + writer, "m" + i)
                            : keyed(channel, "w" + writer, "m" + i, key), "busy");
                    sent.get(writer).add(new Sent(key, null, result));
                    if (result.event() != null && result.event().source().channelId().equals(channel)) {
                        mine.add(result.event());
                    }
                }
            }
        }));
        assertThat(kit.awaitIdle(HANG)).isTrue();

        List<RoomEvent> timeline = timeline("busy");
        assertGapless(timeline);
        List<Sent> all = sent.stream().flatMap(List::stream).toList();
        assertThat(all).as("seed %d", seed).allSatisfy(one -> {
            if (one.result().event() == null) {
                assertThat(one.deleteOf()).isNotNull();
                assertThat(one.result().reason()).isIn(ErrorCodes.ALREADY_DELETED, ErrorCodes.TARGET_DELETED);
            }
            else {
                assertThat(one.result().blocked()).isFalse();
            }
        });
        // every write that stored something names an event of the timeline at its index
        java.util.Map<String, RoomEvent> byId = new java.util.HashMap<>();
        timeline.forEach(event -> byId.put(event.id(), event));
        assertThat(all).filteredOn(one -> one.result().event() != null).allSatisfy(one ->
                assertThat(byId.get(one.result().event().id())).as("seed %d", seed).isNotNull()
                        .extracting(RoomEvent::index).isEqualTo(one.result().event().index()));
        // a key is stored once, and every writer that sent it got that one event
        java.util.Map<String, java.util.Set<String>> idsByKey = new java.util.HashMap<>();
        all.stream().filter(one -> one.key() != null).forEach(one -> idsByKey
                .computeIfAbsent(one.key(), key -> new java.util.HashSet<>()).add(one.result().event().id()));
        assertThat(idsByKey.values()).as("seed %d", seed).allSatisfy(ids -> assertThat(ids).hasSize(1));
        assertThat(timeline).filteredOn(event -> event.idempotencyKey() != null).extracting(RoomEvent::idempotencyKey)
                .doesNotHaveDuplicates().hasSize(idsByKey.size());
        // events that were not repeats are each in the timeline once, with an index of their own
        assertThat(all).filteredOn(one -> one.result().event() != null && one.key() == null)
                .extracting(one -> one.result().event().index()).doesNotHaveDuplicates();
        assertThat(watcher.deliveredIds()).containsExactlyElementsOf(timeline.stream().map(RoomEvent::id).toList());
    }

    /** What a writer sent (a key, or the target of a delete) and what it got. */
    private record Sent(String key, String deleteOf, InboundResult result) {
    }

    @Test
    void aWriteAtTheChainDepthLimitIsStoredBlocked() throws Exception {
        kit.registerChannel(new RecordingChannel("ws-writer"));
        kit.registerChannel(new RecordingChannel("loop"));
        kit.createRoom("a");
        kit.createRoom("b");
        List<InboundResult> loopResults = java.util.Collections.synchronizedList(new ArrayList<>());
        // a naive bridge: it relays its own relays too, so only the chain depth stops it
        kit.addHook(Hook.observer(HookTrigger.AFTER_BROADCAST, "naive-bridge", (event, context) -> loopResults.add(
                kit.processInbound(text("loop", "loop", "again"), event.roomId().equals("a") ? "b" : "a"))));

        HangWatchdog.within(HANG, "a loop between two rooms", () -> kit.processInbound(text("ws-writer", "alice",
                "start"), "a"));
        assertThat(kit.awaitIdle(HANG)).isTrue();

        assertThat(loopResults).hasSize(RoomKit.DEFAULT_MAX_CHAIN_DEPTH);
        assertThat(loopResults).filteredOn(InboundResult::blocked).singleElement().satisfies(result -> {
            assertThat(result.reason()).isEqualTo(ErrorCodes.CHAIN_DEPTH_LIMIT);
            assertThat(result.event().chainDepth()).isEqualTo(RoomKit.DEFAULT_MAX_CHAIN_DEPTH);
        });
        assertThat(loopResults).filteredOn(result -> !result.blocked()).extracting(result -> result.event()
                .chainDepth()).containsExactlyInAnyOrder(1, 2, 3, 4);
    }

    @Test
    void aHookThatBlocksStallsOnlyItselfAndThenSeesEveryEventInOrder() throws Exception {
        RecordingChannel alice = new RecordingChannel("ws-alice");
        kit.registerChannel(alice);
        kit.registerChannel(new RecordingChannel("ws-bob"));
        kit.createRoom("room-1");
        kit.attachChannel("room-1", "ws-alice");
        CountDownLatch release = release();
        List<RoomEvent> slowSaw = java.util.Collections.synchronizedList(new ArrayList<>());
        kit.addHook(Hook.observer(HookTrigger.AFTER_BROADCAST, "slow-listener", (event, context) -> {
            release.await(HANG.toSeconds(), TimeUnit.SECONDS);
            slowSaw.add(event);
        }));

        List<String> sent = HangWatchdog.within(HANG, "messages while a listener blocks", () -> {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ids.add(kit.processInbound(text("ws-bob", "bob", "m" + i), "room-1").event().id());
            }
            return ids;
        });

        assertThat(alice.deliveredIds()).containsExactlyElementsOf(sent);
        assertThat(slowSaw).isEmpty();
        release.countDown();
        assertThat(kit.awaitIdle(HANG)).isTrue();
        assertThat(slowSaw).extracting(RoomEvent::id).containsExactlyElementsOf(sent);
    }

    @Test
    void aChannelThatBlocksStallsNeitherItsRoomNorOtherRooms() throws Exception {
        RecordingChannel alice = new RecordingChannel("ws-alice");
        CountDownLatch release = release();
        BlockingChannel stuck = new BlockingChannel("stuck", release);
        kit.registerChannel(alice);
        kit.registerChannel(stuck);
        kit.registerChannel(new RecordingChannel("ws-bob"));
        for (String room : List.of("room-1", "room-2")) {
            kit.createRoom(room);
            kit.attachChannel(room, "ws-alice");
            kit.attachChannel(room, "stuck");
        }

        List<String> sent = HangWatchdog.within(HANG, "messages while a channel blocks", () -> {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ids.add(kit.processInbound(text("ws-bob", "bob", "m" + i), i % 2 == 0 ? "room-1" : "room-2").event()
                        .id());
            }
            return ids;
        });

        assertThat(alice.deliveredIds()).containsExactlyElementsOf(sent);
        release.countDown();
        assertThat(kit.awaitIdle(HANG)).isTrue();
        assertThat(stuck.deliveredIn("room-1")).containsExactlyElementsOf(timeline("room-1"));
        assertThat(stuck.deliveredIn("room-2")).containsExactlyElementsOf(timeline("room-2"));
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private CountDownLatch release() {
        CountDownLatch latch = new CountDownLatch(1);
        releases.add(latch);
        return latch;
    }

    /** A hook that, one event in {@code oneIn}, writes into a random room. */
    private Hook randomWriter(HookTrigger trigger, String name, List<String> roomIds, long seed, int oneIn) {
        Random random = new Random(seed);
        return Hook.of(trigger, name, 0, (event, context) -> {
            String target;
            synchronized (random) {
                target = random.nextInt(oneIn) == 0 ? roomIds.get(random.nextInt(roomIds.size())) : null;
            }
            if (target != null) {
                kit.processInbound(text("hook-writer", name, "from " + name), target);
            }
            return HookResult.allow();
        });
    }

    private Void runWriters(int count, WriterBody body) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        for (int writer = 0; writer < count; writer++) {
            int id = writer;
            running.add(writers.submit(() -> {
                start.await();
                body.run(id);
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : running) {
            future.get();
        }
        return null;
    }

    @FunctionalInterface
    private interface WriterBody {

        void run(int writer) throws Exception;
    }

    private List<RoomEvent> timeline(String roomId) {
        List<RoomEvent> all = new ArrayList<>();
        long cursor = -1;
        while (true) {
            List<RoomEvent> page = kit.events(roomId, EventQuery.after(cursor, 500));
            if (page.isEmpty()) {
                return all;
            }
            all.addAll(page);
            cursor = page.get(page.size() - 1).index();
        }
    }

    private static void assertGapless(List<RoomEvent> timeline) {
        assertThat(timeline).extracting(RoomEvent::index)
                .containsExactlyElementsOf(LongStream.range(0, timeline.size()).boxed().toList());
    }

    /** A transport channel that, one delivery in ten, writes into a random room from inside the delivery. */
    private final class EchoChannel extends RecordingChannel {

        private final List<String> roomIds;
        private final Random random;

        EchoChannel(String id, List<String> roomIds, long seed) {
            super(id, ChannelType.WEBHOOK);
            this.roomIds = roomIds;
            this.random = new Random(seed);
        }

        @Override
        public void deliver(RoomEvent event, ChannelBinding binding, RoomContext context) {
            super.deliver(event, binding, context);
            String target;
            synchronized (random) {
                target = random.nextInt(10) == 0 ? roomIds.get(random.nextInt(roomIds.size())) : null;
            }
            if (target != null) {
                kit.processInbound(text(id(), "echo", "echo of " + event.id()), target);
            }
        }
    }

    /** A transport channel whose deliveries wait for a latch. */
    private static final class BlockingChannel extends RecordingChannel {

        private final CountDownLatch release;

        BlockingChannel(String id, CountDownLatch release) {
            super(id, ChannelType.WEBHOOK);
            this.release = release;
        }

        @Override
        public void deliver(RoomEvent event, ChannelBinding binding, RoomContext context) {
            try {
                release.await(HANG.toSeconds(), TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            super.deliver(event, binding, context);
        }
    }
}
