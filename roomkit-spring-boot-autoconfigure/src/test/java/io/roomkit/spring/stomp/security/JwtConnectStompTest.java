package io.roomkit.spring.stomp.security;

import io.roomkit.model.EventSource;
import io.roomkit.spring.stomp.StompTestClient;
import io.roomkit.spring.stomp.UserChannel;
import io.roomkit.spring.stomp.security.app.SecuredChatApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.messaging.simp.stomp.StompHeaders;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients without cookies authenticate with a bearer JWT in the CONNECT frame, checked by the application's
 * {@code JwtDecoder} (real Spring Security, a key generated for the run, no network).
 */
// the store may wait as long as it needs: these tests are about identity, and a cold JVM is slow
@SpringBootTest(classes = SecuredChatApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "roomkit.websocket.open-rooms=true", "roomkit.websocket.trust-client-login=true",
                "roomkit.store.timeout=0" })
class JwtConnectStompTest extends SecuredStompSupport {

    @Test
    void aValidTokenConnectsAsItsSubjectWhateverThePayloadSays() throws Exception {
        StompTestClient carol = connectWithToken(token("carol"));
        BlockingQueue<Map<String, Object>> events = carol.subscribe(events());
        sync(carol);

        Map<String, Object> event = postAs(carol, events, "from a mobile app", "alice");

        assertThat(((Map<?, ?>) event.get("source")).get("participant_id")).isEqualTo("carol");
        EventSource source = stored().get(0).source();
        assertThat(source.participantId()).isEqualTo("carol");
        assertThat(source.channelId()).isEqualTo("ws-carol");
    }

    @Test
    void anExpiredTokenIsRefusedWithAnErrorFrame() throws Exception {
        String expired = token("carol", tokenKeys, Instant.now().minus(Duration.ofMinutes(10)));

        assertRefused(withToken(expired), "ERROR CONNECT refused (invalid_token)");
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefusedWithAnErrorFrame() throws Exception {
        String forged = token("carol", otherKeys(), Instant.now().plus(Duration.ofMinutes(5)));

        assertRefused(withToken(forged), "ERROR CONNECT refused (invalid_token)");
    }

    @Test
    void aMalformedTokenIsRefusedWithAnErrorFrame() throws Exception {
        assertRefused(withToken("not-a-jwt"), "ERROR CONNECT refused (invalid_token)");
    }

    @Test
    void aValidTokenForANameRoomKitCannotActForIsRefused() throws Exception {
        assertRefused(withToken(token("line\nbreak")), "ERROR CONNECT refused: RoomKit cannot act for a user");
        assertRefused(withToken(token("x".repeat(UserChannel.MAX_NAME_LENGTH + 1))),
                "ERROR CONNECT refused: RoomKit cannot act for a user");
    }

    @Test
    void anotherAuthorizationSchemeIsRefusedWithAnErrorFrame() throws Exception {
        StompHeaders basic = new StompHeaders();
        basic.add("Authorization", "Basic YWxpY2U6c2VjcmV0");

        assertRefused(basic, "ERROR CONNECT refused (invalid_request)");
    }

    @Test
    void withoutTokenOrSessionTheConnectIsRefusedWithAnErrorFrame() throws Exception {
        StompHeaders claimsCarol = new StompHeaders();
        claimsCarol.setLogin("carol");

        assertRefused(claimsCarol, "ERROR Unauthenticated CONNECT refused");
    }

    @Test
    void aTokenOfAnotherUserThanTheSignedInSessionIsRefused() throws Exception {
        HttpSession alice = HttpSession.signIn(port, "alice");

        List<String> answers = StompTestClient.refusedConnect(port, handshake(alice),
                connectHeaders(alice, false, token("bob")));

        assertThat(answers).first().asString().startsWith("ERROR CONNECT refused (invalid_token)");
        assertThat(answers).last().isEqualTo("closed");
    }

    @Test
    void aTokenOfTheSignedInUserIsAccepted() throws Exception {
        HttpSession session = HttpSession.signIn(port, "alice");
        StompTestClient alice = StompTestClient.connect(port, handshake(session),
                connectHeaders(session, false, token("alice")));
        try {
            BlockingQueue<Map<String, Object>> events = alice.subscribe(events());
            sync(alice);
            assertThat(((Map<?, ?>) postAs(alice, events, "both", "bob").get("source")).get("participant_id"))
                    .isEqualTo("alice");
        }
        finally {
            alice.close();
        }
    }

    private static StompHeaders withToken(String token) {
        return connectHeaders(null, false, token);
    }

    private void assertRefused(StompHeaders connect, String error) throws Exception {
        List<String> answers = StompTestClient.refusedConnect(port, handshake(null), connect);

        assertThat(answers).as("what the server answered").hasSize(2);
        assertThat(answers.get(0)).startsWith(error);
        assertThat(answers.get(1)).isEqualTo("closed");
    }
}
