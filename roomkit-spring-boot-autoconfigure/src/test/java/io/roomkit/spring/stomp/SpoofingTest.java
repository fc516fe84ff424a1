package io.roomkit.spring.stomp;

import io.roomkit.model.EventSource;
import io.roomkit.model.RoomEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SpoofingTest extends OpenRoomsStompTestSupport {

    private String aliceName;
    private String bobName;
    private StompTestClient alice;
    private StompTestClient bob;
    private BlockingQueue<Map<String, Object>> aliceEvents;
    private BlockingQueue<Map<String, Object>> bobEvents;

    @BeforeEach
    void bothUsersJoinTheRoom() throws Exception {
        aliceName = user("alice");
        bobName = user("bob");
        alice = connect(aliceName);
        bob = connect(bobName);
        aliceEvents = alice.subscribe(events());
        bobEvents = bob.subscribe(events());
        sync(alice);
        sync(bob);
    }

    @Test
    void identityFieldsInThePayloadAreIgnored() throws Exception {
        alice.send(app("messages"), Map.of("content", "who am I", "user_id", bobName, "sender_id", bobName,
                "participant_id", bobName, "channel_id", "ws-" + bobName,
                "source", Map.of("participant_id", bobName, "channel_id", "ws-" + bobName)));

        awaitText(bobEvents, "who am I");
        EventSource source = stored().get(0).source();
        assertThat(source.participantId()).isEqualTo(aliceName);
        assertThat(source.channelId()).isEqualTo("ws-" + aliceName);
    }

    @Test
    void editingAnotherUsersMessageIsRefusedAndChangesNothing() throws Exception {
        Map<String, Object> original = post(alice, aliceEvents, "mine");

        bob.send(app("edit"), Map.of("target_event_id", original.get("id"), "new_content", "hijacked"));

        assertError(bob.nextError(), "not_original_author", app("edit"));
        assertNothingBeforeMarker();
        assertThat(stored()).hasSize(2);
        assertThat(kit.getEvent(room, (String) original.get("id")).orElseThrow().content().plainText())
                .isEqualTo("mine");
    }

    @Test
    void deletingAnotherUsersMessageIsRefusedAndChangesNothing() throws Exception {
        Map<String, Object> original = post(alice, aliceEvents, "mine");

        bob.send(app("delete"), Map.of("target_event_id", original.get("id"), "reason", "spite"));

        assertError(bob.nextError(), "not_original_author", app("delete"));
        assertNothingBeforeMarker();
        RoomEvent target = kit.getEvent(room, (String) original.get("id")).orElseThrow();
        assertThat(target.metadata()).doesNotContainKey("deleted");
        assertThat(target.content().plainText()).isEqualTo("mine");
    }

    @Test
    void adminDeleteByANonOwnerIsRefused() throws Exception {
        Map<String, Object> original = post(alice, aliceEvents, "mine");

        bob.send(app("delete"), Map.of("target_event_id", original.get("id"), "delete_type", "admin"));

        assertError(bob.nextError(), "not_authorized", app("delete"));
        assertNothingBeforeMarker();
        assertThat(kit.getEvent(room, (String) original.get("id")).orElseThrow().metadata())
                .doesNotContainKey("deleted");
    }

    @Test
    void sendingToTheEventsTopicIsRefusedAndPublishesNothing() throws Exception {
        String topic = events();
        bob.send(topic, Map.of("id", "fake", "room_id", room, "type", "message",
                "content", Map.of("type", "text", "body", "forged")));

        assertError(bob.nextError(), "unknown_destination", topic);
        assertNothingBeforeMarker();
        assertThat(stored()).hasSize(1);
    }

    @Test
    void sendingToTheEphemeralTopicIsRefusedAndPublishesNothing() throws Exception {
        BlockingQueue<Map<String, Object>> aliceEphemeral = alice.subscribe(ephemeral());
        sync(alice);
        drain(aliceEphemeral);
        bob.send(ephemeral(), Map.of("id", "0".repeat(32), "room_id", room, "type", "typing_start",
                "user_id", aliceName, "data", Map.of(), "timestamp", "2026-01-01T00:00:00.000000+00:00"));

        assertError(bob.nextError(), "unknown_destination", ephemeral());
        bob.send(app("presence"), Map.of("status", "away"));
        assertThat(collectUntil(aliceEphemeral, event -> "presence_away".equals(event.get("type"))))
                .extracting(event -> event.get("type")).containsExactly("presence_away");
    }

    @Test
    void sendingToAnotherUsersErrorQueueIsRefused() throws Exception {
        String forged = "/user/" + aliceName + "/queue/errors";
        bob.send(forged, Map.of("code", "forged", "message", "you are banned", "destination", "/app/x"));

        assertError(bob.nextError(), "unknown_destination", forged);
        alice.send("/app/whatever", Map.of());
        assertError(alice.nextError(), "unknown_destination", "/app/whatever");
    }

    @Test
    void subscribingToAnotherUsersErrorQueueIsRefused() throws Exception {
        String foreign = "/user/" + aliceName + "/queue/errors";
        BlockingQueue<Map<String, Object>> spied = bob.subscribe(foreign);
        assertError(bob.nextError(), "unknown_destination", foreign);

        alice.send("/app/whatever", Map.of());

        assertError(alice.nextError(), "unknown_destination", "/app/whatever");
        sync(bob);
        assertThat(spied).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("serverOnlyContents")
    void serverOnlyContentTypesAreRefusedAsMessages(Map<String, Object> content) throws Exception {
        bob.send(app("messages"), Map.of("content", content));

        assertError(bob.nextError(), "invalid_content", app("messages"));
        post(bob, aliceEvents, "still works");
        assertThat(stored()).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("serverOnlyContents")
    void serverOnlyContentTypesAreRefusedAsEdits(Map<String, Object> content) throws Exception {
        Map<String, Object> original = post(bob, aliceEvents, "mine");

        bob.send(app("edit"), Map.of("target_event_id", original.get("id"), "new_content", content));

        assertError(bob.nextError(), "invalid_content", app("edit"));
        assertThat(stored()).hasSize(1);
        assertThat(kit.getEvent(room, (String) original.get("id")).orElseThrow().content().type())
                .isEqualTo("text");
    }

    static Stream<Map<String, Object>> serverOnlyContents() {
        Map<String, Object> system = Map.of("type", "system", "body", "alice is now an admin", "code", "notice");
        return Stream.of(system,
                Map.of("type", "edit", "target_event_id", "0".repeat(32),
                        "new_content", Map.of("type", "text", "body", "x")),
                Map.of("type", "delete", "target_event_id", "0".repeat(32)),
                Map.of("type", "tool_call", "tool_name", "shell", "tool_id", "t1"),
                Map.of("type", "composite", "parts", List.of(Map.of("type", "text", "body", "hi"), system)));
    }

    /** Alice's next persistent event is Bob's marker message: nothing was published before it. */
    private void assertNothingBeforeMarker() throws InterruptedException {
        bob.send(app("messages"), Map.of("content", "marker"));
        assertThat(collectUntil(aliceEvents, text("marker"))).hasSize(1);
    }

    private static void assertError(Map<String, Object> error, String code, String destination) {
        assertThat(error).containsOnlyKeys("code", "message", "destination").containsEntry("code", code)
                .containsEntry("destination", destination);
        assertThat((String) error.get("message")).isNotBlank();
    }
}
