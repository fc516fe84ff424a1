package io.roomkit.spring.stomp.security;

import io.roomkit.spring.stomp.StompTestClient;
import io.roomkit.spring.stomp.security.app.SecuredChatApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Beside Spring Security's message security ({@code @EnableWebSocketSecurity} with an
 * {@code AuthorizationManager<Message<?>>}): a CONNECT of a cookie session must carry the session's CSRF token, a
 * CONNECT with a bearer token need not, and refusals of the application's rules reach the client.
 */
// the store may wait as long as it needs: these tests are about identity, and a cold JVM is slow
@SpringBootTest(classes = SecuredChatApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "roomkit.websocket.open-rooms=true", "roomkit-test.message-security=true",
                "roomkit.store.timeout=0" })
class MessageSecurityStompTest extends SecuredStompSupport {

    @Test
    void aSessionConnectWithItsCsrfTokenIsAccepted() throws Exception {
        StompTestClient alice = connect(HttpSession.signIn(port, "alice"), true);
        BlockingQueue<Map<String, Object>> events = alice.subscribe(events());
        sync(alice);

        Map<String, Object> event = postAs(alice, events, "with csrf", "bob");

        assertThat(((Map<?, ?>) event.get("source")).get("participant_id")).isEqualTo("alice");
    }

    @Test
    void aSessionConnectWithoutCsrfTokenIsRefusedWithAnErrorFrame() throws Exception {
        HttpSession alice = HttpSession.signIn(port, "alice");

        List<String> answers = StompTestClient.refusedConnect(port, handshake(alice),
                connectHeaders(alice, false, null));

        assertThat(answers).hasSize(2);
        assertThat(answers.get(0)).startsWith("ERROR CONNECT refused (invalid_csrf_token)");
        assertThat(answers.get(1)).isEqualTo("closed");
    }

    @Test
    void theCsrfTokenOfAnotherSessionIsRefused() throws Exception {
        HttpSession alice = HttpSession.signIn(port, "alice");
        HttpSession bob = HttpSession.signIn(port, "bob");

        List<String> answers = StompTestClient.refusedConnect(port, handshake(alice),
                connectHeaders(new HttpSession(alice.cookie(), bob.csrfHeader(), bob.csrfToken()), true, null));

        assertThat(answers).first().asString().startsWith("ERROR CONNECT refused (invalid_csrf_token)");
    }

    @Test
    void aBearerTokenConnectNeedsNoCsrfToken() throws Exception {
        StompTestClient carol = connectWithToken(token("carol"));
        BlockingQueue<Map<String, Object>> events = carol.subscribe(events());
        sync(carol);

        Map<String, Object> event = postAs(carol, events, "from a phone", "alice");

        assertThat(((Map<?, ?>) event.get("source")).get("participant_id")).isEqualTo("carol");
    }

    @Test
    void anAnonymousConnectIsRefusedWithAnErrorFrame() throws Exception {
        List<String> answers = StompTestClient.refusedConnect(port, handshake(null), connectHeaders(null, false, null));

        assertThat(answers).hasSize(2);
        assertThat(answers.get(0)).startsWith("ERROR");
        assertThat(answers.get(1)).isEqualTo("closed");
    }

    @Test
    void aSubscriptionTheApplicationsRulesRefuseIsReportedAndTheConnectionStaysOpen() throws Exception {
        StompTestClient alice = connect(HttpSession.signIn(port, "alice"), true);
        String staffOnly = "/topic/rooms.staff-" + room + ".events";

        alice.subscribe(staffOnly);

        assertThat(alice.nextError()).containsEntry("code", "not_authorized").containsEntry("destination", staffOnly);
        BlockingQueue<Map<String, Object>> events = alice.subscribe(events());
        sync(alice);
        postAs(alice, events, "still connected", "bob");
    }
}
