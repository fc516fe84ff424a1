package io.roomkit.spring.stomp;

import io.roomkit.RoomKit;
import io.roomkit.spring.presence.PresenceTracker;
import io.roomkit.spring.stomp.app.StompTestApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.user.SimpUser;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;

import static io.roomkit.spring.stomp.Frames.assertNoneWithin;
import static io.roomkit.spring.stomp.Frames.count;
import static io.roomkit.spring.stomp.Frames.history;
import static io.roomkit.spring.stomp.Frames.is;
import static io.roomkit.spring.stomp.Frames.mark;
import static io.roomkit.spring.stomp.Frames.takeUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(classes = StompTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "roomkit.websocket.trust-client-login=true", "roomkit.websocket.open-rooms=true",
                "roomkit.typing.timeout=30s" })
class PresenceTest {

    private static final Duration QUIET = Duration.ofSeconds(1);

    @LocalServerPort
    int port;

    @Autowired
    RoomKit kit;

    @Autowired
    PresenceTracker presence;

    @Autowired
    ApplicationEventPublisher publisher;

    @Autowired
    SimpUserRegistry users;

    private final List<StompTestClient> clients = new ArrayList<>();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String room = "room-" + suffix;
    private final String alice = "alice-" + suffix;
    private final String bob = "bob-" + suffix;

    @AfterEach
    void disconnect() {
        clients.forEach(StompTestClient::close);
    }

    @Test
    void aUserWithTwoConnectionsComesOnlineOnce() throws Exception {
        BlockingQueue<Map<String, Object>> observed = observe("carol-" + suffix);

        join(alice);
        join(alice);

        List<Map<String, Object>> seen = takeUntil(observed, mark(kit, room));
        assertThat(count(seen, is("presence_online", alice))).isEqualTo(1);
    }

    @Test
    void closingOneOfTwoConnectionsPublishesNothing() throws Exception {
        BlockingQueue<Map<String, Object>> observed = observe("carol-" + suffix);
        StompTestClient first = join(alice);
        join(alice);
        takeUntil(observed, mark(kit, room));

        first.close();
        awaitSessions(alice, 1);

        List<Map<String, Object>> seen = takeUntil(observed, mark(kit, room));
        assertThat(seen).noneMatch(is("presence_offline", alice)).noneMatch(is("typing_stop", alice));
        assertNoneWithin(observed, is("presence_offline", alice), QUIET);
        assertThat(presence.isPresent(alice, room)).isTrue();
    }

    @Test
    void closingTheLastConnectionPublishesOneTypingStopThenOneOffline() throws Exception {
        BlockingQueue<Map<String, Object>> observed = observe("carol-" + suffix);
        StompTestClient first = join(alice);
        StompTestClient second = join(alice);
        second.send("/app/rooms." + room + ".typing", Map.of("typing", true));
        StompTestClient.await(observed, is("typing_start", alice));
        first.close();
        awaitSessions(alice, 1);
        takeUntil(observed, mark(kit, room));

        second.close();

        List<Map<String, Object>> seen = takeUntil(observed, is("presence_offline", alice));
        assertThat(count(seen, is("typing_stop", alice))).isEqualTo(1);
        awaitSessions(alice, 0);
        assertThat(takeUntil(observed, mark(kit, room))).noneMatch(is("presence_offline", alice))
                .noneMatch(is("typing_stop", alice));
        assertNoneWithin(observed, is("presence_offline", alice).or(is("typing_stop", alice)), QUIET);
        assertThat(presence.isPresent(alice, room)).isFalse();
        assertThat(presence.snapshot(room)).noneMatch(entry -> alice.equals(entry.get("user_id")));
    }

    @Test
    void unsubscribingFromTheRoomLeavesItWhileTheConnectionStaysOpen() throws Exception {
        BlockingQueue<Map<String, Object>> observed = observe("carol-" + suffix);
        StompTestClient client = connect(alice);
        var events = client.subscribe("/topic/rooms." + room + ".events", new LinkedBlockingQueue<>());
        var ephemeral = client.subscribe("/topic/rooms." + room + ".ephemeral", new LinkedBlockingQueue<>());
        history(client, "/app/rooms." + room + ".history");
        StompTestClient.await(observed, is("presence_online", alice));

        events.unsubscribe();
        history(client, "/app/rooms." + room + ".history");
        assertThat(takeUntil(observed, mark(kit, room))).as("still subscribed to the ephemeral topic")
                .noneMatch(is("presence_offline", alice));
        ephemeral.unsubscribe();

        StompTestClient.await(observed, is("presence_offline", alice));
        assertThat(client.isConnected()).isTrue();
        assertThat(presence.isPresent(alice, room)).isFalse();
        assertNoneWithin(observed, is("presence_offline", alice), QUIET);
    }

    @Test
    void disconnectingTheSameSessionTwiceInTheTrackerPublishesOneOffline() throws Exception {
        BlockingQueue<Map<String, Object>> observed = observe("carol-" + suffix);
        String session = "session-" + suffix;
        presence.join(session, bob, room);

        presence.disconnect(session);
        presence.disconnect(session);

        List<Map<String, Object>> seen = takeUntil(observed, mark(kit, room));
        assertThat(count(seen, is("presence_online", bob))).isEqualTo(1);
        assertThat(count(seen, is("presence_offline", bob))).isEqualTo(1);
    }

    @Test
    void repeatedSessionDisconnectEventsPublishOneOffline() throws Exception {
        BlockingQueue<Map<String, Object>> observed = observe("carol-" + suffix);
        StompTestClient bobClient = join(bob);
        String sessionId = awaitSessions(bob, 1).getSessions().iterator().next().getId();
        takeUntil(observed, mark(kit, room));

        publisher.publishEvent(disconnectEvent(sessionId));
        publisher.publishEvent(disconnectEvent(sessionId));
        bobClient.close();
        awaitSessions(bob, 0);

        List<Map<String, Object>> seen = takeUntil(observed, mark(kit, room));
        assertThat(count(seen, is("presence_offline", bob))).isEqualTo(1);
        assertNoneWithin(observed, is("presence_offline", bob), QUIET);
    }

    @Test
    void theHistoryReplyListsWhoIsOnline() throws Exception {
        join(alice);
        join(bob);

        Map<String, Object> reply = history(connect("carol-" + suffix), "/app/rooms." + room + ".history");

        assertThat(reply.get("presence")).asList().containsExactlyInAnyOrder(
                Map.of("user_id", alice, "status", "online"), Map.of("user_id", bob, "status", "online"));
    }

    @Test
    void aStatusSetByTheUserShowsInALaterSnapshot() throws Exception {
        BlockingQueue<Map<String, Object>> observed = observe("carol-" + suffix);
        StompTestClient bobClient = join(bob);

        bobClient.send("/app/rooms." + room + ".presence", Map.of("status", "away"));
        StompTestClient.await(observed, is("presence_away", bob));

        Map<String, Object> reply = history(connect("dave-" + suffix), "/app/rooms." + room + ".history");
        assertThat(reply.get("presence")).asList().contains(Map.of("user_id", bob, "status", "away"));
    }

    private StompTestClient connect(String user) throws Exception {
        StompTestClient client = StompTestClient.connect(port, user);
        clients.add(client);
        return client;
    }

    /** Connects {@code user}, subscribes to the room's events and waits until the server took the subscription. */
    private StompTestClient join(String user) throws Exception {
        StompTestClient client = connect(user);
        client.subscribe("/topic/rooms." + room + ".events");
        history(client, "/app/rooms." + room + ".history");
        return client;
    }

    /** An observer that receives the room's ephemeral events. */
    private BlockingQueue<Map<String, Object>> observe(String user) throws Exception {
        StompTestClient client = connect(user);
        BlockingQueue<Map<String, Object>> ephemeral = client.subscribe("/topic/rooms." + room + ".ephemeral");
        history(client, "/app/rooms." + room + ".history");
        takeUntil(ephemeral, mark(kit, room));
        return ephemeral;
    }

    private SimpUser awaitSessions(String user, int sessions) {
        Predicate<SimpUser> wanted = found -> sessions == 0 ? found == null : found != null
                && found.getSessions().size() == sessions;
        await().atMost(StompTestClient.WAIT).until(() -> wanted.test(users.getUser(user)));
        return users.getUser(user);
    }

    private SessionDisconnectEvent disconnectEvent(String sessionId) {
        SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.DISCONNECT);
        headers.setSessionId(sessionId);
        return new SessionDisconnectEvent(this, MessageBuilder.createMessage(new byte[0], headers.getMessageHeaders()),
                sessionId, CloseStatus.NORMAL);
    }
}
