package io.roomkit.spring.stomp;

import io.roomkit.RoomKit;
import io.roomkit.model.EventQuery;
import io.roomkit.spring.stomp.app.StompTestApplication;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;

import static io.roomkit.spring.stomp.StompTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(classes = StompTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "roomkit.websocket.trust-client-login=true", "roomkit.websocket.open-rooms=true",
                "roomkit.typing.timeout=1s" })
class StompProtocolTest {

    @LocalServerPort
    int port;

    @Autowired
    RoomKit kit;

    private final List<StompTestClient> clients = new ArrayList<>();
    private final String room = "room-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void disconnect() {
        clients.forEach(StompTestClient::close);
    }

    private StompTestClient connect(String user) throws Exception {
        StompTestClient client = StompTestClient.connect(port, user);
        clients.add(client);
        return client;
    }

    @Test
    void messagesReachTheOtherUserAsSnakeCaseJson() throws Exception {
        StompTestClient alice = connect("alice");
        StompTestClient bob = connect("bob");
        BlockingQueue<Map<String, Object>> bobEvents = bob.subscribe("/topic/rooms." + room + ".events");
        alice.subscribe("/topic/rooms." + room + ".events");
        await(bob.subscribe("/app/rooms." + room + ".history"), reply -> true);

        alice.send("/app/rooms." + room + ".messages", Map.of("content", "Hello Bob", "user_id", "mallory"));

        Map<String, Object> event = await(bobEvents, e -> "message".equals(e.get("type")));
        assertThat(event).containsKeys("id", "room_id", "index", "type", "source", "content", "status", "metadata",
                "created_at", "parent_event_id", "idempotency_key");
        assertThat(event.get("room_id")).isEqualTo(room);
        assertThat(event.get("source")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("channel_id", "ws-alice").containsEntry("participant_id", "alice");
        assertThat(event.get("content")).asInstanceOf(InstanceOfAssertFactories.MAP).containsEntry("type", "text")
                .containsEntry("body", "Hello Bob");
        assertThat(kit.events(room, EventQuery.latest(10))).hasSize(1);
    }

    @Test
    void theHistoryReplyCarriesEveryUsersReadMarker() throws Exception {
        StompTestClient alice = connect("alice");
        StompTestClient bob = connect("bob");
        BlockingQueue<Map<String, Object>> bobEvents = bob.subscribe("/topic/rooms." + room + ".events");
        await(bob.subscribe("/app/rooms." + room + ".history"), reply -> true);
        alice.send("/app/rooms." + room + ".messages", Map.of("content", "read me"));
        Map<String, Object> message = await(bobEvents, e -> "message".equals(e.get("type")));

        bob.send("/app/rooms." + room + ".read", Map.of("event_id", message.get("id")));
        Awaitility.await().atMost(StompTestClient.WAIT)
                .until(() -> kit.unreadCount(room, "ws-bob") == 0);

        Map<String, Object> reply = await(connect("carol").subscribe("/app/rooms." + room + ".history"), r -> true);
        assertThat(reply.get("read_markers")).isEqualTo(Map.of("bob", message.get("index")));
    }

    @Test
    void aPrivateReceiptMovesTheMarkerAndPublishesNothing() throws Exception {
        StompTestClient alice = connect("alice");
        StompTestClient bob = connect("bob");
        BlockingQueue<Map<String, Object>> aliceEphemeral = alice.subscribe("/topic/rooms." + room + ".ephemeral");
        BlockingQueue<Map<String, Object>> bobEvents = bob.subscribe("/topic/rooms." + room + ".events");
        await(bob.subscribe("/app/rooms." + room + ".history"), reply -> true);
        await(alice.subscribe("/app/rooms." + room + ".history"), reply -> true);
        alice.send("/app/rooms." + room + ".messages", Map.of("content", "first"));
        Map<String, Object> first = await(bobEvents, e -> "message".equals(e.get("type")));
        alice.send("/app/rooms." + room + ".messages", Map.of("content", "second"));
        Map<String, Object> second = await(bobEvents, e -> "message".equals(e.get("type")));

        bob.send("/app/rooms." + room + ".read", Map.of("event_id", first.get("id"), "private", true));
        long firstIndex = ((Number) first.get("index")).longValue();
        Awaitility.await().atMost(StompTestClient.WAIT)
                .until(() -> kit.store().readMarker(room, "ws-bob").orElse(-1) == firstIndex);
        // nor does the history tell anyone how far bob read
        Map<String, Object> history = await(connect("carol").subscribe("/app/rooms." + room + ".history"), r -> true);
        assertThat(history.get("read_markers")).asInstanceOf(InstanceOfAssertFactories.MAP).doesNotContainKey("bob");
        bob.send("/app/rooms." + room + ".read", Map.of("event_id", second.get("id")));

        Map<String, Object> receipt = await(aliceEphemeral, e -> "read_receipt".equals(e.get("type")));
        assertThat(receipt.get("data")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("event_id", second.get("id"));
        assertThat(kit.unreadCount(room, "ws-bob")).isZero();
        assertThat(await(connect("dave").subscribe("/app/rooms." + room + ".history"), r -> true)
                .get("read_markers")).isEqualTo(Map.of("bob", second.get("index")));
    }

    @Test
    void aPrivateReadAfterAPublicOneLeavesThePublicPositionWhereItWas() throws Exception {
        StompTestClient alice = connect("alice");
        StompTestClient bob = connect("bob");
        BlockingQueue<Map<String, Object>> bobEvents = bob.subscribe("/topic/rooms." + room + ".events");
        await(bob.subscribe("/app/rooms." + room + ".history"), reply -> true);
        alice.send("/app/rooms." + room + ".messages", Map.of("content", "one"));
        Map<String, Object> one = await(bobEvents, e -> "message".equals(e.get("type")));
        alice.send("/app/rooms." + room + ".messages", Map.of("content", "two"));
        Map<String, Object> two = await(bobEvents, e -> "message".equals(e.get("type")));

        bob.send("/app/rooms." + room + ".read", Map.of("event_id", one.get("id")));
        bob.send("/app/rooms." + room + ".read", Map.of("event_id", two.get("id"), "private", true));
        long twoIndex = ((Number) two.get("index")).longValue();
        Awaitility.await().atMost(StompTestClient.WAIT)
                .until(() -> kit.store().readMarker(room, "ws-bob").orElse(-1) == twoIndex);

        Map<String, Object> history = await(connect("carol").subscribe("/app/rooms." + room + ".history"), r -> true);
        assertThat(history.get("read_markers")).isEqualTo(Map.of("bob", one.get("index")));
    }

    @Test
    void aPrivateFlagThatIsNotABooleanIsRefusedAndMovesNothing() throws Exception {
        StompTestClient alice = connect("alice");
        BlockingQueue<Map<String, Object>> events = alice.subscribe("/topic/rooms." + room + ".events");
        await(alice.subscribe("/app/rooms." + room + ".history"), reply -> true);
        alice.send("/app/rooms." + room + ".messages", Map.of("content", "hello"));
        Map<String, Object> message = await(events, e -> "message".equals(e.get("type")));

        StompTestClient bob = connect("bob");
        await(bob.subscribe("/app/rooms." + room + ".history"), reply -> true);
        bob.send("/app/rooms." + room + ".read", Map.of("event_id", message.get("id"), "private", "yes"));

        assertThat(bob.nextError()).containsEntry("code", "invalid_content")
                .containsEntry("destination", "/app/rooms." + room + ".read");
        assertThat(kit.store().readMarker(room, "ws-bob")).isEmpty();
    }

    @Test
    void aThreadIsReadWithTheHistoryRequestAndItsRootCarriesItsSummary() throws Exception {
        StompTestClient alice = connect("alice");
        StompTestClient bob = connect("bob");
        BlockingQueue<Map<String, Object>> events = alice.subscribe("/topic/rooms." + room + ".events");
        await(alice.subscribe("/app/rooms." + room + ".history"), reply -> true);
        await(bob.subscribe("/app/rooms." + room + ".history"), reply -> true);
        alice.send("/app/rooms." + room + ".messages", Map.of("content", "root"));
        Map<String, Object> root = await(events, e -> "root".equals(body(e)));
        bob.send("/app/rooms." + room + ".messages", Map.of("content", "first", "parent_event_id", root.get("id")));
        Map<String, Object> first = await(events, e -> "first".equals(body(e)));
        alice.send("/app/rooms." + room + ".messages", Map.of("content", "top level"));
        await(events, e -> "top level".equals(body(e)));
        alice.send("/app/rooms." + room + ".messages", Map.of("content", "second", "parent_event_id", first.get("id")));
        Map<String, Object> second = await(events, e -> "second".equals(body(e)));
        assertThat(second.get("parent_event_id")).isEqualTo(root.get("id"));

        Map<String, Object> thread = await(connect("carol").subscribe("/app/rooms." + room + ".history?thread="
                + root.get("id")), reply -> true);
        assertThat(thread.get("thread")).isEqualTo(root.get("id"));
        assertThat(ids(thread)).containsExactly(first.get("id"), second.get("id"));
        Map<String, Object> olderReplies = await(connect("dave").subscribe("/app/rooms." + room + ".history?thread="
                + root.get("id") + "&before_index=" + second.get("index")), reply -> true);
        assertThat(ids(olderReplies)).containsExactly(first.get("id"));

        Map<String, Object> timeline = await(connect("erin").subscribe("/app/rooms." + room + ".history"),
                reply -> true);
        @SuppressWarnings("unchecked")
        Map<String, Object> listedRoot = ((List<Map<String, Object>>) timeline.get("events")).get(0);
        assertThat(listedRoot.get("id")).isEqualTo(root.get("id"));
        assertThat(listedRoot.get("thread")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("reply_count", 2).containsEntry("last_reply_at", second.get("created_at"))
                .containsEntry("last_reply_index", second.get("index"))
                .containsEntry("participants", List.of("bob", "alice"));
    }

    @Test
    void aHistoryRequestWithABlankThreadIsRefused() throws Exception {
        StompTestClient alice = connect("alice");
        alice.subscribe("/app/rooms." + room + ".history?thread=");

        assertThat(alice.nextError()).containsEntry("code", "invalid_argument");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> ids(Map<String, Object> historyReply) {
        return ((List<Map<String, Object>>) historyReply.get("events")).stream().map(event -> event.get("id"))
                .toList();
    }

    private static Object body(Map<String, Object> event) {
        return event.get("content") instanceof Map<?, ?> content ? content.get("body") : null;
    }
}
