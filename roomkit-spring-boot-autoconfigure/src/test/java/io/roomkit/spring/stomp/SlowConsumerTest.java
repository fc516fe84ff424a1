package io.roomkit.spring.stomp;

import io.roomkit.RoomKit;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.InboundMessage;
import io.roomkit.spring.stomp.app.StompTestApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.web.socket.config.WebSocketMessageBrokerStats;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static io.roomkit.spring.stomp.Frames.body;
import static io.roomkit.spring.stomp.Frames.history;
import static io.roomkit.spring.stomp.Frames.indices;
import static io.roomkit.spring.stomp.Frames.is;
import static io.roomkit.spring.stomp.Frames.take;
import static io.roomkit.spring.stomp.Frames.takeMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client whose reading thread stalls while events keep coming. The events are published in batches, each
 * once the healthy client received the one before, so that only the stalled client falls behind: by far more
 * than socket buffers and the server's send buffer hold. Runs in the context of {@link StompProtocolTest}.
 */
@SpringBootTest(classes = StompTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "roomkit.websocket.trust-client-login=true", "roomkit.websocket.open-rooms=true",
                "roomkit.typing.timeout=1s" })
class SlowConsumerTest {

    private static final int BATCHES = 20;
    private static final int TYPING_PER_BATCH = 10;
    private static final int MESSAGES_PER_BATCH = 2;
    private static final Map<String, Object> PADDING = Map.of("padding", "p".repeat(50_000));

    @LocalServerPort
    int port;

    @Autowired
    RoomKit kit;

    @Autowired
    WebSocketMessageBrokerStats stats;

    private final List<StompTestClient> clients = new ArrayList<>();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String room = "room-" + suffix;
    private CountDownLatch stalled;
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void disconnect() {
        release.countDown();
        clients.forEach(StompTestClient::close);
    }

    /** One stalled client, and more stalled clients than a fixed pool of 8 sending threads could take. */
    @ParameterizedTest
    @ValueSource(ints = { 1, 12 })
    void clientsThatStopReadingDoNotHoldUpTheOthers(int slowClients) throws Exception {
        int limitExceededBefore = stats.getWebSocketSessionStats().getLimitExceededSessions();
        stalled = new CountDownLatch(slowClients);
        for (int s = 0; s < slowClients; s++) {
            StompTestClient slow = StompTestClient.connect(port, "slow-" + s + "-" + suffix, 64 * 1024);
            clients.add(slow);
            StallingHandler handler = new StallingHandler();
            slow.session().subscribe(topic("events"), handler);
            slow.session().subscribe(topic("ephemeral"), handler);
            history(slow, "/app/rooms." + room + ".history");
        }
        StompTestClient healthy = connect("healthy-" + suffix);
        BlockingQueue<Map<String, Object>> events = healthy.subscribe(topic("events"));
        BlockingQueue<Map<String, Object>> ephemeral = healthy.subscribe(topic("ephemeral"));
        history(healthy, "/app/rooms." + room + ".history");
        String channel = "seed-" + suffix;
        kit.registerChannelIfAbsent(new WebSocketChannel(channel));

        List<Map<String, Object>> received = new ArrayList<>();
        for (int batch = 0; batch < BATCHES; batch++) {
            for (int i = 0; i < MESSAGES_PER_BATCH; i++) {
                kit.processInbound(InboundMessage.text(channel, "seeder", "m" + batch + "." + i), room);
            }
            for (int i = 0; i < TYPING_PER_BATCH; i++) {
                kit.publishTyping(room, "seeder", true, PADDING);
            }
            received.addAll(take(events, MESSAGES_PER_BATCH));
            takeMatching(ephemeral, is("typing_start", "seeder"), TYPING_PER_BATCH);
        }

        assertThat(stalled.getCount()).isZero();
        assertThat(indices(received)).containsExactlyElementsOf(
                LongStream.range(0, BATCHES * MESSAGES_PER_BATCH).boxed().toList());
        await().atMost(StompTestClient.WAIT).until(
                () -> stats.getWebSocketSessionStats().getLimitExceededSessions() > limitExceededBefore);
        StompTestClient carol = connect("carol-" + suffix);
        BlockingQueue<Map<String, Object>> carolEvents = carol.subscribe(topic("events"));
        history(carol, "/app/rooms." + room + ".history");
        carol.send("/app/rooms." + room + ".messages", Map.of("content", "still here"));
        StompTestClient.await(carolEvents, event -> "still here".equals(body(event)));
        assertThat(healthy.isConnected()).isTrue();
    }

    private StompTestClient connect(String user) throws Exception {
        StompTestClient client = StompTestClient.connect(port, user);
        clients.add(client);
        return client;
    }

    private String topic(String kind) {
        return "/topic/rooms." + room + "." + kind;
    }

    /** Blocks the client's reading thread on the first frame until the test ends. */
    private final class StallingHandler implements StompFrameHandler {

        private boolean counted;

        @Override
        public Type getPayloadType(StompHeaders headers) {
            return Map.class;
        }

        @Override
        public void handleFrame(StompHeaders headers, Object payload) {
            if (!counted) {
                counted = true;
                stalled.countDown();
            }
            try {
                release.await(1, TimeUnit.MINUTES);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
