package io.roomkit.spring.stomp;

import io.roomkit.spring.stomp.app.StompTestApplication;
import io.roomkit.spring.test.ClockedTypingTracker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.roomkit.spring.stomp.Frames.is;
import static io.roomkit.spring.stomp.StompTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Typing renewals and stops through STOMP, on the test's clock ({@link ClockedTypingTracker}): the test decides
 * when time passes and when the expiry sweep runs, so renewals need no sleeps and the outcome is the same on a
 * loaded machine. Timeout 1 s. The context is this class's own (its tracker replaces the auto-configured one), so
 * the first access check meets a cold store: the store timeout is generous, not the subject here.
 */
@SpringBootTest(classes = StompTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "roomkit.websocket.trust-client-login=true", "roomkit.websocket.open-rooms=true",
                "roomkit.typing.timeout=1s", "roomkit.store.timeout=30s" })
@Import(ClockedTypingTracker.Config.class)
class TypingRenewalTest extends TypingRoomFixture {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    @Autowired
    ClockedTypingTracker tracker;

    @AfterEach
    void clearArmedStarts() {
        // a test that failed half-way leaves no start armed for the next one to count
        tracker.advance(TIMEOUT.multipliedBy(10));
        tracker.sweep();
    }

    @Test
    void aStartEndsAtTheFirstSweepAtItsDeadlineNotBefore() throws Exception {
        typing(true);
        await(observed, is("typing_start", alice));

        tracker.advance(TIMEOUT.minusNanos(1));
        assertThat(tracker.sweep()).as("starts ended a nanosecond before the deadline").isZero();
        tracker.advance(Duration.ofNanos(1));
        assertThat(tracker.sweep()).as("starts ended at the deadline").isOne();

        await(observed, is("typing_stop", alice));
    }

    @Test
    void renewingTheTypingStartKeepsItAlive() throws Exception {
        typing(true);
        await(observed, is("typing_start", alice));
        tracker.awaitStarts(room, alice, 1);
        for (int renewal = 1; renewal <= 4; renewal++) {
            tracker.advance(TIMEOUT.multipliedBy(7).dividedBy(10));
            typing(true);
            tracker.awaitStarts(room, alice, 1);
            assertThat(tracker.sweep()).as("starts ended after renewal %d", renewal).isZero();
        }
        // 2.8 timeouts have passed since the first start, the start lives on from the last renewal

        tracker.advance(TIMEOUT.minusNanos(1));
        assertThat(tracker.sweep()).as("starts ended just before a timeout after the last renewal").isZero();
        tracker.advance(Duration.ofNanos(1));
        assertThat(tracker.sweep()).as("starts ended one timeout after the last renewal").isOne();

        List<Map<String, Object>> seen = new ArrayList<>();
        seen.add(await(observed, is("typing_stop", alice)));
        observed.drainTo(seen);
        assertThat(seen).filteredOn(is("typing_stop", alice)).as("typing stops").hasSize(1);
    }

    @Test
    void anExplicitStopPublishesOneTypingStopAndNoExpiryLater() throws Exception {
        typing(true);
        await(observed, is("typing_start", alice));

        typing(false);
        await(observed, is("typing_stop", alice));

        tracker.advance(TIMEOUT.multipliedBy(2));
        assertThat(tracker.sweep()).as("starts ended after an explicit stop").isZero();
    }

}
