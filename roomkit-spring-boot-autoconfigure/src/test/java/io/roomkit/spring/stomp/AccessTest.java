package io.roomkit.spring.stomp;

import io.roomkit.RoomKit;
import io.roomkit.model.EventQuery;
import io.roomkit.model.ParticipantRole;
import io.roomkit.spring.stomp.app.StompTestApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;

import static io.roomkit.spring.stomp.OpenRoomsStompTestSupport.collectUntil;
import static io.roomkit.spring.stomp.OpenRoomsStompTestSupport.sync;
import static io.roomkit.spring.stomp.OpenRoomsStompTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

/** Rooms are closed to non-members (open-rooms off); logins are trusted. */
@SpringBootTest(classes = StompTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "roomkit.websocket.trust-client-login=true")
class AccessTest {

    @LocalServerPort
    int port;

    @Autowired
    RoomKit kit;

    private final List<StompTestClient> clients = new ArrayList<>();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String room = "room-" + suffix;
    private final String aliceName = "alice-" + suffix;
    private final String bobName = "bob-" + suffix;
    private StompTestClient alice;
    private StompTestClient bob;
    private BlockingQueue<Map<String, Object>> aliceEvents;

    @BeforeEach
    void aliceIsAMemberAndBobIsNot() throws Exception {
        kit.createRoom(room);
        kit.addParticipant(room, aliceName, ParticipantRole.MEMBER);
        alice = connect(aliceName);
        aliceEvents = alice.subscribe(topic("events"));
        sync(alice, room);
        bob = connect(bobName);
    }

    @AfterEach
    void disconnect() {
        clients.forEach(StompTestClient::close);
    }

    @Test
    void nonMemberCannotSubscribeToTheEventsTopicUntilAdded() throws Exception {
        BlockingQueue<Map<String, Object>> refused = bob.subscribe(topic("events"));
        assertError(bob.nextError(), "not_authorized", topic("events"));
        post("while bob is out");

        kit.addParticipant(room, bobName, ParticipantRole.MEMBER);
        BlockingQueue<Map<String, Object>> admitted = bob.subscribe(topic("events"));
        sync(bob, room);
        post("after bob joined");

        assertThat(collectUntil(admitted, text("after bob joined"))).hasSize(1);
        assertThat(refused).isEmpty();
    }

    @Test
    void nonMemberCannotSubscribeToTheEphemeralTopicUntilAdded() throws Exception {
        BlockingQueue<Map<String, Object>> refused = bob.subscribe(topic("ephemeral"));
        assertError(bob.nextError(), "not_authorized", topic("ephemeral"));
        alice.send(app("presence"), Map.of("status", "away"));
        sync(alice, room);

        kit.addParticipant(room, bobName, ParticipantRole.MEMBER);
        BlockingQueue<Map<String, Object>> admitted = bob.subscribe(topic("ephemeral"));
        sync(bob, room);
        alice.send(app("typing"), Map.of("typing", true));

        assertThat(collectUntil(admitted, event -> "typing_start".equals(event.get("type"))))
                .extracting(event -> event.get("type")).doesNotContain("presence_away");
        assertThat(refused).isEmpty();
    }

    @Test
    void nonMemberGetsNoHistoryUntilAdded() throws Exception {
        post("history");
        BlockingQueue<Map<String, Object>> refused = bob.subscribe(app("history"));
        assertError(bob.nextError(), "not_authorized", app("history"));

        kit.addParticipant(room, bobName, ParticipantRole.MEMBER);
        Map<String, Object> reply = sync(bob, room);

        assertThat((List<?>) reply.get("events")).hasSize(1);
        assertThat(refused).isEmpty();
    }

    @Test
    void nonMemberCannotSendUntilAdded() throws Exception {
        bob.send(app("messages"), Map.of("content", "let me in"));
        assertError(bob.nextError(), "not_authorized", app("messages"));
        assertThat(kit.events(room, EventQuery.latest(10))).isEmpty();

        kit.addParticipant(room, bobName, ParticipantRole.MEMBER);
        bob.send(app("messages"), Map.of("content", "hello"));

        assertThat(collectUntil(aliceEvents, text("hello"))).hasSize(1);
        assertThat(kit.events(room, EventQuery.latest(10))).hasSize(1);
    }

    @Test
    void nonMemberCannotSendEphemeralFrames() throws Exception {
        BlockingQueue<Map<String, Object>> aliceEphemeral = alice.subscribe(topic("ephemeral"));
        sync(alice, room);

        bob.send(app("typing"), Map.of("typing", true));
        assertError(bob.nextError(), "not_authorized", app("typing"));
        alice.send(app("presence"), Map.of("status", "away"));

        assertThat(collectUntil(aliceEphemeral, event -> "presence_away".equals(event.get("type"))))
                .extracting(event -> event.get("user_id")).doesNotContain(bobName);
    }

    @Test
    void subscribingToAnUnknownRoomCreatesNothing() throws Exception {
        String unknown = "nowhere-" + suffix;
        bob.subscribe("/topic/rooms." + unknown + ".events");

        assertError(bob.nextError(), "not_authorized", "/topic/rooms." + unknown + ".events");
        assertThat(kit.getRoom(unknown)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "bad name!", "a<script>", "" })
    void invalidLoginNamesAreRefused(String login) throws Exception {
        assertRefused(login);
    }

    @Test
    void tooLongLoginNameIsRefused() throws Exception {
        assertRefused("x".repeat(65));
    }

    private void assertRefused(String login) throws Exception {
        List<String> answers = StompTestClient.refusedConnect(port, login);
        assertThat(answers).hasSize(2).last().isEqualTo("closed");
        assertThat(answers.get(0)).startsWith("ERROR CONNECT refused");
    }

    private StompTestClient connect(String login) throws Exception {
        StompTestClient client = StompTestClient.connect(port, login);
        clients.add(client);
        return client;
    }

    private void post(String body) throws InterruptedException {
        alice.send(app("messages"), Map.of("content", body));
        collectUntil(aliceEvents, text(body));
    }

    private String topic(String kind) {
        return "/topic/rooms." + room + "." + kind;
    }

    private String app(String action) {
        return "/app/rooms." + room + "." + action;
    }

    private static void assertError(Map<String, Object> error, String code, String destination) {
        assertThat(error).containsEntry("code", code).containsEntry("destination", destination);
    }
}
