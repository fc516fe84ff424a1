package io.roomkit.spring.stomp;

import io.roomkit.RoomKit;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.EventQuery;
import io.roomkit.model.InboundMessage;
import io.roomkit.spring.stomp.app.StompTestApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.stream.LongStream;

import static io.roomkit.spring.stomp.Frames.assertNoneWithin;
import static io.roomkit.spring.stomp.Frames.history;
import static io.roomkit.spring.stomp.Frames.indices;
import static io.roomkit.spring.stomp.Frames.is;
import static io.roomkit.spring.stomp.Frames.take;
import static org.assertj.core.api.Assertions.assertThat;

/** Runs in the context of {@link StompProtocolTest}. */
@SpringBootTest(classes = StompTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "roomkit.websocket.trust-client-login=true", "roomkit.websocket.open-rooms=true",
                "roomkit.typing.timeout=1s" })
class LateJoinerTest {

    @LocalServerPort
    int port;

    @Autowired
    RoomKit kit;

    private final List<StompTestClient> clients = new ArrayList<>();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String room = "room-" + suffix;
    private final String bob = "bob-" + suffix;
    private StompTestClient alice;
    private BlockingQueue<Map<String, Object>> aliceEvents;

    @BeforeEach
    void aliceJoins() throws Exception {
        alice = connect("alice-" + suffix);
        aliceEvents = alice.subscribe(eventsTopic());
        history(alice, historyOf(""));
    }

    @AfterEach
    void disconnect() {
        clients.forEach(StompTestClient::close);
    }

    @Test
    void theHistoryReplyIsTheNewestPageByDefault() throws Exception {
        post(0, 10);

        Map<String, Object> reply = history(connect(bob), historyOf(""));

        assertThat(reply.get("room_id")).isEqualTo(room);
        assertThat(indices(reply.get("events"))).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(events(reply)).extracting(Frames::body).containsExactly("m0", "m1", "m2", "m3", "m4", "m5",
                "m6", "m7", "m8", "m9");
        assertThat(((Number) reply.get("latest_index")).longValue()).isEqualTo(9);
        assertThat(((Number) reply.get("unread")).longValue()).isEqualTo(10);
    }

    @Test
    void afterIndexReturnsTheEventsAfterIt() throws Exception {
        post(0, 10);

        Map<String, Object> reply = history(connect(bob), historyOf("?after_index=4"));

        assertThat(indices(reply.get("events"))).containsExactly(5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void beforeIndexWithALimitReturnsTheOlderPage() throws Exception {
        post(0, 10);

        Map<String, Object> reply = history(connect(bob), historyOf("?before_index=5&limit=3"));

        assertThat(indices(reply.get("events"))).containsExactly(2L, 3L, 4L);
    }

    @Test
    void pagesHoldFiftyByDefaultAndAtMostTwoHundred() throws Exception {
        kit.registerChannelIfAbsent(new WebSocketChannel("seed-" + suffix));
        for (int i = 0; i < 250; i++) {
            kit.processInbound(InboundMessage.text("seed-" + suffix, "seeder", "s" + i), room);
        }
        StompTestClient bobClient = connect(bob);

        Map<String, Object> byDefault = history(bobClient, historyOf(""));
        Map<String, Object> capped = history(bobClient, historyOf("?limit=1000"));
        Map<String, Object> cappedCatchUp = history(bobClient, historyOf("?after_index=9&limit=500"));

        assertThat(indices(byDefault.get("events"))).containsExactlyElementsOf(range(200, 250));
        assertThat(indices(capped.get("events"))).containsExactlyElementsOf(range(50, 250));
        assertThat(indices(cappedCatchUp.get("events"))).containsExactlyElementsOf(range(10, 210));
        assertThat(((Number) capped.get("latest_index")).longValue()).isEqualTo(249);
    }

    @ParameterizedTest
    @ValueSource(strings = { "?after_index=x", "?before_index=1.5", "?limit=ten", "?after_index=-7",
            "?after_index=99999999999999999999" })
    void aBadNumberIsReportedOnTheErrorQueue(String query) throws Exception {
        post(0, 3);
        StompTestClient bobClient = connect(bob);

        BlockingQueue<Map<String, Object>> replies = bobClient.subscribe(historyOf(query));

        Map<String, Object> error = bobClient.nextError();
        assertThat(error.get("code")).isEqualTo("invalid_argument");
        assertThat((String) error.get("destination")).startsWith(historyOf(""));
        assertNoneWithin(replies, reply -> true, Duration.ofMillis(300));
        assertThat(indices(history(bobClient, historyOf("")).get("events"))).containsExactly(0L, 1L, 2L);
    }

    @Test
    void aReconnectingClientCatchesUpWithoutDuplicatesOrGaps() throws Exception {
        StompTestClient first = connect(bob);
        BlockingQueue<Map<String, Object>> live = first.subscribe(eventsTopic());
        history(first, historyOf(""));
        post(0, 5);
        List<Long> seen = new ArrayList<>(indices(take(live, 5)));
        long lastIndex = seen.get(seen.size() - 1);
        first.close();

        post(5, 3);
        StompTestClient second = connect(bob);
        BlockingQueue<Map<String, Object>> liveAgain = second.subscribe(eventsTopic());
        Map<String, Object> catchUp = history(second, historyOf("?after_index=" + lastIndex));
        seen.addAll(indices(catchUp.get("events")));
        post(8, 1);
        seen.addAll(indices(take(liveAgain, 1)));

        assertThat(seen).containsExactlyElementsOf(range(0, 9));
        assertThat(events(catchUp)).extracting(Frames::body).containsExactly("m5", "m6", "m7");
    }

    @Test
    void unreadCountsTheMessagesAfterTheUsersReadMarker() throws Exception {
        post(0, 10);
        StompTestClient bobClient = connect(bob);
        BlockingQueue<Map<String, Object>> ephemeral = bobClient.subscribe("/topic/rooms." + room + ".ephemeral");
        Map<String, Object> first = history(bobClient, historyOf(""));
        Map<String, Object> sixth = events(first).get(6);

        bobClient.send("/app/rooms." + room + ".read", Map.of("event_id", sixth.get("id")));
        StompTestClient.await(ephemeral, is("read_receipt", bob));

        Map<String, Object> reply = history(bobClient, historyOf(""));
        assertThat(((Number) reply.get("unread")).longValue()).isEqualTo(3);
        assertThat(((Number) reply.get("latest_index")).longValue()).isEqualTo(9);
    }

    private StompTestClient connect(String user) throws Exception {
        StompTestClient client = StompTestClient.connect(port, user);
        clients.add(client);
        return client;
    }

    /** Alice posts {@code m<from>} to {@code m<from+count-1>} and waits until they are broadcast. */
    private void post(int from, int count) throws InterruptedException {
        for (int i = from; i < from + count; i++) {
            alice.send("/app/rooms." + room + ".messages", Map.of("content", "m" + i));
        }
        assertThat(take(aliceEvents, count)).extracting(Frames::body).last().isEqualTo("m" + (from + count - 1));
        assertThat(kit.events(room, EventQuery.latest(1))).singleElement()
                .extracting(event -> event.index()).isEqualTo((long) from + count - 1);
    }

    private String eventsTopic() {
        return "/topic/rooms." + room + ".events";
    }

    private String historyOf(String query) {
        return "/app/rooms." + room + ".history" + query;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> events(Map<String, Object> reply) {
        return (List<Map<String, Object>>) reply.get("events");
    }

    private static List<Long> range(long from, long to) {
        return LongStream.range(from, to).boxed().toList();
    }
}
