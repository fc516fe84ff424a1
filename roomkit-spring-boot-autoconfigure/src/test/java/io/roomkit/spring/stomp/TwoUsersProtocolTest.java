package io.roomkit.spring.stomp;

import io.roomkit.model.RoomEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;

import static io.roomkit.spring.stomp.StompTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

class TwoUsersProtocolTest extends OpenRoomsStompTestSupport {

    private static final String ISO_WITH_OFFSET = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?[+-]\\d{2}:\\d{2}";

    private String aliceName;
    private String bobName;
    private StompTestClient alice;
    private StompTestClient bob;
    private BlockingQueue<Map<String, Object>> aliceEvents;
    private BlockingQueue<Map<String, Object>> aliceEphemeral;
    private BlockingQueue<Map<String, Object>> bobEvents;
    private BlockingQueue<Map<String, Object>> bobEphemeral;

    @BeforeEach
    void bothUsersJoinTheRoom() throws Exception {
        aliceName = user("alice");
        bobName = user("bob");
        alice = connect(aliceName);
        bob = connect(bobName);
        aliceEvents = alice.subscribe(events());
        aliceEphemeral = alice.subscribe(ephemeral());
        bobEvents = bob.subscribe(events());
        bobEphemeral = bob.subscribe(ephemeral());
        sync(alice);
        sync(bob);
    }

    @Test
    void typingStartReachesTheOtherUserAsTheReferenceJsonWithTheSendersId() throws Exception {
        alice.send(app("typing"), Map.of("typing", true));

        Map<String, Object> typing = await(bobEphemeral, event -> "typing_start".equals(event.get("type")));
        assertReferenceEphemeral(typing, "typing_start", aliceName);
    }

    @Test
    void typingStopReachesTheOtherUser() throws Exception {
        alice.send(app("typing"), Map.of("typing", true));
        alice.send(app("typing"), Map.of("typing", false));

        Map<String, Object> stop = await(bobEphemeral, event -> "typing_stop".equals(event.get("type")));
        assertReferenceEphemeral(stop, "typing_stop", aliceName);
    }

    @Test
    void presenceStatusReachesTheOtherUser() throws Exception {
        alice.send(app("presence"), Map.of("status", "away"));

        Map<String, Object> away = await(bobEphemeral, event -> "presence_away".equals(event.get("type")));
        assertReferenceEphemeral(away, "presence_away", aliceName);
        assertThat(away.get("data")).asInstanceOf(MAP).isEmpty();
    }

    @Test
    void reactionReachesTheOtherUserWithTargetEmojiAndAction() throws Exception {
        Map<String, Object> message = post(alice, bobEvents, "react to me");

        bob.send(app("reactions"), Map.of("target_event_id", message.get("id"), "emoji", "👍", "action", "add"));

        Map<String, Object> reaction = await(aliceEphemeral, event -> "reaction".equals(event.get("type")));
        assertReferenceEphemeral(reaction, "reaction", bobName);
        assertThat(reaction.get("data")).isEqualTo(Map.of("target_event_id", message.get("id"), "emoji", "👍",
                "action", "add"));
    }

    @Test
    void reactionsAreStoredOncePerUserAndALateJoinersHistoryCarriesThem() throws Exception {
        Map<String, Object> message = post(alice, bobEvents, "react to me");
        Object id = message.get("id");

        bob.send(app("reactions"), Map.of("target_event_id", id, "emoji", "👍", "action", "add"));
        bob.send(app("reactions"), Map.of("target_event_id", id, "emoji", "👍", "action", "add"));
        bob.send(app("reactions"), Map.of("target_event_id", id, "emoji", "🎉"));
        sync(bob); // bob's reactions are stored before alice's: the users are listed in that order
        alice.send(app("reactions"), Map.of("target_event_id", id, "emoji", "👍", "action", "add"));
        // alice removes a reaction she does not have: bob's stays
        alice.send(app("reactions"), Map.of("target_event_id", id, "emoji", "🎉", "action", "remove"));
        sync(alice);

        List<Map<String, Object>> live = collectUntil(aliceEphemeral, event -> "reaction".equals(event.get("type"))
                && bobName.equals(event.get("user_id")) && Map.of("target_event_id", id, "emoji", "🎉",
                        "action", "add").equals(event.get("data")));
        // bob's repeated 👍 changed nothing, so his live reactions are one 👍 and then his 🎉
        List<Object> bobsEmojis = live.stream().filter(event -> "reaction".equals(event.get("type"))
                && bobName.equals(event.get("user_id"))).map(event -> ((Map<?, ?>) event.get("data")).get("emoji"))
                .map(Object.class::cast).toList();
        assertThat(bobsEmojis).containsExactly("👍", "🎉");
        Map<String, Object> carolsHistory = sync(connect(user("carol")));
        assertThat(historyEvent(carolsHistory, id).get("reactions")).isEqualTo(Map.of(
                "👍", Map.of("count", 2, "users", List.of(bobName, aliceName)),
                "🎉", Map.of("count", 1, "users", List.of(bobName))));
    }

    @Test
    void aDeletedMessageLosesItsReactionsAndTakesNoNewOnes() throws Exception {
        Map<String, Object> message = post(alice, bobEvents, "short-lived");
        Object id = message.get("id");
        bob.send(app("reactions"), Map.of("target_event_id", id, "emoji", "👍"));
        sync(bob);
        alice.send(app("delete"), Map.of("target_event_id", id));
        await(bobEvents, event -> "delete".equals(event.get("type")));

        bob.send(app("reactions"), Map.of("target_event_id", id, "emoji", "🎉"));

        assertThat(bob.nextError()).containsEntry("code", "target_deleted").containsEntry("destination",
                app("reactions"));
        assertThat(historyEvent(sync(bob), id)).doesNotContainKey("reactions");
        assertThat(kit.store().reactionSummaries(room, List.of((String) id))).isEmpty();
    }

    @Test
    void readReceiptReachesTheOtherUserAndMovesTheDurableMarker() throws Exception {
        Map<String, Object> first = post(alice, bobEvents, "first");
        post(alice, bobEvents, "second");
        assertThat(kit.unreadCount(room, "ws-" + bobName)).isEqualTo(2);

        bob.send(app("read"), Map.of("event_id", first.get("id")));

        Map<String, Object> receipt = await(aliceEphemeral, event -> "read_receipt".equals(event.get("type")));
        assertReferenceEphemeral(receipt, "read_receipt", bobName);
        assertThat(receipt.get("data")).isEqualTo(Map.of("event_id", first.get("id")));
        assertThat(kit.unreadCount(room, "ws-" + bobName)).isEqualTo(1);
    }

    @Test
    void messageReachesTheOtherUserAsThePersistentEventJson() throws Exception {
        alice.send(app("messages"), Map.of("content", "Hello"));

        Map<String, Object> event = awaitText(bobEvents, "Hello");
        assertThat(event).containsEntry("room_id", room).containsEntry("index", 0).containsEntry("type", "message")
                .containsEntry("parent_event_id", null).containsEntry("idempotency_key", null);
        assertThat(event.get("source")).asInstanceOf(MAP).containsEntry("channel_id", "ws-" + aliceName)
                .containsEntry("participant_id", aliceName);
        assertThat(event.get("content")).asInstanceOf(MAP).containsEntry("type", "text").containsEntry("body", "Hello");
        assertThat((String) event.get("created_at")).matches(ISO_WITH_OFFSET);
        assertThat(stored()).extracting(RoomEvent::id).containsExactly((String) event.get("id"));
    }

    @Test
    void contentObjectIsAcceptedAndDeliveredTagged() throws Exception {
        alice.send(app("messages"), Map.of("content", Map.of("type", "location", "latitude", 1, "longitude", 2)));

        Map<String, Object> event = await(bobEvents, e -> "message".equals(e.get("type")));
        assertThat(event.get("content")).asInstanceOf(MAP).containsEntry("type", "location")
                .containsEntry("latitude", 1.0).containsEntry("longitude", 2.0);
        assertThat(stored()).singleElement().extracting(stored -> stored.content().type()).isEqualTo("location");
    }

    @Test
    void repeatedIdempotencyKeyStoresAndDeliversOneEvent() throws Exception {
        alice.send(app("messages"), Map.of("content", "once", "idempotency_key", "key-1"));
        alice.send(app("messages"), Map.of("content", "once", "idempotency_key", "key-1"));
        alice.send(app("messages"), Map.of("content", "marker"));

        List<Map<String, Object>> received = collectUntil(bobEvents, text("marker"));
        assertThat(received).extracting(event -> event.get("idempotency_key")).containsExactly("key-1", null);
        assertThat(stored()).extracting(RoomEvent::idempotencyKey).containsExactly("key-1", null);
    }

    @Test
    void parentEventIdThreadsAReply() throws Exception {
        Map<String, Object> root = post(alice, bobEvents, "root");

        bob.send(app("messages"), Map.of("content", "reply", "parent_event_id", root.get("id")));

        Map<String, Object> reply = awaitText(aliceEvents, "reply");
        assertThat(reply.get("parent_event_id")).isEqualTo(root.get("id"));
        assertThat(kit.getEvent(room, (String) reply.get("id")).orElseThrow().parentEventId())
                .isEqualTo(root.get("id"));
    }

    @Test
    void editReachesTheOtherUserAsAnEditEvent() throws Exception {
        Map<String, Object> original = post(alice, bobEvents, "typo");

        alice.send(app("edit"), Map.of("target_event_id", original.get("id"), "new_content", "fixed"));

        Map<String, Object> edit = await(bobEvents, event -> "edit".equals(event.get("type")));
        assertThat(edit.get("source")).asInstanceOf(MAP).containsEntry("participant_id", aliceName);
        assertThat(edit.get("content")).asInstanceOf(MAP).containsEntry("type", "edit")
                .containsEntry("target_event_id", original.get("id"))
                .hasEntrySatisfying("new_content", newContent -> assertThat(newContent).asInstanceOf(MAP)
                        .containsEntry("type", "text").containsEntry("body", "fixed"));
        RoomEvent target = kit.getEvent(room, (String) original.get("id")).orElseThrow();
        assertThat(target.content().plainText()).isEqualTo("fixed");
        assertThat(target.metadata()).containsEntry("edited", true);
    }

    @Test
    void deleteReachesTheOtherUserAndRedactsTheStoredTarget() throws Exception {
        Map<String, Object> original = post(alice, bobEvents, "secret");

        alice.send(app("delete"), Map.of("target_event_id", original.get("id"), "reason", "oops"));

        Map<String, Object> delete = await(bobEvents, event -> "delete".equals(event.get("type")));
        assertThat(delete.get("source")).asInstanceOf(MAP).containsEntry("participant_id", aliceName);
        assertThat(delete.get("content")).asInstanceOf(MAP).containsEntry("type", "delete")
                .containsEntry("target_event_id", original.get("id")).containsEntry("delete_type", "sender")
                .containsEntry("reason", "oops");
        RoomEvent target = kit.getEvent(room, (String) original.get("id")).orElseThrow();
        assertThat(target.metadata()).containsEntry("deleted", true);
        assertThat(target.content().type()).isEqualTo("system");
        assertThat(target.content().plainText()).doesNotContain("secret");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> historyEvent(Map<String, Object> historyReply, Object eventId) {
        return ((List<Map<String, Object>>) historyReply.get("events")).stream()
                .filter(event -> eventId.equals(event.get("id"))).findFirst().orElseThrow();
    }

    private void assertReferenceEphemeral(Map<String, Object> event, String type, String userId) {
        assertThat(event).containsOnlyKeys("id", "room_id", "type", "user_id", "channel_id", "data", "timestamp");
        assertThat((String) event.get("id")).matches("[0-9a-f]{32}");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("room_id", room);
        expected.put("type", type);
        expected.put("user_id", userId);
        assertThat(event).containsAllEntriesOf(expected);
        assertThat(event.get("data")).isInstanceOf(Map.class);
        assertThat((String) event.get("timestamp")).matches(ISO_WITH_OFFSET);
    }
}
