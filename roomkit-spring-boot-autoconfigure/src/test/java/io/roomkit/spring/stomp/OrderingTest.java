package io.roomkit.spring.stomp;

import io.roomkit.RoomKit;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import io.roomkit.spring.listener.RoomEventListener;
import io.roomkit.spring.stomp.app.StompTestApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static io.roomkit.spring.stomp.Frames.body;
import static io.roomkit.spring.stomp.Frames.history;
import static io.roomkit.spring.stomp.Frames.take;
import static org.assertj.core.api.Assertions.assertThat;

/** A listener's reply never overtakes the event it answers, and every room's events arrive in index order. */
@SpringBootTest(classes = StompTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "roomkit.websocket.trust-client-login=true", "roomkit.websocket.open-rooms=true",
                "roomkit.typing.timeout=30s" })
@Import(OrderingTest.Bots.class)
class OrderingTest {

    private static final int ROUNDS = 20;

    @LocalServerPort
    int port;

    private final List<StompTestClient> clients = new ArrayList<>();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String room = "room-" + suffix;

    @AfterEach
    void disconnect() {
        clients.forEach(StompTestClient::close);
    }

    @Test
    void aPongIsSeenAfterThePingItAnswers() throws Exception {
        StompTestClient alice = connect("alice-" + suffix);
        BlockingQueue<Map<String, Object>> events = subscribe(connect("bob-" + suffix), "events");

        for (int round = 0; round < ROUNDS; round++) {
            alice.send("/app/rooms." + room + ".messages", Map.of("content", "ping"));
        }

        List<Map<String, Object>> seen = take(events, 2 * ROUNDS);
        Set<Object> pings = new HashSet<>();
        for (Map<String, Object> event : seen) {
            if ("ping".equals(body(event))) {
                pings.add(event.get("id"));
            }
            else {
                assertThat(body(event)).isEqualTo("pong");
                assertThat(pings).as("the ping answered by %s was seen before it", event).contains(
                        event.get("parent_event_id"));
            }
        }
        assertThat(pings).hasSize(ROUNDS);
    }

    @Test
    void anEphemeralReplyIsSeenAfterTheTypingStartItAnswers() throws Exception {
        StompTestClient alice = connect("alice-" + suffix);
        BlockingQueue<Map<String, Object>> ephemeral = subscribe(connect("bob-" + suffix), "ephemeral");

        for (int round = 0; round < ROUNDS; round++) {
            // start and stop: back-to-back starts alone are absorbed as renewals of one
            alice.send("/app/rooms." + room + ".typing", Map.of("typing", true));
            alice.send("/app/rooms." + room + ".typing", Map.of("typing", false));
        }

        Set<Object> starts = new HashSet<>();
        int replies = 0;
        long deadline = System.nanoTime() + StompTestClient.WAIT.toNanos();
        while (replies < ROUNDS && System.nanoTime() < deadline) {
            Map<String, Object> event = ephemeral.poll(100, TimeUnit.MILLISECONDS);
            if (event == null) {
                continue;
            }
            if ("typing_start".equals(event.get("type"))) {
                starts.add(event.get("id"));
            }
            else if (TypingEchoBot.USER.equals(event.get("user_id"))) {
                replies++;
                assertThat(starts).as("the typing_start answered by %s was seen before it", event)
                        .contains(((Map<?, ?>) event.get("data")).get("reply_to"));
            }
        }
        assertThat(replies).isEqualTo(ROUNDS);
    }

    @Test
    void concurrentSendersLeaveEveryRoomInIndexOrderWithoutGaps() throws Exception {
        List<String> rooms = List.of(room, room + "-b");
        int perRoom = 15;
        List<String> senders = List.of("alice-" + suffix, "bob-" + suffix, "carol-" + suffix);
        List<BlockingQueue<Map<String, Object>>> subscribers = new ArrayList<>();
        for (String user : List.of("dave-" + suffix, "erin-" + suffix)) {
            StompTestClient observer = connect(user);
            for (String roomId : rooms) {
                subscribers.add(observer.subscribe("/topic/rooms." + roomId + ".events"));
            }
            history(observer, "/app/rooms." + rooms.get(1) + ".history");
        }
        List<StompTestClient> senderClients = new ArrayList<>();
        for (String sender : senders) {
            senderClients.add(connect(sender));
        }

        ExecutorService pool = Executors.newFixedThreadPool(senders.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> sending = new ArrayList<>();
            for (StompTestClient sender : senderClients) {
                sending.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perRoom; i++) {
                        for (String roomId : rooms) {
                            sender.send("/app/rooms." + roomId + ".messages", Map.of("content", "m" + i));
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : sending) {
                future.get(StompTestClient.WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        }
        finally {
            pool.shutdownNow();
        }

        for (BlockingQueue<Map<String, Object>> subscriber : subscribers) {
            List<Long> indices = Frames.indices(take(subscriber, senders.size() * perRoom));
            assertThat(indices).containsExactlyElementsOf(LongStream.range(0, senders.size() * perRoom).boxed()
                    .toList());
        }
    }

    private StompTestClient connect(String user) throws Exception {
        StompTestClient client = StompTestClient.connect(port, user);
        clients.add(client);
        return client;
    }

    /** Subscribes to one of the room's topics and waits until the server took the subscription. */
    private BlockingQueue<Map<String, Object>> subscribe(StompTestClient client, String topic)
            throws InterruptedException {
        BlockingQueue<Map<String, Object>> queue = client.subscribe("/topic/rooms." + room + "." + topic);
        history(client, "/app/rooms." + room + ".history");
        return queue;
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Bots {

        @Bean
        PingPongBot pingPongBot(RoomKit kit) {
            return new PingPongBot(kit);
        }

        @Bean
        TypingEchoBot typingEchoBot(RoomKit kit) {
            return new TypingEchoBot(kit);
        }
    }

    /** Answers every "ping" message with a "pong" in the same thread, from its own channel. */
    static class PingPongBot {

        static final String CHANNEL = "bot-pong";

        private final RoomKit kit;

        PingPongBot(RoomKit kit) {
            this.kit = kit;
            kit.registerChannelIfAbsent(new WebSocketChannel(CHANNEL));
        }

        @RoomEventListener(rooms = "*", eventTypes = EventType.MESSAGE)
        public void onMessage(RoomEvent event) {
            if (event.content() instanceof TextContent text && text.body().equals("ping")) {
                kit.processInbound(InboundMessage.builder().channelId(CHANNEL).senderId("pong-bot")
                        .content(new TextContent("pong")).parentEventId(event.id()).build(), event.roomId());
            }
        }
    }

    /** Answers every TYPING_START with a CUSTOM event naming it. */
    static class TypingEchoBot {

        static final String USER = "typing-bot";

        private final RoomKit kit;

        TypingEchoBot(RoomKit kit) {
            this.kit = kit;
        }

        @RoomEventListener(rooms = "*", types = EphemeralEventType.TYPING_START)
        public void onTyping(EphemeralEvent event) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("reply_to", event.id());
            kit.realtime().publishToRoom(event.roomId(),
                    EphemeralEvent.of(event.roomId(), EphemeralEventType.CUSTOM, USER, data));
        }
    }
}
