package io.roomkit.spring.stomp;

import io.roomkit.ErrorCodes;
import io.roomkit.model.EventType;
import io.roomkit.model.RoomEvent;
import io.roomkit.spring.boot.RoomKitProperties;
import io.roomkit.spring.presence.PresenceTracker;
import io.roomkit.spring.stomp.app.StompTestApplication;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.simp.stomp.StompSession;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static io.roomkit.spring.stomp.Frames.body;
import static io.roomkit.spring.stomp.Frames.mark;
import static io.roomkit.spring.stomp.Frames.takeMatching;
import static io.roomkit.spring.stomp.Frames.takeUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each rate limit against a real server and real STOMP clients: the frame over the limit gets {@code rate_limited}
 * with {@code retry_after_ms}, stores nothing, the connection stays open and other users carry on. The limiter
 * runs on a clock that only the test moves, so a limit never refills behind the test's back, and moving the
 * clock by the advertised {@code retry_after_ms} shows that the wait is right.
 */
@SpringBootTest(classes = { StompTestApplication.class, RateLimitTest.FrozenLimits.class },
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "roomkit.websocket.trust-client-login=true", "roomkit.websocket.open-rooms=true",
                "roomkit.typing.timeout=30s",
                "roomkit.websocket.limits.messages-per-second=2", "roomkit.websocket.limits.messages-burst=20",
                "roomkit.websocket.limits.ephemeral-per-second=2", "roomkit.websocket.limits.ephemeral-burst=10",
                "roomkit.websocket.limits.history-per-second=1", "roomkit.websocket.limits.history-burst=10",
                "roomkit.websocket.limits.subscriptions-per-session=6",
                "roomkit.websocket.limits.rooms-per-minute=2" })
class RateLimitTest extends OpenRoomsStompTestSupport {

    private static final int FLOOD = 10_000;
    private static final int MESSAGES_BURST = 20;
    /** How long the flood test waits for anything before it fails: generous, as it asserts no speed. */
    private static final Duration FLOOD_WAIT = Duration.ofMinutes(2);

    @Autowired
    TestClock clock;

    @Autowired
    MeterRegistry meters;

    @Autowired
    PresenceTracker presence;

    /** The limiter on a clock the test moves, and a room-creation policy that refuses "forbidden-" rooms. */
    @TestConfiguration(proxyBeanMethods = false)
    static class FrozenLimits {

        @Bean
        TestClock testClock() {
            return new TestClock();
        }

        @Bean
        StompRateLimiter frozenRateLimiter(RoomKitProperties properties, TestClock clock) {
            return new StompRateLimiter(properties.websocket().limits(), clock::nanos);
        }

        @Bean
        RoomCreationPolicy noForbiddenRooms() {
            return (user, roomId) -> !roomId.startsWith("forbidden-");
        }
    }

    /** Nanoseconds that pass only when the test says so. */
    static final class TestClock {

        private final AtomicLong nanos = new AtomicLong();

        long nanos() {
            return nanos.get();
        }

        void advance(Duration duration) {
            nanos.addAndGet(duration.toNanos());
        }
    }

    @Test
    void messagesEditsAndDeletesOverTheBurstAreRefusedUntilTheAdvertisedWaitHasPassed() throws Exception {
        StompTestClient alice = connect(user("alice"));
        StompTestClient bob = connect(user("bob"));
        BlockingQueue<Map<String, Object>> aliceEvents = alice.subscribe(events());
        BlockingQueue<Map<String, Object>> bobEvents = bob.subscribe(events());
        sync(alice);
        sync(bob);
        double refusedBefore = refused("messages");

        for (int i = 0; i < MESSAGES_BURST; i++) {
            alice.send(app("messages"), Map.of("content", "m" + i));
        }
        Map<String, Object> last = awaitText(bobEvents, "m" + (MESSAGES_BURST - 1));
        alice.send(app("messages"), Map.of("content", "one too many"));
        assertRateLimited(alice.nextError(), app("messages"), 500L);
        alice.send(app("edit"), Map.of("target_event_id", last.get("id"), "new_content", "edited"));
        assertRateLimited(alice.nextError(), app("edit"), 500L);
        alice.send(app("delete"), Map.of("target_event_id", last.get("id")));
        assertRateLimited(alice.nextError(), app("delete"), 500L);

        post(bob, aliceEvents, "bob is not limited");
        assertThat(written()).hasSize(MESSAGES_BURST + 1).extracting(event -> event.content().plainText())
                .doesNotContain("one too many", "edited");
        assertThat(written()).allMatch(event -> event.type() == EventType.MESSAGE && !event.metadata()
                .containsKey("deleted"));
        assertThat(alice.isConnected()).isTrue();
        assertThat(bob.errorQueue()).isEmpty();

        clock.advance(Duration.ofMillis(499));
        alice.send(app("messages"), Map.of("content", "a millisecond early"));
        assertRateLimited(alice.nextError(), app("messages"), 1L);
        clock.advance(Duration.ofMillis(1));
        post(alice, bobEvents, "after the wait");
        assertThat(alice.errorQueue()).isEmpty();
        assertThat(refused("messages") - refusedBefore).isEqualTo(4);
    }

    @Test
    void ephemeralFramesOverTheBurstAreRefusedAndPublishAndMoveNothing() throws Exception {
        StompTestClient alice = connect(user("alice"));
        StompTestClient bob = connect(user("bob"));
        BlockingQueue<Map<String, Object>> bobEvents = bob.subscribe(events());
        BlockingQueue<Map<String, Object>> bobEphemeral = bob.subscribe(ephemeral());
        sync(bob);
        BlockingQueue<Map<String, Object>> aliceEvents = alice.subscribe(events());
        BlockingQueue<Map<String, Object>> aliceEphemeral = alice.subscribe(ephemeral());
        sync(alice);
        Map<String, Object> unread = post(bob, aliceEvents, "read me");
        String readChannel = RoomKitStompController.channelId(user("alice"));
        double refusedBefore = refused("ephemeral");

        for (int i = 0; i < 10; i++) {
            alice.send(app("presence"), Map.of("status", "busy-" + i));
        }
        takeMatching(bobEphemeral, status(user("alice")), 10);
        alice.send(app("presence"), Map.of("status", "busy-10"));
        assertRateLimited(alice.nextError(), app("presence"), 500L);
        alice.send(app("typing"), Map.of("typing", true));
        assertRateLimited(alice.nextError(), app("typing"), 500L);
        alice.send(app("reactions"), Map.of("target_event_id", unread.get("id"), "emoji", "thumbsup"));
        assertRateLimited(alice.nextError(), app("reactions"), 500L);
        alice.send(app("read"), Map.of("event_id", unread.get("id")));
        assertRateLimited(alice.nextError(), app("read"), 500L);

        assertThat(takeUntil(bobEphemeral, mark(kit, room))).as("nothing of alice's was published")
                .noneMatch(frame -> user("alice").equals(frame.get("user_id")));
        assertThat(presence.snapshot(room)).contains(Map.of("user_id", user("alice"), "status", "busy-9"));
        assertThat(kit.unreadCount(room, readChannel)).as("the read marker did not move").isEqualTo(1);
        post(alice, bobEvents, "alice's messages are not limited");
        bob.send(app("typing"), Map.of("typing", true));
        StompTestClient.await(aliceEphemeral, Frames.is("typing_start", user("bob")));
        assertThat(alice.isConnected()).isTrue();

        clock.advance(Duration.ofMillis(500));
        alice.send(app("presence"), Map.of("status", "back"));
        StompTestClient.await(bobEphemeral, frame -> status(user("alice")).test(frame)
                && "back".equals(((Map<?, ?>) frame.get("data")).get("status")));
        assertThat(refused("ephemeral") - refusedBefore).isEqualTo(4);
    }

    @Test
    void historyRequestsOverTheBurstGetNoReply() throws Exception {
        StompTestClient alice = connect(user("alice"));
        StompTestClient bob = connect(user("bob"));
        BlockingQueue<Map<String, Object>> bobEvents = bob.subscribe(events());
        for (int i = 0; i < 10; i++) {
            sync(alice);
        }
        double refusedBefore = refused("history");

        BlockingQueue<Map<String, Object>> refusedReply = alice.subscribe(app("history"));

        assertRateLimited(alice.nextError(), app("history"), 1_000L);
        sync(bob);
        post(alice, bobEvents, "alice is still connected");
        assertThat(refusedReply).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        sync(alice);
        assertThat(refused("history") - refusedBefore).isEqualTo(1);
    }

    @Test
    void aSessionHoldsAtMostItsSubscriptionsWhileTheUsersOtherSessionsAndHistoryRequestsAreNotCounted()
            throws Exception {
        List<String> rooms = IntStream.rangeClosed(1, 4).mapToObj(i -> room + "-" + i).toList();
        rooms.forEach(kit::createRoom);
        StompTestClient alice = connect(user("alice"));   // holds /user/queue/errors
        StompSession.Subscription first = alice.subscribe(topic(rooms.get(0), "ephemeral"),
                new LinkedBlockingQueue<>());
        alice.subscribe(topic(rooms.get(0), "events"));
        alice.subscribe(topic(rooms.get(1), "events"));
        alice.subscribe(topic(rooms.get(1), "ephemeral"));
        alice.subscribe(topic(rooms.get(2), "events"));
        double refusedBefore = refused("subscriptions");

        BlockingQueue<Map<String, Object>> seventh = alice.subscribe(topic(rooms.get(2), "ephemeral"));
        assertRateLimited(alice.nextError(), topic(rooms.get(2), "ephemeral"), null);
        alice.subscribe(topic(rooms.get(3), "events"));
        assertRateLimited(alice.nextError(), topic(rooms.get(3), "events"), null);

        assertThat(kit.getParticipant(rooms.get(3), user("alice"))).as("the refused SUBSCRIBE joined nothing")
                .isEmpty();
        sync(alice, rooms.get(0));
        StompTestClient otherTab = connect(user("alice"));
        BlockingQueue<Map<String, Object>> otherTabEphemeral = otherTab.subscribe(topic(rooms.get(2), "ephemeral"));
        sync(otherTab, rooms.get(2));
        takeUntil(otherTabEphemeral, mark(kit, rooms.get(2)));
        assertThat(seventh).as("the refused subscription receives nothing").isEmpty();

        first.unsubscribe();
        BlockingQueue<Map<String, Object>> again = alice.subscribe(topic(rooms.get(2), "ephemeral"));
        sync(alice, rooms.get(2));
        takeUntil(again, mark(kit, rooms.get(2)));
        assertThat(alice.isConnected()).isTrue();
        assertThat(alice.errorQueue()).isEmpty();
        assertThat(refused("subscriptions") - refusedBefore).isEqualTo(2);
    }

    @Test
    void aUserCreatesAtMostTheirRoomsPerMinuteAfterTheCreationPolicyAdmittedThem() throws Exception {
        kit.createRoom(room);
        StompTestClient alice = connect(user("alice"));
        StompTestClient bob = connect(user("bob"));
        BlockingQueue<Map<String, Object>> bobEvents = bob.subscribe(events());
        sync(bob);
        String forbidden = "forbidden-" + room;
        double refusedBefore = refused("rooms");

        alice.subscribe("/app/rooms." + forbidden + ".history");
        assertThat(alice.nextError()).containsEntry("code", ErrorCodes.NOT_AUTHORIZED);
        sync(alice, room + "-new1");
        sync(alice, room + "-new2");
        alice.subscribe("/app/rooms." + room + "-new3.history");
        assertRateLimited(alice.nextError(), "/app/rooms." + room + "-new3.history", 30_000L);
        alice.send("/app/rooms." + room + "-new4.messages", Map.of("content", "into a new room"));
        assertRateLimited(alice.nextError(), "/app/rooms." + room + "-new4.messages", 30_000L);

        assertThat(List.of(forbidden, room + "-new3", room + "-new4")).allSatisfy(roomId -> {
            assertThat(kit.getRoom(roomId)).isEmpty();
            assertThat(kit.getParticipant(roomId, user("alice"))).isEmpty();
        });
        sync(alice, room);
        post(alice, bobEvents, "joining an existing room is not creating one");
        sync(bob, room + "-new3");
        assertThat(kit.getRoom(room + "-new3")).as("bob's own allowance").isPresent();
        assertThat(alice.isConnected()).isTrue();

        clock.advance(Duration.ofSeconds(30));
        sync(alice, room + "-new5");
        assertThat(kit.getRoom(room + "-new5")).isPresent();
        assertThat(refused("rooms") - refusedBefore).isEqualTo(2);
    }

    /**
     * Mallory sends 10,000 messages as fast as her client can while Alice and Bob talk: hers beyond the burst
     * are refused one by one, her connection stays open, and everything Alice and Bob send arrives, in order.
     */
    @Test
    void aFloodFromOneClientLeavesTheOthersTalking() throws Exception {
        StompTestClient alice = connect(user("alice"));
        StompTestClient bob = connect(user("bob"));
        StompTestClient mallory = connect(user("mallory"));
        BlockingQueue<Map<String, Object>> aliceEvents = alice.subscribe(events());
        BlockingQueue<Map<String, Object>> bobEvents = bob.subscribe(events());
        sync(alice);
        sync(bob);
        sync(mallory);

        ExecutorService flooder = Executors.newSingleThreadExecutor();
        try {
            Future<?> flood = flooder.submit(() -> {
                for (int i = 0; i < FLOOD; i++) {
                    mallory.send(app("messages"), Map.of("content", "flood " + i));
                }
            });
            List<Map<String, Object>> malloryErrors = new ArrayList<>();
            malloryErrors.add(mallory.nextError());   // the flood is past her burst
            for (int i = 0; i < MESSAGES_BURST; i++) {
                alice.send(app("messages"), Map.of("content", "a" + i));
                bob.send(app("messages"), Map.of("content", "b" + i));
            }

            assertConversation(untilBoth(bobEvents));
            assertConversation(untilBoth(aliceEvents));
            flood.get(FLOOD_WAIT.toSeconds(), TimeUnit.SECONDS);
            // answered once the server has handled every frame of the flood (a session's frames are handled in order)
            StompTestClient.await(mallory.subscribe(app("history")), reply -> true, FLOOD_WAIT);
            await().atMost(FLOOD_WAIT).until(() -> {
                mallory.errorQueue().drainTo(malloryErrors);
                return malloryErrors.size() >= FLOOD - MESSAGES_BURST;
            });
            assertThat(malloryErrors).hasSize(FLOOD - MESSAGES_BURST).allSatisfy(error -> assertThat(error)
                    .containsEntry("code", ErrorCodes.RATE_LIMITED).containsKey("retry_after_ms"));
        }
        finally {
            flooder.shutdownNow();
        }
        assertThat(written()).extracting(event -> event.content().plainText())
                .filteredOn(text -> text.startsWith("flood ")).hasSize(MESSAGES_BURST);
        assertThat(written()).hasSize(3 * MESSAGES_BURST);
        assertThat(mallory.isConnected()).isTrue();
        assertThat(alice.errorQueue()).isEmpty();
        assertThat(bob.errorQueue()).isEmpty();
    }

    /** Events up to the last messages of both Alice ("a19") and Bob ("b19"), whichever comes last. */
    private static List<Map<String, Object>> untilBoth(BlockingQueue<Map<String, Object>> events)
            throws InterruptedException {
        Set<String> pending = new HashSet<>(Set.of("a" + (MESSAGES_BURST - 1), "b" + (MESSAGES_BURST - 1)));
        List<Map<String, Object>> taken = new ArrayList<>();
        long deadline = System.nanoTime() + FLOOD_WAIT.toNanos();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            Map<String, Object> next = events.poll(100, TimeUnit.MILLISECONDS);
            if (next != null) {
                taken.add(next);
                pending.remove(body(next));
            }
        }
        assertThat(pending).as("last messages not received; got " + taken.size() + " events").isEmpty();
        return taken;
    }

    /** Each of Alice's and Bob's messages once and in the order sent, and the room's indices increasing. */
    private static void assertConversation(List<Map<String, Object>> events) {
        for (String sender : List.of("a", "b")) {
            assertThat(events).extracting(Frames::body)
                    .filteredOn(text -> text != null && text.matches(sender + "\\d+"))
                    .containsExactlyElementsOf(IntStream.range(0, MESSAGES_BURST).mapToObj(i -> sender + i).toList());
        }
        List<Long> indices = events.stream().map(event -> ((Number) event.get("index")).longValue()).toList();
        assertThat(indices).isSorted().doesNotHaveDuplicates();
    }

    private static void assertRateLimited(Map<String, Object> error, String destination, Long retryAfterMillis) {
        assertThat(error).containsOnlyKeys("code", "message", "destination", "retry_after_ms")
                .containsEntry("code", ErrorCodes.RATE_LIMITED).containsEntry("destination", destination);
        assertThat((String) error.get("message")).isNotBlank();
        Object retry = error.get("retry_after_ms");
        assertThat(retry == null ? null : ((Number) retry).longValue()).isEqualTo(retryAfterMillis);
    }

    /** A custom presence status published for {@code userId}. */
    private static Predicate<Map<String, Object>> status(String userId) {
        return frame -> "custom".equals(frame.get("type")) && userId.equals(frame.get("user_id"))
                && frame.get("data") instanceof Map<?, ?> data && data.containsKey("status");
    }

    /** The room's stored messages, edits and deletes (not system events). */
    private List<RoomEvent> written() {
        return stored().stream().filter(event -> event.type() == EventType.MESSAGE || event.type() == EventType.EDIT
                || event.type() == EventType.DELETE).toList();
    }

    private double refused(String limit) {
        return meters.get("roomkit.websocket.limited").tag("limit", limit).functionCounter().count();
    }

    private static String topic(String roomId, String kind) {
        return "/topic/rooms." + roomId + "." + kind;
    }
}
