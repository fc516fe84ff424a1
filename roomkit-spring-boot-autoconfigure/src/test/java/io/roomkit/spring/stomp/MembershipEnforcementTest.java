package io.roomkit.spring.stomp;

import io.roomkit.RoomKit;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventType;
import io.roomkit.model.ParticipantRole;
import io.roomkit.model.RoomEvent;
import io.roomkit.spring.stomp.app.StompTestApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
import static io.roomkit.spring.stomp.StompTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Membership is enforced live on one node (simple broker): a removed or banned user's open subscriptions end on
 * every one of their sessions, they go offline, and their later frames are refused. "No longer receives" is
 * shown by order, not by time: after the user's sessions were told their subscription ended, a message is posted
 * to the room and then a marker to a second room the user still reads; the broker delivers to a session in
 * publish order, so the marker's arrival proves the message would have arrived first.
 */
@SpringBootTest(classes = StompTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "roomkit.websocket.trust-client-login=true")
class MembershipEnforcementTest {

    @LocalServerPort
    int port;

    @Autowired
    RoomKit kit;

    @Autowired
    MembershipEnforcer enforcer;

    private final List<StompTestClient> clients = new ArrayList<>();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String room = "room-" + suffix;
    private final String lobby = "lobby-" + suffix;
    private final String carolName = "carol-" + suffix;
    private final String bobName = "bob-" + suffix;
    private StompTestClient carol;
    private Topics carolTopics;
    private final List<Tab> bobTabs = new ArrayList<>();

    /** Carol and Bob (in two tabs) read both rooms; Carol stays, Bob will lose the room. */
    @BeforeEach
    void carolAndBobReadTheRoom() throws Exception {
        for (String id : List.of(room, lobby)) {
            kit.createRoom(id);
            kit.addParticipant(id, carolName, ParticipantRole.OWNER);
            kit.addParticipant(id, bobName, ParticipantRole.MEMBER);
        }
        carol = connect(carolName);
        carolTopics = topics(carol);
        carol.subscribe(topic(lobby, "events"));
        sync(carol, room);
        for (int i = 0; i < 2; i++) {
            StompTestClient tab = connect(bobName);
            Topics topics = topics(tab);
            BlockingQueue<Map<String, Object>> lobbyEvents = tab.subscribe(topic(lobby, "events"));
            sync(tab, room);
            bobTabs.add(new Tab(tab, topics, lobbyEvents));
        }
        await(carolTopics.ephemeral(), event -> "presence_online".equals(event.get("type"))
                && bobName.equals(event.get("user_id")));
    }

    @AfterEach
    void disconnect() {
        clients.forEach(StompTestClient::close);
    }

    @Test
    void aRemovedUserStopsReceivingOnEverySessionGoesOfflineAndIsRefused() throws Exception {
        kit.removeParticipant(room, bobName);

        for (Tab tab : bobTabs) {
            assertEnded(tab.client(), "not_authorized");
        }
        await(carolTopics.ephemeral(), event -> "presence_offline".equals(event.get("type"))
                && bobName.equals(event.get("user_id")));
        assertNothingMoreArrives("after the removal");

        Tab tab = bobTabs.get(0);
        tab.client().send(app("messages"), Map.of("content", "still here?"));
        assertThat(tab.client().nextError()).containsEntry("code", "not_authorized");
        tab.client().subscribe(topic(room, "events"));
        assertThat(tab.client().nextError()).containsEntry("code", "not_authorized")
                .containsEntry("destination", topic(room, "events"));
        assertThat(stored()).noneMatch(event -> event.content().plainText().equals("still here?"));
        assertThat(stored()).anyMatch(event -> event.type() == EventType.SYSTEM
                && "participant_removed".equals(event.content().toMap().get("code")));
    }

    @Test
    void aBannedUserStopsReceivingAndGetsBannedUntilUnbannedAndAddedAgain() throws Exception {
        kit.banParticipant(room, bobName, "spam", carolName);

        for (Tab tab : bobTabs) {
            assertEnded(tab.client(), "banned");
        }
        assertNothingMoreArrives("after the ban");

        StompTestClient bob = bobTabs.get(0).client();
        bob.subscribe(topic(room, "ephemeral"));
        assertThat(bob.nextError()).containsEntry("code", "banned");
        bob.send(app("typing"), Map.of("typing", true));
        assertThat(bob.nextError()).containsEntry("code", "banned");

        kit.unbanParticipant(room, bobName);
        bob.send(app("typing"), Map.of("typing", true));
        assertThat(bob.nextError()).as("unbanned, but no participant").containsEntry("code", "not_authorized");
        kit.addParticipant(room, bobName, ParticipantRole.MEMBER);
        BlockingQueue<Map<String, Object>> events = bob.subscribe(topic(room, "events"));
        sync(bob, room);
        carol.send(app("messages"), Map.of("content", "welcome back"));
        await(events, text("welcome back"));
    }

    @Test
    void theOtherMembersKeepReceiving() throws Exception {
        kit.removeParticipant(room, bobName);
        assertEnded(bobTabs.get(0).client(), "not_authorized");

        carol.send(app("messages"), Map.of("content", "carol is still here"));
        await(carolTopics.events(), text("carol is still here"));
        assertThat(bobTabs.get(0).client().isConnected()).isTrue();
    }

    /**
     * A recheck asks the policy again: it keeps what the policy still admits, and ends what it no longer does
     * after a change the kit did not announce (here the store changed directly, as an application's own rules
     * might). Rechecks are handled in order, so once the lobby's notice is in, the room's recheck was done.
     */
    @Test
    void aRecheckEndsOnlyWhatThePolicyNoLongerAdmits() throws Exception {
        enforcer.recheck(room, bobName);
        kit.store().removeParticipant(lobby, bobName);
        enforcer.recheck(lobby, bobName);

        for (Tab tab : bobTabs) {
            assertThat(tab.client().nextError()).containsEntry("code", "not_authorized")
                    .containsEntry("destination", topic(lobby, "events"));
        }
        carol.send(app("messages"), Map.of("content", "bob still reads the room"));
        for (Tab tab : bobTabs) {
            await(tab.topics().events(), text("bob still reads the room"));
            assertThat(tab.client().errorQueue()).isEmpty();
        }
    }

    /** Each of the session's two topic subscriptions of the room is reported ended. */
    private void assertEnded(StompTestClient tab, String code) throws InterruptedException {
        List<Object> destinations = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Map<String, Object> notice = tab.nextError();
            assertThat(notice).containsEntry("code", code);
            destinations.add(notice.get("destination"));
        }
        assertThat(destinations).containsExactlyInAnyOrder(topic(room, "events"), topic(room, "ephemeral"));
    }

    /**
     * Carol posts to the room (and types there), then to the lobby; once each of Bob's tabs has the lobby
     * marker, the room's message and typing event would have reached it before, had it still been subscribed.
     */
    private void assertNothingMoreArrives(String text) throws InterruptedException {
        bobTabs.forEach(tab -> {
            tab.topics().events().clear();
            tab.topics().ephemeral().clear();
        });
        carol.send(app("messages"), Map.of("content", text));
        await(carolTopics.events(), text(text));
        carol.send(app("typing"), Map.of("typing", true));
        await(carolTopics.ephemeral(), event -> "typing_start".equals(event.get("type")));
        carol.send("/app/rooms." + lobby + ".messages", Map.of("content", "marker " + text));
        for (Tab tab : bobTabs) {
            collectUntil(tab.lobbyEvents(), text("marker " + text));
            assertThat(tab.topics().events()).noneMatch(text(text));
            assertThat(tab.topics().ephemeral()).noneMatch(event -> "typing_start".equals(event.get("type")));
        }
    }

    private List<RoomEvent> stored() {
        return kit.events(room, EventQuery.latest(100));
    }

    private StompTestClient connect(String user) throws Exception {
        StompTestClient client = StompTestClient.connect(port, user);
        clients.add(client);
        return client;
    }

    private Topics topics(StompTestClient client) {
        return new Topics(client.subscribe(topic(room, "events")), client.subscribe(topic(room, "ephemeral")));
    }

    private static String topic(String roomId, String kind) {
        return "/topic/rooms." + roomId + "." + kind;
    }

    private String app(String action) {
        return "/app/rooms." + room + "." + action;
    }

    private record Topics(BlockingQueue<Map<String, Object>> events, BlockingQueue<Map<String, Object>> ephemeral) {
    }

    private record Tab(StompTestClient client, Topics topics, BlockingQueue<Map<String, Object>> lobbyEvents) {
    }
}
