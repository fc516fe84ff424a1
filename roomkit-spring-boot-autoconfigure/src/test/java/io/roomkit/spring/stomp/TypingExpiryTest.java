package io.roomkit.spring.stomp;

import io.roomkit.spring.stomp.app.StompTestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import java.time.Duration;

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
class TypingExpiryTest extends TypingRoomFixture {

    private static final long EARLIEST_EXPIRY_MS = 800;

    @Test
    void aTypingStartThatIsNotRenewedIsFollowedByATypingStop() throws Exception {
        long sent = System.nanoTime();
        typing(true);
        await(observed, is("typing_start", alice));

        await(observed, is("typing_stop", alice));

        assertThat(millisSince(sent)).isGreaterThanOrEqualTo(EARLIEST_EXPIRY_MS);
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }
}
