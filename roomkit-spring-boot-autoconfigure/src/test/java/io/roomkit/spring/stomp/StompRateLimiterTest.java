package io.roomkit.spring.stomp;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKit;
import io.roomkit.spring.boot.RoomKitProperties;
import io.roomkit.spring.stomp.StompRateLimiter.Refusal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.security.Principal;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The limiter on a clock the test moves: which frames each limit counts, and what a refusal says. */
class StompRateLimiterTest {

    private static final Principal ALICE = new StompPrincipal("alice");
    private static final Principal BOB = new StompPrincipal("bob");

    private final AtomicLong now = new AtomicLong(42);
    private final StompRateLimiter limiter = new StompRateLimiter(
            new RoomKitProperties.Limits(true, 2, 3, 4, 2, 1, 1, 3, 2), now::get);
    private final RoomKit kit = new RoomKit();

    @AfterEach
    void closeKit() {
        kit.close();
    }

    @Test
    void messagesEditsAndDeletesShareTheUsersPersistentBucket() {
        assertThat(limiter.send(ALICE, "messages")).isEmpty();
        assertThat(limiter.send(ALICE, "edit")).isEmpty();
        assertThat(limiter.send(ALICE, "delete")).isEmpty();

        Refusal refusal = limiter.send(ALICE, "messages").orElseThrow();

        assertThat(refusal.limit()).isEqualTo(StompLimit.MESSAGES);
        assertThat(refusal.retryAfterMillis()).isEqualTo(500);
        assertThat(refusal.message()).contains("at most 3 at once, then 2 per second").endsWith("in 500 ms");
        assertThat(limiter.send(ALICE, "moderate")).as("an action added later counts as persistent").isPresent();
        assertThat(limiter.send(ALICE, "typing")).as("ephemeral frames have their own bucket").isEmpty();
        assertThat(limiter.send(BOB, "messages")).as("each user has their own").isEmpty();
        assertThat(limiter.refusedCount(StompLimit.MESSAGES)).isEqualTo(2);
    }

    @Test
    void typingPresenceReactionsAndReadShareTheEphemeralBucket() {
        assertThat(limiter.send(ALICE, "typing")).isEmpty();
        assertThat(limiter.send(ALICE, "presence")).isEmpty();

        assertThat(limiter.send(ALICE, "reactions").map(Refusal::limit)).contains(StompLimit.EPHEMERAL);
        assertThat(limiter.send(ALICE, "read").map(Refusal::retryAfterMillis)).contains(250L);
        now.addAndGet(Duration.ofMillis(250).toNanos());
        assertThat(limiter.send(ALICE, "read")).as("one token back after the advertised wait").isEmpty();
        assertThat(limiter.send(ALICE, "messages")).isEmpty();
    }

    @Test
    void historyRequestsHaveTheirOwnBucket() {
        assertThat(limiter.history(ALICE)).isEmpty();

        assertThat(limiter.history(ALICE).map(Refusal::retryAfterMillis)).contains(1_000L);
        assertThat(limiter.send(ALICE, "messages")).isEmpty();
        assertThat(limiter.history(BOB)).isEmpty();
    }

    @Test
    void aSessionHoldsAtMostItsSubscriptionsAndWaitingDoesNotHelp() {
        assertThat(limiter.subscription(2)).isEmpty();

        Refusal refusal = limiter.subscription(3).orElseThrow();

        assertThat(refusal.limit()).isEqualTo(StompLimit.SUBSCRIPTIONS);
        assertThat(refusal.retryAfter()).isNull();
        assertThat(refusal.retryAfterMillis()).isNull();
        assertThat(refusal.message()).contains("unsubscribe");
        assertThat(limiter.refusedCount(StompLimit.SUBSCRIPTIONS)).isEqualTo(1);
    }

    @Test
    void roomsAreLimitedPerMinuteAfterThePolicyAdmittedThem() {
        RoomCreationPolicy policy = limiter.limiting((user, roomId) -> !roomId.startsWith("forbidden-"));

        assertThat(policy.mayCreate(ALICE, "forbidden-1")).isFalse();
        assertThat(policy.mayCreate(ALICE, "r1")).isTrue();
        assertThat(policy.mayCreate(ALICE, "r2")).as("the refused room cost no token").isTrue();
        RateLimitedException limited = catchLimited(() -> policy.mayCreate(ALICE, "r3"));

        assertThat(limited.code()).isEqualTo(ErrorCodes.RATE_LIMITED);
        assertThat(limited.limit()).isEqualTo(StompLimit.ROOMS);
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(limited.getMessage()).contains("at most 2 a minute");
        assertThat(policy.mayCreate(BOB, "r3")).isTrue();
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(policy.mayCreate(ALICE, "r4")).isTrue();
        assertThat(limiter.refusedCount(StompLimit.ROOMS)).isEqualTo(1);
    }

    @Test
    void theDefaultAccessPolicyAsksTheCreationPolicyOnlyForRoomsThatDoNotExist() {
        kit.createRoom("existing");
        RoomAccessPolicy access = new MembershipAccessPolicy(kit, true,
                limiter.limiting((user, roomId) -> !roomId.startsWith("forbidden-")));

        assertThat(access.canSubscribe(ALICE, "forbidden-1")).isFalse();
        assertThat(kit.getRoom("forbidden-1")).isEmpty();
        assertThat(access.canSubscribe(ALICE, "new-1")).isTrue();
        assertThat(access.canSend(ALICE, "new-2")).isTrue();
        catchLimited(() -> access.canSubscribe(ALICE, "new-3"));
        assertThat(kit.getRoom("new-3")).as("nothing stored").isEmpty();
        assertThat(kit.getParticipant("new-3", "alice")).isEmpty();
        assertThat(access.canSubscribe(ALICE, "existing")).as("joining is not creating").isTrue();
        assertThat(access.canSend(ALICE, "new-1")).as("nor is using a room again").isTrue();
    }

    @Test
    void disabledLimitsRefuseNothing() {
        StompRateLimiter off = StompRateLimiter.unlimited();
        for (int i = 0; i < 100; i++) {
            assertThat(off.send(ALICE, "messages")).isEmpty();
            assertThat(off.send(ALICE, "typing")).isEmpty();
            assertThat(off.history(ALICE)).isEmpty();
            assertThat(off.roomCreation(ALICE)).isEmpty();
        }
        assertThat(off.subscription(10_000)).isEmpty();
        assertThat(StompLimit.values()).allSatisfy(limit -> assertThat(off.refusedCount(limit)).isZero());
    }

    @Test
    void sweepingDropsOnlyTheBucketsThatAreFullAgain() {
        limiter.send(ALICE, "messages");
        limiter.send(BOB, "messages");
        now.addAndGet(Duration.ofMillis(400).toNanos());
        limiter.send(BOB, "messages");

        limiter.sweep();   // 400 ms on: alice's one token (500 ms) is not back yet
        assertThat(limiter.trackedUsers(StompLimit.MESSAGES)).isEqualTo(2);
        now.addAndGet(Duration.ofMillis(100).toNanos());
        limiter.sweep();

        assertThat(limiter.trackedUsers(StompLimit.MESSAGES)).as("bob").isEqualTo(1);
    }

    @Test
    void limitsThatWouldRefuseEverythingFailAtStartUpNamingTheProperty() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RoomKitProperties.Limits(true, 0, 3, 4, 2, 1, 1, 3, 2))
                .withMessageContaining("roomkit.websocket.limits.messages-per-second");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RoomKitProperties.Limits(true, 1, 3, 4, 2, 1, 1, 3, 0))
                .withMessageContaining("roomkit.websocket.limits.rooms-per-minute");
    }

    private static RateLimitedException catchLimited(Runnable call) {
        try {
            call.run();
        }
        catch (RateLimitedException limited) {
            return limited;
        }
        throw new AssertionError("expected rate_limited");
    }
}
