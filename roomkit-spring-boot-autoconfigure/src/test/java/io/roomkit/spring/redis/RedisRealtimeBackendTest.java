package io.roomkit.spring.redis;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKitException;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import io.roomkit.spring.test.TestServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.lettuce.core.RedisClient;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import java.nio.charset.StandardCharsets;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The realtime contract on a real Redis, between two backends as two processes would use it. */
class RedisRealtimeBackendTest {

    private final String prefix = "roomkit-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<RedisRealtimeBackend> backends = new ArrayList<>();
    private LettuceConnectionFactory connections;

    @BeforeEach
    void connect() {
        TestServices.requireRedis();
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379));
        connections.afterPropertiesSet();
        connections.start();
    }

    @AfterEach
    void close() {
        backends.forEach(RedisRealtimeBackend::close);
        if (connections != null) {
            connections.destroy();
        }
    }

    private RedisRealtimeBackend backend(int maxQueueSize) {
        RedisRealtimeBackend backend = new RedisRealtimeBackend(connections, prefix, maxQueueSize);
        backends.add(backend);
        return backend;
    }

    private static EphemeralEvent typing(String user) {
        return EphemeralEvent.of("r1", EphemeralEventType.TYPING_START, user, Map.of());
    }

    @Test
    void eventsCrossBetweenBackendsInPublishOrderAsTheReferenceJson() throws Exception {
        RedisRealtimeBackend nodeA = backend(1000);
        RedisRealtimeBackend nodeB = backend(1000);
        BlockingQueue<EphemeralEvent> onB = new LinkedBlockingQueue<>();
        nodeB.subscribeToRoom("r1", onB::add);
        nodeA.subscribeToRoom("r1", event -> { });

        List<EphemeralEvent> sent = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            EphemeralEvent event = typing("u" + i);
            sent.add(event);
            nodeA.publishToRoom("r1", event);
        }

        List<EphemeralEvent> received = new ArrayList<>();
        while (received.size() < sent.size()) {
            EphemeralEvent next = onB.poll(10, TimeUnit.SECONDS);
            assertThat(next).as("event %d", received.size()).isNotNull();
            received.add(next);
        }
        assertThat(received).isEqualTo(sent);
    }

    @Test
    void eventsWrittenByAnotherProcessInTheReferenceJsonAreDelivered() throws Exception {
        RedisRealtimeBackend backend = backend(100);
        BlockingQueue<EphemeralEvent> received = new LinkedBlockingQueue<>();
        backend.subscribeToRoom("r1", received::add);
        StringRedisTemplate python = new StringRedisTemplate(connections);

        python.convertAndSend(prefix + ":room:r1", "{\"id\": \"0123456789abcdef0123456789abcdef\", \"room_id\": "
                + "\"r1\", \"type\": \"presence_online\", \"user_id\": \"py\", \"channel_id\": null, \"data\": {}, "
                + "\"timestamp\": \"2026-01-02T03:04:05.123456+00:00\"}");
        python.convertAndSend(prefix + ":room:r1", "not json at all");
        python.convertAndSend(prefix + ":room:r1", "{\"room_id\": \"r1\", \"type\": \"nope\", \"user_id\": \"x\"}");
        backend.publishToRoom("r1", typing("after"));

        EphemeralEvent fromPython = received.poll(10, TimeUnit.SECONDS);
        assertThat(fromPython.type()).isEqualTo(EphemeralEventType.PRESENCE_ONLINE);
        assertThat(fromPython.userId()).isEqualTo("py");
        assertThat(fromPython.timestamp().toString()).isEqualTo("2026-01-02T03:04:05.123456Z");
        assertThat(received.poll(10, TimeUnit.SECONDS).userId()).as("malformed messages are dropped, later ones "
                + "still arrive").isEqualTo("after");
    }

    @Test
    void aPythonEventWithANaiveTimestampAndNonNumericFloatsIsDelivered() throws Exception {
        RedisRealtimeBackend backend = backend(100);
        BlockingQueue<EphemeralEvent> received = new LinkedBlockingQueue<>();
        backend.subscribeToRoom("r1", received::add);
        StringRedisTemplate python = new StringRedisTemplate(connections);

        // What json.dumps(event.to_dict()) writes for a naive datetime and float('nan'), float('inf'), -inf.
        python.convertAndSend(prefix + ":room:r1", "{\"id\": \"0123456789abcdef0123456789abcdef\", \"room_id\": "
                + "\"r1\", \"type\": \"custom\", \"user_id\": \"py\", \"channel_id\": null, \"data\": "
                + "{\"score\": NaN, \"high\": Infinity, \"low\": -Infinity, \"nested\": [NaN]}, "
                + "\"timestamp\": \"2026-01-02T03:04:05.123456\"}");

        EphemeralEvent fromPython = received.poll(10, TimeUnit.SECONDS);
        assertThat(fromPython).as("the event is delivered, not dropped").isNotNull();
        assertThat(fromPython.timestamp()).as("a naive timestamp is UTC")
                .isEqualTo(java.time.Instant.parse("2026-01-02T03:04:05.123456Z"));
        assertThat(fromPython.data().get("score")).isEqualTo(Double.NaN);
        assertThat(fromPython.data().get("high")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(fromPython.data().get("low")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(fromPython.data().get("nested")).isEqualTo(List.of(Double.NaN));
    }

    @Test
    void nonNumericFloatsAreWrittenAsPythonReadsThemBackAsNumbers() throws Exception {
        RedisRealtimeBackend backend = backend(100);
        BlockingQueue<String> wire = new LinkedBlockingQueue<>();
        RedisMessageListenerContainer spy = new RedisMessageListenerContainer();
        spy.setConnectionFactory(connections);
        CountDownLatch subscribed = new CountDownLatch(1);
        spy.addMessageListener(new SpyListener(wire, subscribed), new ChannelTopic(prefix + ":room:r1"));
        spy.afterPropertiesSet();
        spy.start();
        try {
            assertThat(subscribed.await(10, TimeUnit.SECONDS)).isTrue();
            Map<String, Object> data = new java.util.LinkedHashMap<>();
            data.put("score", Double.NaN);
            data.put("high", Double.POSITIVE_INFINITY);
            data.put("low", Double.NEGATIVE_INFINITY);
            backend.publishToRoom("r1", EphemeralEvent.of("r1", EphemeralEventType.CUSTOM, "alice", data));

            String json = wire.poll(10, TimeUnit.SECONDS);
            assertThat(json).as("bare tokens, which Python's json.loads reads as floats, not strings")
                    .contains("\"data\":{\"score\":NaN,\"high\":Infinity,\"low\":-Infinity}");
        }
        finally {
            spy.stop();
            spy.destroy();
        }
    }

    @Test
    void theWireFormIsTheReferenceToDict() throws Exception {
        RedisRealtimeBackend backend = backend(100);
        BlockingQueue<String> wire = new LinkedBlockingQueue<>();
        RedisMessageListenerContainer spy = new RedisMessageListenerContainer();
        spy.setConnectionFactory(connections);
        CountDownLatch subscribed = new CountDownLatch(1);
        spy.addMessageListener(new SpyListener(wire, subscribed),
                new ChannelTopic(prefix + ":room:r1"));
        spy.afterPropertiesSet();
        spy.start();
        try {
            assertThat(subscribed.await(10, TimeUnit.SECONDS)).isTrue();
            backend.publishToRoom("r1", EphemeralEvent.of("r1", EphemeralEventType.READ_RECEIPT, "alice",
                    Map.of("event_id", "e1")));
            String json = wire.poll(10, TimeUnit.SECONDS);
            assertThat(json).startsWith("{\"id\":\"").contains("\"room_id\":\"r1\"", "\"type\":\"read_receipt\"",
                    "\"user_id\":\"alice\"", "\"channel_id\":null", "\"data\":{\"event_id\":\"e1\"}",
                    "\"timestamp\":\"").containsPattern("\\+00:00\"}$");
        }
        finally {
            spy.stop();
            spy.destroy();
        }
    }

    @Test
    void aFullQueueDropsTheOldestAndAThrowingListenerKeepsReceiving() throws Exception {
        RedisRealtimeBackend backend = backend(2);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        List<String> received = new CopyOnWriteArrayList<>();
        backend.subscribeToRoom("r1", event -> {
            received.add(event.userId());
            if (event.userId().equals("u0")) {
                busy.countDown();
                release.await(10, TimeUnit.SECONDS);
                throw new IllegalStateException("listener bug");
            }
        });

        backend.publishToRoom("r1", typing("u0"));
        assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
        for (String user : List.of("u1", "u2", "u3")) {
            backend.publishToRoom("r1", typing(user));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> backend.droppedCount() == 1);
        release.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
        assertThat(received).containsExactly("u0", "u2", "u3");
    }

    @Test
    void patternsSubscribeToRoomsThatAppearLater() throws Exception {
        RedisRealtimeBackend backend = backend(100);
        BlockingQueue<EphemeralEvent> received = new LinkedBlockingQueue<>();
        backend.subscribeToRoom("support-*", received::add);

        backend.publishToRoom("sales-1", typing("nobody"));
        backend.publishToRoom("support-9", typing("somebody"));

        assertThat(received.poll(10, TimeUnit.SECONDS).userId()).isEqualTo("somebody");
    }

    @Test
    void oneRedisSubscriptionPerChannelReleasedWithTheLastLocalSubscriber() {
        RedisRealtimeBackend backend = backend(100);
        String first = backend.subscribeToRoom("r1", event -> { });
        String second = backend.subscribeToRoom("r1", event -> { });

        assertThat(backend.redisSubscriptionCount()).isEqualTo(1);
        assertThat(subscribers(prefix + ":room:r1")).isEqualTo(1);
        assertThat(backend.unsubscribe(first)).isTrue();
        assertThat(backend.redisSubscriptionCount()).isEqualTo(1);
        assertThat(backend.unsubscribe(second)).isTrue();
        assertThat(backend.unsubscribe(second)).isFalse();
        assertThat(backend.redisSubscriptionCount()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> subscribers(prefix + ":room:r1") == 0);
    }

    @Test
    void closeStopsEverythingAndRefusesNewSubscriptions() {
        RedisRealtimeBackend backend = backend(100);
        backend.subscribeToRoom("r1", event -> { });

        backend.close();
        backend.close();
        backend.publishToRoom("r1", typing("late"));

        assertThat(backend.subscriptionCount()).isZero();
        assertThat(backend.isOpen()).isFalse();
        assertThatThrownBy(() -> backend.subscribeToRoom("r1", event -> { })).isInstanceOf(RoomKitException.class)
                .extracting(ex -> ((RoomKitException) ex).code()).isEqualTo(ErrorCodes.REALTIME_CLOSED);
    }

    private static long subscribers(String channel) {
        RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
        try (var connection = client.connect()) {
            return connection.sync().pubsubNumsub(channel).getOrDefault(channel, 0L);
        }
        finally {
            client.shutdown();
        }
    }

    private record SpyListener(BlockingQueue<String> wire, CountDownLatch subscribed)
            implements MessageListener, SubscriptionListener {

        @Override
        public void onMessage(Message message, byte[] pattern) {
            wire.add(new String(message.getBody(), StandardCharsets.UTF_8));
        }

        @Override
        public void onChannelSubscribed(byte[] channel, long count) {
            subscribed.countDown();
        }
    }
}
