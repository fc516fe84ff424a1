package io.roomkit.spring.presence;

import io.roomkit.RoomKit;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import io.roomkit.realtime.InMemoryRealtime;
import io.roomkit.spring.redis.RedisPresenceStore;
import io.roomkit.spring.test.TestServices;
import io.roomkit.testing.HangWatchdog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.Trigger;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Coalesced presence through the tracker API with real threads and real stores: what a client applies (the
 * per-user events of small rooms and the diffs of large ones) converges to who is really online, on one node and
 * on two nodes sharing Redis; and the presence deliveries of a room filling at a steady pace grow linearly with
 * its size once it is above the threshold, where per-user events grow with its square.
 */
class PresenceCoalescingTest {

    private static final int USERS = 40;
    private static final int THREADS = 4;
    private static final int OPERATIONS_PER_THREAD = 400;

    private final RoomKit kit = RoomKit.builder().realtime(new InMemoryRealtime(1_000_000)).build();
    private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    private final List<RedisPresenceStore> redisStores = new ArrayList<>();
    private LettuceConnectionFactory redis;

    PresenceCoalescingTest() {
        scheduler.setPoolSize(2);
        scheduler.initialize();
    }

    @AfterEach
    void close() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        scheduler.shutdown();
        kit.close();
        redisStores.forEach(RedisPresenceStore::shutdown);
        if (redis != null) {
            redis.destroy();
        }
    }

    @Test
    void randomJoinsLeavesAndDisconnectsConvergeOnOneNode() throws Exception {
        for (int round = 0; round < 5; round++) {
            long seed = System.nanoTime();
            converge(seed, List.of(new LocalPresenceStore()));
        }
    }

    @Test
    void randomJoinsLeavesAndDisconnectsConvergeOnTwoNodesSharingRedis() throws Exception {
        TestServices.requireRedis();
        redis = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379));
        redis.afterPropertiesSet();
        redis.start();
        StringRedisTemplate template = new StringRedisTemplate(redis);
        for (int round = 0; round < 3; round++) {
            String prefix = "roomkit-test-" + UUID.randomUUID();
            RedisPresenceStore nodeA = new RedisPresenceStore(template, prefix);
            RedisPresenceStore nodeB = new RedisPresenceStore(template, prefix);
            redisStores.add(nodeA);
            redisStores.add(nodeB);
            converge(System.nanoTime(), List.of(nodeA, nodeB));
        }
    }

    /**
     * Threads change presence at random on the nodes' trackers, each thread for its own users (the sessions of
     * one user are serialised as a browser's tabs are by the user); a watcher that subscribed before the storm
     * applies every presence event and diff, and must end with the store's set of online users.
     */
    private void converge(long seed, List<PresenceStore> stores) throws Exception {
        String room = "room-" + UUID.randomUUID().toString().substring(0, 8);
        PresenceView watcher = new PresenceView();
        kit.subscribeRoom(room, watcher::apply);
        List<PresenceTracker> nodes = new ArrayList<>();
        for (PresenceStore store : stores) {
            // threshold inside the range the room moves through, so that it switches between both forms
            PresenceCoalescer coalescer = new PresenceCoalescer(kit, store, scheduler, 8, Duration.ofMillis(3),
                    Duration.ofMillis(20));
            nodes.add(new PresenceTracker(kit, new TypingTracker(kit, scheduler, Duration.ofSeconds(30)), store,
                    coalescer));
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            Random random = new Random(seed + t);
            tasks.add(threads.submit(() -> {
                start.await();
                storm(random, thread, room, nodes);
                return null;
            }));
        }
        HangWatchdog.within(Duration.ofSeconds(120), "presence storm, seed " + seed, () -> {
            start.countDown();
            for (Future<?> task : tasks) {
                task.get();
            }
            return null;
        });

        await("watcher converges, seed " + seed).atMost(Duration.ofSeconds(30))
                .until(() -> watcher.online().equals(stores.get(0).present(room).keySet()));
        assertThat(watcher.diffs.get()).as("diffs, seed %d", seed).isPositive();
        assertThat(watcher.ownEvents.get()).as("per-user events, seed %d", seed).isPositive();
    }

    private static void storm(Random random, int thread, String room, List<PresenceTracker> nodes) {
        Map<String, Session> sessions = new HashMap<>();
        int counter = 0;
        for (int i = 0; i < OPERATIONS_PER_THREAD; i++) {
            String user = "u" + (thread + THREADS * random.nextInt(USERS / THREADS));
            List<Session> own = sessions.values().stream().filter(s -> s.user.equals(user)).toList();
            int action = own.isEmpty() ? 0 : random.nextInt(4);
            if (action == 0) {
                Session session = new Session("t" + thread + "-s" + counter++, user,
                        nodes.get(random.nextInt(nodes.size())));
                sessions.put(session.id, session);
                session.subscribe(room);
                continue;
            }
            Session session = own.get(random.nextInt(own.size()));
            switch (action) {
                case 1 -> session.subscribe(room);
                case 2 -> session.unsubscribe();
                default -> {
                    session.node.disconnect(session.id);
                    sessions.remove(session.id);
                }
            }
        }
    }

    /** A session with the ids of its subscriptions to the room, on one node. */
    private static final class Session {

        private final String id;
        private final String user;
        private final PresenceTracker node;
        private final List<String> subscriptions = new ArrayList<>();
        private int next;

        Session(String id, String user, PresenceTracker node) {
            this.id = id;
            this.user = user;
            this.node = node;
        }

        void subscribe(String room) {
            String subscription = "sub-" + next++;
            subscriptions.add(subscription);
            node.subscribed(id, subscription, user, room);
        }

        void unsubscribe() {
            if (!subscriptions.isEmpty()) {
                node.unsubscribed(id, subscriptions.remove(0), user);
            }
        }
    }

    @Test
    void presenceDeliveriesGrowLinearlyWithRoomSizeAboveTheThreshold() throws Exception {
        long d100 = deliveries(100, 50);
        long d200 = deliveries(200, 50);
        long d400 = deliveries(400, 50);
        long d800 = deliveries(800, 50);

        // steady arrivals: per-user events cost n²/2, diffs about a constant number per window
        assertThat((double) d400 / d200).isLessThan(2.5);
        assertThat((double) d800 / d400).isLessThan(2.5);
        assertThat(d800).isLessThan(800L * 800 / 20);
        assertThat(d100).isPositive();
    }

    @Test
    void smallRoomsAndAnUnreachableThresholdKeepPerUserEvents() throws Exception {
        long d200 = deliveries(200, Integer.MAX_VALUE);
        long d400 = deliveries(400, Integer.MAX_VALUE);

        assertThat(d200).isEqualTo(200L * 201 / 2);
        assertThat(d400).isEqualTo(400L * 401 / 2);
    }

    /**
     * {@code size} clients join one room, 20 per 250 ms window of a virtual clock, each subscribing before it
     * joins (as a STOMP client subscribes to the topic that makes it present); the number of presence events
     * and diffs received by all of them together, counted after a marker has reached every one.
     */
    private long deliveries(int size, int coalesceAbove) throws Exception {
        String room = "room-" + UUID.randomUUID().toString().substring(0, 8);
        ManualScheduler clock = new ManualScheduler();
        LocalPresenceStore store = new LocalPresenceStore();
        PresenceTracker tracker = new PresenceTracker(kit, new TypingTracker(kit, scheduler, Duration.ofSeconds(30)),
                store, new PresenceCoalescer(kit, store, clock, coalesceAbove, Duration.ofMillis(250),
                        Duration.ofMinutes(10)));
        AtomicLong presenceDeliveries = new AtomicLong();
        AtomicInteger markersSeen = new AtomicInteger();
        PresenceView watcher = new PresenceView();
        kit.subscribeRoom(room, watcher::apply);
        for (int i = 0; i < size; i++) {
            kit.subscribeRoom(room, event -> {
                if (event.userId().equals("marker")) {
                    markersSeen.incrementAndGet();
                }
                else if (PresenceView.isPresence(event)) {
                    presenceDeliveries.incrementAndGet();
                }
            });
            tracker.join("s" + i, "user-" + i, room);
            if (i % 20 == 19) {
                clock.advance(Duration.ofMillis(250));
            }
        }
        clock.advance(Duration.ofMinutes(30));
        clock.advance(Duration.ofMinutes(30)); // the confirmation after the last diff
        kit.publishPresence(room, "marker", "online");
        await().atMost(Duration.ofSeconds(60)).until(() -> markersSeen.get() == size);
        await().atMost(Duration.ofSeconds(10)).until(() -> watcher.online().size() == size + 1);
        return presenceDeliveries.get();
    }

    /** Presence as a client keeps it: per-user events and diffs applied in the order they arrive. */
    static final class PresenceView {

        private final Map<String, String> online = new HashMap<>();
        final AtomicInteger diffs = new AtomicInteger();
        final AtomicInteger ownEvents = new AtomicInteger();

        static boolean isPresence(EphemeralEvent event) {
            return switch (event.type()) {
                case PRESENCE_ONLINE, PRESENCE_AWAY, PRESENCE_OFFLINE -> true;
                case CUSTOM -> PresenceCoalescer.KIND.equals(event.data().get("kind"))
                        || event.data().containsKey("status");
                default -> false;
            };
        }

        synchronized void apply(EphemeralEvent event) {
            if (event.type() == EphemeralEventType.CUSTOM && PresenceCoalescer.KIND.equals(event.data().get("kind"))) {
                diffs.incrementAndGet();
                for (Object entry : (List<?>) event.data().get("online")) {
                    Map<?, ?> user = (Map<?, ?>) entry;
                    online.put((String) user.get("user_id"), (String) user.get("status"));
                }
                for (Object userId : (List<?>) event.data().get("offline")) {
                    online.remove((String) userId);
                }
                return;
            }
            switch (event.type()) {
                case PRESENCE_ONLINE -> online.put(event.userId(), "online");
                case PRESENCE_AWAY -> online.put(event.userId(), "away");
                case PRESENCE_OFFLINE -> online.remove(event.userId());
                default -> {
                    return;
                }
            }
            ownEvents.incrementAndGet();
        }

        synchronized java.util.Set<String> online() {
            return java.util.Set.copyOf(online.keySet());
        }
    }

    /** A scheduler on a virtual clock: tasks run on the caller of {@link #advance}, when their time has come. */
    static final class ManualScheduler implements TaskScheduler {

        private record Task(Instant at, long order, Runnable runnable) {
        }

        private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.at.equals(b.at)
                ? Long.compare(a.order, b.order) : a.at.compareTo(b.at));
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");
        private long order;

        @Override
        public synchronized Clock getClock() {
            return Clock.fixed(now, ZoneOffset.UTC);
        }

        /** Runs every task due up to {@code now + by}, each at its own time, tasks scheduled meanwhile included. */
        void advance(Duration by) {
            Instant until;
            synchronized (this) {
                until = now.plus(by);
            }
            while (true) {
                Task next;
                synchronized (this) {
                    next = tasks.peek();
                    if (next == null || next.at.isAfter(until)) {
                        now = until;
                        return;
                    }
                    tasks.poll();
                    now = next.at;
                }
                next.runnable.run();
            }
        }

        @Override
        public synchronized ScheduledFuture<?> schedule(Runnable task, Instant startTime) {
            tasks.add(new Task(startTime, order++, task));
            return null;
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable task, Trigger trigger) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Instant startTime, Duration period) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Instant startTime, Duration delay) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration delay) {
            throw new UnsupportedOperationException();
        }
    }
}
