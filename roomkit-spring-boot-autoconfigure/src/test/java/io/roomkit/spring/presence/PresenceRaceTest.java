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
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Subscribes and disconnects of the same sessions racing on real threads, as Spring hands them over from
 * different inbound threads: nobody may stay online (a ghost), no session may stay tracked, and every user's
 * last presence event must be {@code presence_offline}.
 */
class PresenceRaceTest {

    private static final int SESSIONS = 3_000;
    private static final String ROOM = "room-1";

    /** A queue that holds every event of the storm, so that the listener sees all of them. */
    private final RoomKit kit = RoomKit.builder().realtime(new InMemoryRealtime(4 * SESSIONS)).build();
    private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    private final List<EphemeralEvent> seen = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private LettuceConnectionFactory redis;

    PresenceRaceTest() {
        scheduler.initialize();
    }

    @AfterEach
    void close() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        scheduler.shutdown();
        kit.close();
        if (redis != null) {
            redis.destroy();
        }
    }

    @Test
    void concurrentSubscribeAndDisconnectLeaveNoGhostsWithTheLocalStore() throws Exception {
        race(new LocalPresenceStore());
    }

    @Test
    void concurrentSubscribeAndDisconnectLeaveNoGhostsWithTheRedisStore() throws Exception {
        TestServices.requireRedis();
        redis = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379));
        redis.afterPropertiesSet();
        redis.start();
        StringRedisTemplate template = new StringRedisTemplate(redis);
        RedisPresenceStore store = new RedisPresenceStore(template, "roomkit-test-" + UUID.randomUUID());
        try {
            race(store);
        }
        finally {
            store.shutdown();
        }
    }

    private void race(PresenceStore store) throws Exception {
        kit.subscribeRoom(ROOM, seen::add);
        PresenceTracker presence = new PresenceTracker(kit, new TypingTracker(kit, scheduler, Duration.ofSeconds(10)),
                store);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> tasks = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            String session = "s" + i;
            String user = "u" + i;
            tasks.add(threads.submit(() -> {
                start.await();
                presence.subscribed(session, "sub-" + session, user, ROOM);
                return null;
            }));
            tasks.add(threads.submit(() -> {
                start.await();
                presence.disconnect(session);
                return null;
            }));
        }

        HangWatchdog.within(Duration.ofSeconds(120), "subscribe/disconnect storm", () -> {
            start.countDown();
            for (Future<?> task : tasks) {
                task.get();
            }
            return null;
        });

        assertThat(presence.snapshot(ROOM)).isEmpty();
        assertThat(store.present(ROOM)).isEmpty();
        assertThat(presence.trackedSessions()).isZero();
        kit.publishPresence(ROOM, "marker", "online");
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream().anyMatch(e -> e.userId().equals("marker")));
        Map<String, List<EphemeralEventType>> byUser = seen.stream().filter(e -> !e.userId().equals("marker"))
                .collect(Collectors.groupingBy(EphemeralEvent::userId,
                        Collectors.mapping(EphemeralEvent::type, Collectors.toList())));
        assertThat(byUser.values()).allSatisfy(types -> assertThat(types)
                .containsExactly(EphemeralEventType.PRESENCE_ONLINE, EphemeralEventType.PRESENCE_OFFLINE));
    }
}
