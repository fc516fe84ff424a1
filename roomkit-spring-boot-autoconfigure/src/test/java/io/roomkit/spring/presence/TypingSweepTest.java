package io.roomkit.spring.presence;

import io.roomkit.RoomKit;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import io.roomkit.spring.redis.RedisTypingState;
import io.roomkit.spring.test.TestServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Typing expiry by periodic sweeps, on a test clock: a start ends at the first sweep at or after its deadline,
 * so within the timeout plus one sweep period, never before the timeout, whatever the typing state.
 */
class TypingSweepTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long TIMEOUT_NANOS = TIMEOUT.toNanos();
    private static final long PERIOD_NANOS = TypingTracker.sweepPeriod(TIMEOUT).toNanos();

    private final RoomKit kit = new RoomKit();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<EphemeralEvent> seen = new CopyOnWriteArrayList<>();
    private LettuceConnectionFactory redis;

    TypingSweepTest() {
        kit.subscribeRoom("room-1", seen::add);
    }

    @AfterEach
    void close() {
        kit.close();
        if (redis != null) {
            redis.destroy();
        }
    }

    @Test
    void theSweepPeriodIsATenthOfTheTimeout() {
        assertThat(TypingTracker.sweepPeriod(TIMEOUT)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aStartThatIsNotRenewedEndsWithinTheTimeoutPlusOneSweep() {
        TypingTracker typing = tracker(new LocalTypingState());
        long started = now.get();
        typing.start("room-1", "alice");

        long endedAt = sweepUntilOneEnds(typing, started);

        assertThat(endedAt - started).isBetween(TIMEOUT_NANOS, TIMEOUT_NANOS + PERIOD_NANOS);
        assertThat(typing.isTyping("room-1", "alice")).isFalse();
        awaitTypes(EphemeralEventType.TYPING_START, EphemeralEventType.TYPING_STOP);
    }

    @Test
    void aSweepJustBeforeTheDeadlineEndsNothing() {
        TypingTracker typing = tracker(new LocalTypingState());
        long started = now.get();
        typing.start("room-1", "alice");

        now.set(started + TIMEOUT_NANOS - 1);
        assertThat(typing.sweep()).isZero();
        assertThat(typing.isTyping("room-1", "alice")).isTrue();

        now.set(started + TIMEOUT_NANOS);
        assertThat(typing.sweep()).isOne();
    }

    @Test
    void renewalsPushTheExpiryBackEvenWhenTheyAreAbsorbed() {
        TypingTracker typing = tracker(new LocalTypingState());
        long started = now.get();
        typing.start("room-1", "alice");
        // within a tenth of the timeout: absorbed (no second TYPING_START), but the deadline moves
        now.set(started + PERIOD_NANOS / 2);
        typing.start("room-1", "alice");
        long lastRenewal = now.get();

        long endedAt = sweepUntilOneEnds(typing, started);

        assertThat(endedAt - lastRenewal).isBetween(TIMEOUT_NANOS, TIMEOUT_NANOS + PERIOD_NANOS);
        awaitTypes(EphemeralEventType.TYPING_START, EphemeralEventType.TYPING_STOP);
    }

    @Test
    void anExplicitStopLeavesNothingToExpire() {
        TypingTracker typing = tracker(new LocalTypingState());
        typing.start("room-1", "alice");
        typing.stop("room-1", "alice");

        now.addAndGet(TIMEOUT_NANOS + PERIOD_NANOS);

        assertThat(typing.sweep()).isZero();
        awaitTypes(EphemeralEventType.TYPING_START, EphemeralEventType.TYPING_STOP);
    }

    @Test
    void onSharedRedisStateARenewalOnAnotherNodeKeepsThisNodesSweepFromEndingIt() {
        TestServices.requireRedis();
        redis = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379));
        redis.afterPropertiesSet();
        redis.start();
        String prefix = "roomkit-test-" + UUID.randomUUID();
        TypingTracker nodeA = tracker(new RedisTypingState(new StringRedisTemplate(redis), prefix, TIMEOUT));
        TypingTracker nodeB = tracker(new RedisTypingState(new StringRedisTemplate(redis), prefix, TIMEOUT));
        long started = now.get();
        nodeA.start("room-1", "alice");
        now.set(started + TIMEOUT_NANOS / 2);
        nodeB.start("room-1", "alice");
        long renewed = now.get();

        now.set(started + TIMEOUT_NANOS + PERIOD_NANOS);
        assertThat(nodeA.sweep()).as("node A's start was replaced by node B's").isZero();
        assertThat(nodeA.isTyping("room-1", "alice")).isTrue();

        long endedAt = sweepUntilOneEnds(nodeB, now.get());
        assertThat(endedAt - renewed).isBetween(TIMEOUT_NANOS, TIMEOUT_NANOS + PERIOD_NANOS);
        assertThat(nodeA.isTyping("room-1", "alice")).isFalse();
        awaitTypes(EphemeralEventType.TYPING_START, EphemeralEventType.TYPING_START, EphemeralEventType.TYPING_STOP);
    }

    private TypingTracker tracker(TypingState state) {
        return new TypingTracker(kit, TIMEOUT, state, now::get);
    }

    /** Runs sweeps one period apart from {@code from} on, as the scheduler would; the time of the one that ended. */
    private long sweepUntilOneEnds(TypingTracker typing, long from) {
        for (long at = from + PERIOD_NANOS; at < from + 10 * TIMEOUT_NANOS; at += PERIOD_NANOS) {
            now.set(at);
            if (typing.sweep() > 0) {
                return at;
            }
        }
        throw new AssertionError("no sweep ended the typing start");
    }

    private void awaitTypes(EphemeralEventType... expected) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(seen)
                .filteredOn(event -> event.userId().equals("alice")).extracting(EphemeralEvent::type)
                .containsExactly(expected));
    }
}
