package io.roomkit.spring.stomp;

import io.roomkit.spring.stomp.app.StompTestApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;

import static io.roomkit.spring.stomp.Frames.history;
import static io.roomkit.spring.stomp.Frames.is;
import static io.roomkit.spring.stomp.StompTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Typing expiry on the real clock and scheduler, end to end: a start that is not renewed ends by itself. Renewals
 * and explicit stops, which need time to pass at chosen instants, are in {@link TypingRenewalTest} on a test clock.
 */
@SpringBootTest(classes = StompTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "roomkit.websocket.trust-client-login=true", "roomkit.websocket.open-rooms=true",
                "roomkit.typing.timeout=1s" })
class TypingExpiryTest {

    private static final long EARLIEST_EXPIRY_MS = 800;

    @LocalServerPort
    int port;

    private final List<StompTestClient> clients = new ArrayList<>();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String room = "room-" + suffix;
    private final String alice = "alice-" + suffix;
    private StompTestClient aliceClient;
    private BlockingQueue<Map<String, Object>> observed;

    @BeforeEach
    void connect() throws Exception {
        StompTestClient bob = StompTestClient.connect(port, "bob-" + suffix);
        clients.add(bob);
        observed = bob.subscribe("/topic/rooms." + room + ".ephemeral");
        history(bob, "/app/rooms." + room + ".history");
        aliceClient = StompTestClient.connect(port, alice);
        clients.add(aliceClient);
    }

    @AfterEach
    void disconnect() {
        clients.forEach(StompTestClient::close);
    }

    @Test
    void aTypingStartThatIsNotRenewedIsFollowedByATypingStop() throws Exception {
        long sent = System.nanoTime();
        typing(true);
        await(observed, is("typing_start", alice));

        await(observed, is("typing_stop", alice));

        assertThat(millisSince(sent)).isGreaterThanOrEqualTo(EARLIEST_EXPIRY_MS);
    }

    private void typing(boolean typing) {
        aliceClient.send("/app/rooms." + room + ".typing", Map.of("typing", typing));
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }
}
