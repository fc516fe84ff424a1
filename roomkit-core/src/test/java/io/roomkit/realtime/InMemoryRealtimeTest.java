package io.roomkit.realtime;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKitException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class InMemoryRealtimeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int BASE_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final List<InMemoryRealtime> backends = new ArrayList<>();
    private final CountDownLatch releaseAll = new CountDownLatch(1);
    private final List<ExecutorService> pools = new ArrayList<>();

    @AfterEach
    void tearDown() {
        releaseAll.countDown();
        backends.forEach(InMemoryRealtime::close);
        pools.forEach(ExecutorService::shutdownNow);
    }

    private InMemoryRealtime backend(int maxQueueSize) {
        InMemoryRealtime backend = new InMemoryRealtime(maxQueueSize);
        backends.add(backend);
        return backend;
    }

    private static EphemeralEvent event(String userId) {
        return EphemeralEvent.of("r1", EphemeralEventType.CUSTOM, userId, Map.of());
    }

    private static EphemeralEvent sequenced(int publisher, int seq) {
        return new EphemeralEvent("p" + publisher + "-" + seq, "r1", EphemeralEventType.CUSTOM, "u",
                null, Map.of("publisher", publisher, "seq", seq), null);
    }

    private static List<String> userIds(List<EphemeralEvent> events) {
        return events.stream().map(EphemeralEvent::userId).toList();
    }

    /** Records every event and blocks on {@code release} inside the event whose user id is {@code blockingUser}. */
    private static EphemeralListener blockingOn(String blockingUser, CountDownLatch entered, CountDownLatch release,
            List<EphemeralEvent> received) {
        return event -> {
            received.add(event);
            if (event.userId().equals(blockingUser)) {
                entered.countDown();
                release.await();
            }
        };
    }

    @Test
    void fullQueueDropsOldestWhileListenerIsBusy() throws Exception {
        InMemoryRealtime realtime = backend(2);
        List<EphemeralEvent> received = new CopyOnWriteArrayList<>();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        realtime.subscribe("c", blockingOn("u0", entered, release, received));

        realtime.publish("c", event("u0"));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        realtime.publish("c", event("u1"));
        realtime.publish("c", event("u2"));
        realtime.publish("c", event("u3"));
        assertThat(realtime.droppedCount()).isEqualTo(1);
        release.countDown();

        await().atMost(TIMEOUT).until(() -> received.size() == 3);
        assertThat(userIds(received)).containsExactly("u0", "u2", "u3");
        assertThat(realtime.droppedCount()).isEqualTo(1);
        assertThat(realtime.publishedCount()).isEqualTo(4);
    }

    @Test
    void publishNeverBlocksOnABlockedListener() throws Exception {
        InMemoryRealtime realtime = backend(10);
        List<EphemeralEvent> received = new CopyOnWriteArrayList<>();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        realtime.subscribe("c", blockingOn("blocker", entered, release, received));
        realtime.publish("c", event("blocker"));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 5_000; i++) {
                realtime.publish("c", event("u" + i));
            }
        });

        publishing.get(10, TimeUnit.SECONDS);
        assertThat(realtime.droppedCount()).isEqualTo(5_000 - 10);
        release.countDown();
        await().atMost(TIMEOUT).until(() -> received.size() == 11);
        assertThat(userIds(received)).containsExactlyElementsOf(
                IntStream.concat(IntStream.of(-1), IntStream.range(4_990, 5_000))
                        .mapToObj(i -> i < 0 ? "blocker" : "u" + i).toList());
    }

    @Test
    void deliversTensOfThousandsOfEventsInPublishOrder() {
        int count = 50_000;
        InMemoryRealtime realtime = backend(count);
        List<Integer> received = Collections.synchronizedList(new ArrayList<>());
        realtime.subscribe("c", event -> received.add((Integer) event.data().get("seq")));

        for (int i = 0; i < count; i++) {
            realtime.publish("c", sequenced(0, i));
        }

        await().atMost(TIMEOUT).until(() -> received.size() == count);
        assertThat(received).containsExactlyElementsOf(IntStream.range(0, count).boxed().toList());
        assertThat(realtime.droppedCount()).isZero();
    }

    @Test
    void keepsEachConcurrentPublishersOrder() throws Exception {
        int publishers = 4;
        int perPublisher = 10_000;
        InMemoryRealtime realtime = backend(publishers * perPublisher);
        ConcurrentLinkedQueue<EphemeralEvent> received = new ConcurrentLinkedQueue<>();
        AtomicInteger concurrentCalls = new AtomicInteger();
        AtomicInteger maxConcurrentCalls = new AtomicInteger();
        realtime.subscribe("c", event -> {
            maxConcurrentCalls.accumulateAndGet(concurrentCalls.incrementAndGet(), Math::max);
            received.add(event);
            concurrentCalls.decrementAndGet();
        });
        CountDownLatch start = new CountDownLatch(1);

        List<CompletableFuture<Void>> running = IntStream.range(0, publishers)
                .mapToObj(p -> CompletableFuture.runAsync(() -> {
                    awaitQuietly(start);
                    for (int i = 0; i < perPublisher; i++) {
                        realtime.publish("c", sequenced(p, i));
                    }
                }, runnable -> new Thread(runnable).start()))
                .toList();
        start.countDown();
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        await().atMost(TIMEOUT).until(() -> received.size() == publishers * perPublisher);
        for (int p = 0; p < publishers; p++) {
            int publisher = p;
            List<Object> sequence = received.stream()
                    .filter(e -> e.data().get("publisher").equals(publisher))
                    .map(e -> e.data().get("seq"))
                    .toList();
            assertThat(sequence).as("publisher %d", p)
                    .containsExactlyElementsOf(IntStream.range(0, perPublisher).boxed().toList());
        }
        assertThat(maxConcurrentCalls).hasValue(1);
    }

    @Test
    void listenerThatThrowsKeepsReceiving() {
        InMemoryRealtime realtime = backend(100);
        List<String> received = new CopyOnWriteArrayList<>();
        realtime.subscribe("c", event -> {
            received.add(event.userId());
            if (received.size() % 2 == 1) {
                throw new IllegalStateException("boom on " + event.userId());
            }
        });

        for (int i = 0; i < 10; i++) {
            realtime.publish("c", event("u" + i));
        }

        await().atMost(TIMEOUT).until(() -> received.size() == 10);
        assertThat(received).containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> "u" + i).toList());
        assertThat(realtime.subscriptionCount()).isEqualTo(1);
    }

    @Test
    void listenerThrowingAnErrorKeepsReceiving() {
        InMemoryRealtime realtime = backend(100);
        List<String> received = new CopyOnWriteArrayList<>();
        realtime.subscribe("c", event -> {
            received.add(event.userId());
            if (event.userId().equals("u0")) {
                throw new AssertionError("listener assertion");
            }
        });

        realtime.publish("c", event("u0"));
        realtime.publish("c", event("u1"));

        await().atMost(TIMEOUT).until(() -> received.size() == 2);
        assertThat(received).containsExactly("u0", "u1");
    }

    @Test
    void listenerThrowingInterruptedExceptionDoesNotPoisonItsLaterEvents() throws Exception {
        InMemoryRealtime realtime = backend(100);
        List<String> received = new CopyOnWriteArrayList<>();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        realtime.subscribe("c", event -> {
            switch (event.userId()) {
                case "gate" -> {
                    entered.countDown();
                    release.await();
                }
                case "u0" -> throw new InterruptedException("thrown without an interrupt");
                default -> {
                    Thread.sleep(1);
                    received.add(event.userId());
                }
            }
        });
        realtime.publish("c", event("gate"));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        realtime.publish("c", event("u0"));
        realtime.publish("c", event("u1"));
        realtime.publish("c", event("u2"));

        release.countDown();

        await().atMost(TIMEOUT).until(() -> received.size() == 2);
        assertThat(received).containsExactly("u1", "u2");
    }

    @Test
    void unsubscribeStopsDeliveryAndReportsWhetherItExisted() {
        InMemoryRealtime realtime = backend(100);
        List<String> removed = new CopyOnWriteArrayList<>();
        List<String> kept = new CopyOnWriteArrayList<>();
        String removedId = realtime.subscribe("c", event -> removed.add(event.userId()));
        realtime.subscribe("c", event -> kept.add(event.userId()));

        assertThat(realtime.unsubscribe(removedId)).isTrue();
        assertThat(realtime.unsubscribe(removedId)).isFalse();
        realtime.publish("c", event("after"));

        await().atMost(TIMEOUT).until(() -> kept.size() == 1);
        assertThat(removed).isEmpty();
        assertThat(realtime.subscriptionCount()).isEqualTo(1);
    }

    @Test
    void unsubscribeOfUnknownIdIsFalse() {
        InMemoryRealtime realtime = backend(100);

        assertThat(realtime.unsubscribe("no-such-subscription")).isFalse();
    }

    @Test
    void subscribersOnlyReceiveTheirChannelAndPublishingToAnEmptyChannelIsANoOp() {
        InMemoryRealtime realtime = backend(100);
        List<String> received = new CopyOnWriteArrayList<>();
        realtime.subscribe("other", event -> received.add(event.userId()));

        realtime.publish("nobody-listens", event("lost"));
        realtime.publish("other", event("marker"));

        await().atMost(TIMEOUT).until(() -> received.size() == 1);
        assertThat(received).containsExactly("marker");
        assertThat(realtime.droppedCount()).isZero();
    }

    @Test
    void roomHelpersUseTheRoomChannel() {
        InMemoryRealtime realtime = backend(100);
        List<String> received = new CopyOnWriteArrayList<>();
        realtime.subscribe("room:r1", event -> received.add("plain:" + event.userId()));
        realtime.subscribeToRoom("r1", event -> received.add("room:" + event.userId()));

        realtime.publishToRoom("r1", event("a"));
        realtime.publish(RealtimeBackend.roomChannel("r1"), event("b"));

        await().atMost(TIMEOUT).until(() -> received.size() == 4);
        assertThat(received).containsExactlyInAnyOrder("plain:a", "plain:b", "room:a", "room:b");
        assertThat(RealtimeBackend.roomChannel("r1")).isEqualTo("room:r1");
    }

    @Test
    void publishToRoomReachesARoomThatWasEmptiedAndSubscribedAgainAndPatternsToo() {
        InMemoryRealtime realtime = backend(100);
        List<String> received = new CopyOnWriteArrayList<>();
        String first = realtime.subscribeToRoom("r1", event -> received.add("first:" + event.userId()));
        realtime.unsubscribe(first);
        realtime.subscribe("room:r1", event -> received.add("again:" + event.userId()));
        realtime.subscribeToRoom("r2", event -> received.add("r2:" + event.userId()));

        realtime.publishToRoom("r1", event("a"));
        realtime.publishToRoom("room:r1", event("not-a-room-id"));
        realtime.subscribe("room:r*", event -> received.add("pattern:" + event.userId()));
        realtime.publishToRoom("r1", event("b"));

        await().atMost(TIMEOUT).until(() -> received.size() == 3);
        assertThat(received).containsExactlyInAnyOrder("again:a", "again:b", "pattern:b");
    }

    @Test
    void subscribersOfRoomsThatEmptyAndRefillConcurrentlyGetEveryLaterPublish() throws Exception {
        // 4 threads subscribe to, publish to and leave 3 shared rooms: each subscription must see the marker
        // published after it started, whichever thread emptied or refilled the room in between
        InMemoryRealtime realtime = backend(100);
        int threads = 4;
        int rounds = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        pools.add(pool);
        List<CompletableFuture<Integer>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int worker = t;
            workers.add(CompletableFuture.supplyAsync(() -> {
                java.util.SplittableRandom random = new java.util.SplittableRandom(worker);
                for (int round = 0; round < rounds; round++) {
                    String roomId = "room-" + random.nextInt(3);
                    String marker = worker + "-" + round;
                    CountDownLatch seen = new CountDownLatch(1);
                    EphemeralListener listener = event -> {
                        if (event.userId().equals(marker)) {
                            seen.countDown();
                        }
                    };
                    String id = random.nextBoolean() ? realtime.subscribeToRoom(roomId, listener)
                            : realtime.subscribe(RealtimeBackend.roomChannel(roomId), listener);
                    realtime.publishToRoom(roomId, EphemeralEvent.of(roomId, EphemeralEventType.CUSTOM, marker,
                            Map.of()));
                    if (!awaitQuietly(seen, TIMEOUT)) {
                        // seen once in many runs on a loaded machine: the dump shows where the delivery stood
                        throw new AssertionError("subscription " + id + " to " + roomId + " missed " + marker
                                + " (" + realtime.subscriptionCount() + " subscriptions, "
                                + realtime.listenerThreadCount() + " listener threads)\n"
                                + io.roomkit.testing.HangWatchdog.threadDump());
                    }
                    realtime.unsubscribe(id);
                }
                return rounds;
            }, pool));
        }
        int done = io.roomkit.testing.HangWatchdog.within(Duration.ofMinutes(2), "rooms emptied and refilled", () -> {
            int total = 0;
            for (CompletableFuture<Integer> worker : workers) {
                total += worker.get();
            }
            return total;
        });

        assertThat(done).isEqualTo(threads * rounds);
        assertThat(realtime.subscriptionCount()).isZero();
    }

    @Test
    void lateSubscriberSeesNothingPublishedBefore() {
        InMemoryRealtime realtime = backend(100);
        realtime.publish("c", event("early"));
        List<String> received = new CopyOnWriteArrayList<>();
        realtime.subscribe("c", event -> received.add(event.userId()));

        realtime.publish("c", event("late"));

        await().atMost(TIMEOUT).until(() -> received.size() == 1);
        assertThat(received).containsExactly("late");
    }

    @Test
    void closeStopsAllSubscriptionsAndIgnoresLaterPublishes() {
        InMemoryRealtime realtime = backend(100);
        List<String> received = new CopyOnWriteArrayList<>();
        realtime.subscribe("a", event -> received.add(event.userId()));
        realtime.subscribe("a", event -> received.add(event.userId()));
        realtime.subscribe("b", event -> received.add(event.userId()));

        realtime.close();
        realtime.publish("a", event("after-close"));
        realtime.publish("b", event("after-close"));

        assertThat(realtime.isClosed()).isTrue();
        assertThat(realtime.subscriptionCount()).isZero();
        assertThat(realtime.publishedCount()).isZero();
        await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(received::isEmpty);
    }

    @Test
    void closeDiscardsQueuedEvents() throws Exception {
        InMemoryRealtime realtime = backend(100);
        List<EphemeralEvent> received = new CopyOnWriteArrayList<>();
        CountDownLatch entered = new CountDownLatch(1);
        realtime.subscribe("c", blockingOn("u0", entered, releaseAll, received));
        realtime.publish("c", event("u0"));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        realtime.publish("c", event("u1"));
        realtime.publish("c", event("u2"));

        realtime.close();
        releaseAll.countDown();

        await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> received.size() == 1);
        assertThat(userIds(received)).containsExactly("u0");
    }

    @Test
    void subscribeAfterCloseIsRefused() {
        InMemoryRealtime realtime = backend(100);
        realtime.close();

        assertThatThrownBy(() -> realtime.subscribe("c", event -> { }))
                .isInstanceOfSatisfying(RoomKitException.class,
                        ex -> assertThat(ex.code()).isEqualTo(ErrorCodes.REALTIME_CLOSED));
        assertThat(realtime.subscriptionCount()).isZero();
    }

    @Test
    void closeIsIdempotent() {
        InMemoryRealtime realtime = backend(100);
        realtime.subscribe("c", event -> { });

        realtime.close();
        realtime.close();

        assertThat(realtime.isClosed()).isTrue();
        assertThat(realtime.subscriptionCount()).isZero();
    }

    @Test
    void closeInterruptsARunningListener() throws Exception {
        InMemoryRealtime realtime = backend(100);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        realtime.subscribe("c", event -> {
            entered.countDown();
            try {
                new CountDownLatch(1).await();
            }
            catch (InterruptedException ex) {
                interrupted.countDown();
                throw ex;
            }
        });
        realtime.publish("c", event("u0"));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        realtime.close();

        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void thousandsOfSubscriptionsOnDistinctChannelsShareFewThreads() {
        int threadsBefore = realtimeThreadCount();
        InMemoryRealtime realtime = backend(100);
        int subscriptions = 5_000;
        AtomicInteger received = new AtomicInteger();
        for (int i = 0; i < subscriptions; i++) {
            realtime.subscribe("c" + i, event -> received.incrementAndGet());
        }

        for (int i = 0; i < subscriptions; i++) {
            realtime.publish("c" + i, event("u" + i));
        }

        await().atMost(TIMEOUT).until(() -> received.get() == subscriptions);
        assertThat(realtime.subscriptionCount()).isEqualTo(subscriptions);
        assertFewThreads(realtime, threadsBefore);
    }

    @Test
    void thousandsOfSubscriptionsOnOneChannelShareFewThreads() {
        int threadsBefore = realtimeThreadCount();
        InMemoryRealtime realtime = backend(100);
        int subscriptions = 5_000;
        AtomicInteger received = new AtomicInteger();
        for (int i = 0; i < subscriptions; i++) {
            realtime.subscribe("one", event -> received.incrementAndGet());
        }

        realtime.publish("one", event("everyone"));
        realtime.publish("one", event("everyone-again"));

        await().atMost(TIMEOUT).until(() -> received.get() == 2 * subscriptions);
        assertFewThreads(realtime, threadsBefore);
    }

    @Test
    void stuckListenerDoesNotStallOtherSubscriptions() throws Exception {
        InMemoryRealtime realtime = backend(100);
        CountDownLatch stuck = new CountDownLatch(1);
        realtime.subscribe("stuck", event -> {
            stuck.countDown();
            releaseAll.await();
        });
        List<String> received = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 20; i++) {
            realtime.subscribe("healthy-" + i, event -> received.add(event.userId()));
        }

        realtime.publish("stuck", event("forever"));
        assertThat(stuck.await(10, TimeUnit.SECONDS)).isTrue();
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 20; i++) {
                realtime.publish("healthy-" + i, event("u" + round));
            }
        }

        await().atMost(TIMEOUT).until(() -> received.size() == 100);
    }

    @Test
    void moreStuckListenersThanBaseThreadsMakeTheWatchdogAddThreads() {
        InMemoryRealtime realtime = backend(100);
        int stuckCount = BASE_THREADS + 2;
        CountDownLatch stuck = new CountDownLatch(stuckCount);
        for (int i = 0; i < stuckCount; i++) {
            realtime.subscribe("stuck-" + i, event -> {
                stuck.countDown();
                releaseAll.await();
            });
        }
        List<String> received = new CopyOnWriteArrayList<>();
        realtime.subscribe("healthy", event -> received.add(event.userId()));

        for (int i = 0; i < stuckCount; i++) {
            realtime.publish("stuck-" + i, event("forever"));
        }
        realtime.publish("healthy", event("u0"));
        realtime.publish("healthy", event("u1"));

        await().atMost(TIMEOUT).until(() -> received.size() == 2);
        assertThat(received).containsExactly("u0", "u1");
        await().atMost(TIMEOUT).until(() -> stuck.getCount() == 0);
        assertThat(realtime.listenerThreadCount()).isGreaterThanOrEqualTo(stuckCount);
    }

    @Test
    void rejectsQueueSizeBelowOne() {
        assertThatThrownBy(() -> new InMemoryRealtime(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InMemoryRealtime(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultQueueSizeIsOneHundred() throws Exception {
        InMemoryRealtime realtime = new InMemoryRealtime();
        backends.add(realtime);
        CountDownLatch entered = new CountDownLatch(1);
        List<EphemeralEvent> received = new CopyOnWriteArrayList<>();
        realtime.subscribe("c", blockingOn("blocker", entered, releaseAll, received));
        realtime.publish("c", event("blocker"));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        for (int i = 0; i < 101; i++) {
            realtime.publish("c", event("u" + i));
        }

        assertThat(InMemoryRealtime.DEFAULT_MAX_QUEUE_SIZE).isEqualTo(100);
        assertThat(realtime.droppedCount()).isEqualTo(1);
    }

    private static void assertFewThreads(InMemoryRealtime realtime, int threadsBefore) {
        int allowed = BASE_THREADS + 4;
        assertThat(realtime.listenerThreadCount()).isBetween(1, allowed);
        // no thread of the backend's outside its pool: the workers and the watchdog are all there is
        assertThat(realtimeThreadCount() - threadsBefore).isLessThanOrEqualTo(allowed + 1);
    }

    /**
     * Live threads of in-memory backends (named {@code roomkit-realtime-…}); those of earlier tests' closed backends
     * can only end meanwhile, so growth is this test's backend's alone.
     */
    private static int realtimeThreadCount() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("roomkit-realtime-")).count();
    }

    private static boolean awaitQuietly(CountDownLatch latch, Duration limit) {
        try {
            return latch.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
