package io.roomkit.spring.stomp;

import io.roomkit.spring.support.TokenBucket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.security.Principal;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The rate limits of STOMP clients ({@code roomkit.websocket.limits.*}), asked by the
 * {@link RoomKitStompInterceptor} before a frame does any work (before the access check, which reads the store):
 * <ul>
 * <li>persistent frames, ephemeral frames and history requests: a token bucket per user and kind, shared by all
 * of the user's connections, so that opening more connections buys no more;</li>
 * <li>subscriptions: a cap per session (connection) on the topic and error-queue subscriptions it holds;</li>
 * <li>new rooms: a token bucket per user, applied through {@link #limiting(RoomCreationPolicy)} when the access
 * policy is about to create a room.</li>
 * </ul>
 * A refusal is a {@link Refusal} with the wait after which the frame would be accepted; each is counted per
 * {@link StompLimit}. Buckets are per node, and a full bucket is the same as none, so {@link #sweep()} drops
 * those of users who have been quiet long enough.
 */
public class StompRateLimiter {

    private static final Logger log = LoggerFactory.getLogger(StompRateLimiter.class);
    /** The ephemeral actions; every other action (messages, edit, delete, and any added later) is persistent. */
    private static final Set<String> EPHEMERAL_ACTIONS = Set.of("typing", "presence", "reactions", "read");

    private final boolean enabled;
    private final int subscriptionsPerSession;
    private final LongSupplier clock;
    private final Map<StompLimit, UserBuckets> buckets = new EnumMap<>(StompLimit.class);
    private final Map<StompLimit, LongAdder> refused = new EnumMap<>(StompLimit.class);

    /** Limits on {@link System#nanoTime()}. */
    public StompRateLimiter(StompRateLimits limits) {
        this(limits, System::nanoTime);
    }

    /**
     * @param limits    the configured limits
     * @param nanoClock the time in nanoseconds, as {@link System#nanoTime()} (tests pass a clock they move)
     */
    public StompRateLimiter(StompRateLimits limits, LongSupplier nanoClock) {
        this.enabled = limits.enabled();
        this.subscriptionsPerSession = limits.subscriptionsPerSession();
        this.clock = nanoClock;
        buckets.put(StompLimit.MESSAGES, new UserBuckets(StompLimit.MESSAGES,
                TokenBucket.interval(limits.messagesPerSecond()), limits.messagesBurst(),
                "Too many messages, edits and deletes: at most " + limits.messagesBurst() + " at once, then "
                        + number(limits.messagesPerSecond()) + " per second"));
        buckets.put(StompLimit.EPHEMERAL, new UserBuckets(StompLimit.EPHEMERAL,
                TokenBucket.interval(limits.ephemeralPerSecond()), limits.ephemeralBurst(),
                "Too many typing, presence, reaction and read frames: at most " + limits.ephemeralBurst()
                        + " at once, then " + number(limits.ephemeralPerSecond()) + " per second"));
        buckets.put(StompLimit.HISTORY, new UserBuckets(StompLimit.HISTORY,
                TokenBucket.interval(limits.historyPerSecond()), limits.historyBurst(),
                "Too many history requests: at most " + limits.historyBurst() + " at once, then "
                        + number(limits.historyPerSecond()) + " per second"));
        buckets.put(StompLimit.ROOMS, new UserBuckets(StompLimit.ROOMS,
                TimeUnit.MINUTES.toNanos(1) / limits.roomsPerMinute(), limits.roomsPerMinute(),
                "Too many new rooms: at most " + limits.roomsPerMinute() + " a minute"));
        for (StompLimit limit : StompLimit.values()) {
            refused.put(limit, new LongAdder());
        }
    }

    /** Limits that refuse nothing ({@code roomkit.websocket.limits.enabled=false}). */
    public static StompRateLimiter unlimited() {
        return new StompRateLimiter(Unlimited.INSTANCE);
    }

    /** Why a frame was refused, and after how long the same frame would be accepted ({@code null}: not by waiting). */
    public record Refusal(StompLimit limit, Duration retryAfter, String message) {

        /** {@link #retryAfter()} in whole milliseconds, rounded up; {@code null} when waiting does not help. */
        public Long retryAfterMillis() {
            return retryAfter == null ? null : roundedUpMillis(retryAfter);
        }

        private static long roundedUpMillis(Duration duration) {
            return (duration.toNanos() + 999_999) / 1_000_000;
        }
    }

    /** A SEND of {@code action} ({@code messages}, {@code typing}, ...) by {@code user}. */
    public Optional<Refusal> send(Principal user, String action) {
        StompLimit limit = EPHEMERAL_ACTIONS.contains(action) ? StompLimit.EPHEMERAL : StompLimit.MESSAGES;
        return take(limit, user);
    }

    /** A history request by {@code user}. */
    public Optional<Refusal> history(Principal user) {
        return take(StompLimit.HISTORY, user);
    }

    /** A new topic or error-queue subscription of a session that holds {@code held} already. */
    public Optional<Refusal> subscription(int held) {
        if (!enabled || held < subscriptionsPerSession) {
            return Optional.empty();
        }
        return Optional.of(refuse(StompLimit.SUBSCRIPTIONS, null, "This connection holds " + held
                + " subscriptions, the most it may: unsubscribe from one first"));
    }

    /** A new room created by {@code user}. */
    public Optional<Refusal> roomCreation(Principal user) {
        return take(StompLimit.ROOMS, user);
    }

    /**
     * {@code policy} followed by the room-creation limit: a room the policy refuses costs nothing, and one it
     * admits over the limit throws {@link RateLimitedException}.
     */
    public RoomCreationPolicy limiting(RoomCreationPolicy policy) {
        return (user, roomId) -> {
            if (!policy.mayCreate(user, roomId)) {
                return false;
            }
            roomCreation(user).ifPresent(refusal -> {
                throw new RateLimitedException(refusal);
            });
            return true;
        };
    }

    /** Frames refused by {@code limit} so far. */
    public long refusedCount(StompLimit limit) {
        return refused.get(limit).sum();
    }

    /** Drops the buckets that are full again: their users have been quiet for a whole burst. */
    public void sweep() {
        long now = clock.getAsLong();
        buckets.values().forEach(perUser -> perUser.sweep(now));
    }

    /** Users with a bucket of {@code limit} that is not yet swept (for tests). */
    int trackedUsers(StompLimit limit) {
        return buckets.get(limit).byUser.size();
    }

    private Optional<Refusal> take(StompLimit limit, Principal user) {
        if (!enabled || user == null) {
            return Optional.empty();
        }
        UserBuckets perUser = buckets.get(limit);
        long wait = perUser.take(user.getName(), clock.getAsLong());
        if (wait == 0) {
            return Optional.empty();
        }
        Duration retryAfter = Duration.ofNanos(wait);
        return Optional.of(refuse(limit, retryAfter, perUser.description + "; send again in "
                + Refusal.roundedUpMillis(retryAfter) + " ms"));
    }

    private Refusal refuse(StompLimit limit, Duration retryAfter, String message) {
        refused.get(limit).increment();
        return new Refusal(limit, retryAfter, message);
    }

    private static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** One limit's buckets, by user id. */
    private static final class UserBuckets {

        private final StompLimit limit;
        private final long interval;
        private final int burst;
        private final String description;
        private final Map<String, TokenBucket> byUser = new ConcurrentHashMap<>();
        /** Users refused since their last accepted frame: only the first refusal of such a run is logged at INFO. */
        private final Set<String> overLimit = ConcurrentHashMap.newKeySet();

        UserBuckets(StompLimit limit, long interval, int burst, String description) {
            this.limit = limit;
            this.interval = interval;
            this.burst = burst;
            this.description = description;
        }

        long take(String userId, long now) {
            long wait = byUser.computeIfAbsent(userId, id -> new TokenBucket(interval, burst, now)).tryTake(now);
            if (wait == 0) {
                if (!overLimit.isEmpty()) {
                    overLimit.remove(userId);
                }
            }
            else if (overLimit.add(userId)) {
                log.info("User {} is over the {} limit; refusing their frames until it allows more", userId,
                        limit.tag());
            }
            return wait;
        }

        /**
         * A bucket taken from while it is being removed lets its user have one frame more than the limit once:
         * not worth a lock on every frame.
         */
        void sweep(long now) {
            byUser.entrySet().removeIf(entry -> entry.getValue().isFull(now));
            overLimit.removeIf(userId -> !byUser.containsKey(userId));
        }
    }

    /** Limits that are off; the rates only keep the buckets valid. */
    private enum Unlimited implements StompRateLimits {
        INSTANCE;

        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public double messagesPerSecond() {
            return 1;
        }

        @Override
        public int messagesBurst() {
            return 1;
        }

        @Override
        public double ephemeralPerSecond() {
            return 1;
        }

        @Override
        public int ephemeralBurst() {
            return 1;
        }

        @Override
        public double historyPerSecond() {
            return 1;
        }

        @Override
        public int historyBurst() {
            return 1;
        }

        @Override
        public int subscriptionsPerSession() {
            return 1;
        }

        @Override
        public int roomsPerMinute() {
            return 1;
        }
    }
}
