package io.roomkit.spring.stomp.security;

import io.roomkit.model.ChannelBinding;
import io.roomkit.model.EventSource;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.ParticipantRole;
import io.roomkit.model.RoomEvent;
import io.roomkit.spring.stomp.StompTestClient;
import io.roomkit.spring.stomp.UserChannel;
import io.roomkit.spring.stomp.security.app.SecuredChatApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.messaging.simp.stomp.StompHeaders;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;

import static io.roomkit.spring.stomp.StompTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Users signed in over HTTP with the application's form login (real Spring Security filters) are the STOMP users,
 * through the handshake principal; the login header never names anyone, even with trust-client-login requested.
 */
// the store may wait as long as it needs: these tests are about identity, and a cold JVM is slow
@SpringBootTest(classes = SecuredChatApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "roomkit.websocket.open-rooms=true", "roomkit.websocket.trust-client-login=true",
                "roomkit.store.timeout=0" })
class SessionLoginStompTest extends SecuredStompSupport {

    @Test
    void theUserSignedInOverHttpIsTheStompUserWhateverThePayloadSays() throws Exception {
        StompTestClient alice = connect(HttpSession.signIn(port, "alice"), false);
        BlockingQueue<Map<String, Object>> events = alice.subscribe(events());
        sync(alice);

        Map<String, Object> event = postAs(alice, events, "who am I", "bob");

        assertThat(event.get("source")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("participant_id", "alice").containsEntry("channel_id", "ws-alice");
        EventSource source = stored().get(0).source();
        assertThat(source.participantId()).isEqualTo("alice");
        assertThat(source.channelId()).isEqualTo("ws-alice");
        assertThat(kit.channel("ws-alice")).get().isInstanceOf(UserChannel.class);
    }

    @Test
    void aConnectWithoutASignedInSessionIsRefusedEvenWithALoginHeader() throws Exception {
        StompHeaders claimsBob = new StompHeaders();
        claimsBob.setLogin("bob");

        List<String> answers = StompTestClient.refusedConnect(port, handshake(null), claimsBob);

        assertThat(answers).hasSize(2);
        assertThat(answers.get(0)).startsWith("ERROR Unauthenticated CONNECT refused");
        assertThat(answers.get(1)).isEqualTo("closed");
    }

    @Test
    void aLoginHeaderCannotRenameTheSignedInUser() throws Exception {
        HttpSession session = HttpSession.signIn(port, "alice");
        StompHeaders claimsBob = new StompHeaders();
        claimsBob.setLogin("bob");
        StompTestClient alice = StompTestClient.connect(port, handshake(session), claimsBob);
        try {
            BlockingQueue<Map<String, Object>> events = alice.subscribe(events());
            sync(alice);

            Map<String, Object> event = postAs(alice, events, "still alice", "bob");

            assertThat(((Map<?, ?>) event.get("source")).get("participant_id")).isEqualTo("alice");
        }
        finally {
            alice.close();
        }
    }

    /** Muting the user support-desk must not mute the application's channel that holds the id ws-support-desk. */
    @Test
    void moderatingAUserNamedLikeAnApplicationChannelLeavesTheChannelAlone() throws Exception {
        kit.processInbound(InboundMessage.text("ws-support-desk", "desk", "How can we help?"), room);
        kit.addParticipant(room, "alice", ParticipantRole.OWNER);
        StompTestClient alice = connect(HttpSession.signIn(port, "alice"), false);

        alice.send(app("moderate"), Map.of("action", "mute", "user_id", "support-desk"));
        Map<String, Object> refusedMute = alice.nextError();
        alice.send(app("moderate"), Map.of("action", "unmute", "user_id", "support-desk"));
        Map<String, Object> refusedUnmute = alice.nextError();

        assertThat(refusedMute).containsEntry("code", "not_authorized").containsEntry("destination", app("moderate"));
        assertThat(refusedUnmute).containsEntry("code", "not_authorized");
        assertThat(kit.getBinding(room, "ws-support-desk")).get().extracting(ChannelBinding::muted).isEqualTo(false);
        assertThat(kit.processInbound(InboundMessage.text("ws-support-desk", "desk", "Still here"), room).blocked())
                .isFalse();
    }

    /** Issue 15: a user named like an application channel wrote through it, sharing its markers and bindings. */
    @Test
    void aUserNamedLikeAnApplicationChannelCannotWriteThroughIt() throws Exception {
        RoomEvent welcome = kit.processInbound(InboundMessage.text("ws-support-desk", "desk", "How can we help?"),
                room).event();
        StompTestClient desk = connect(HttpSession.signIn(port, "support-desk"), false);
        BlockingQueue<Map<String, Object>> events = desk.subscribe(events());
        Map<String, Object> history = sync(desk);
        assertThat(history.get("unread")).as("not the application channel's unread count").isEqualTo(0);

        desk.send(app("messages"), Map.of("content", "I am the desk now"));
        Map<String, Object> refused = desk.nextError();
        desk.send(app("read"), Map.of("event_id", welcome.id()));
        Map<String, Object> refusedRead = desk.nextError();

        assertThat(refused).containsEntry("code", "not_authorized").containsEntry("destination", app("messages"));
        assertThat((String) refused.get("message")).contains("ws-support-desk");
        assertThat(refusedRead).containsEntry("code", "not_authorized").containsEntry("destination", app("read"));
        assertThat(stored()).extracting(event -> event.content().plainText()).containsExactly("How can we help?");
        assertThat(kit.readMarkers(room)).doesNotContainKey("ws-support-desk");
        assertThat(kit.channel("ws-support-desk")).get().isNotInstanceOf(UserChannel.class);
        // the connection stays usable: the desk can still read the room
        StompTestClient alice = connect(HttpSession.signIn(port, "alice"), false);
        alice.subscribe(events());
        sync(alice);
        alice.send(app("messages"), Map.of("content", "hello desk"));
        await(events, text("hello desk"));
    }
}
