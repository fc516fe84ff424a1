package io.roomkit.spring.presence;

import io.roomkit.RoomKit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.function.LongSupplier;

/**
 * Typing indicators that end by themselves: a TYPING_START that is neither renewed nor stopped within the
 * timeout is followed by a TYPING_STOP, and a user who disconnects stops typing everywhere. Each start arms
 * an expiry that fires only if no later start or stop (on any node, with a shared {@link TypingState})
 * replaced it.
 * <p>
 * Expiry is one periodic sweep over this node's armed starts, every {@link #SWEEP_DIVISOR}th of the timeout,
 * rather than a timer per start: at a thousand typing frames a second, a timer per start woke the scheduler
 * hundreds of times a second. A start therefore ends between the timeout and the timeout plus one sweep period
 * after its last renewal.
 */
public class TypingTracker implements AutoCloseable {

    /** The sweep runs every timeout / SWEEP_DIVISOR; renewals closer than that to the last start are absorbed. */
    public static final int SWEEP_DIVISOR = 10;
    /** Shortest sweep period, for very short timeouts (tests). */
    private static final long MIN_SWEEP_NANOS = Duration.ofMillis(10).toNanos();

    private static final Logger log = LoggerFactory.getLogger(TypingTracker.class);

    private final RoomKit kit;
    private final long timeoutNanos;
    private final TypingState state;
    private final LongSupplier clock;
    private final Map<String, Armed> armed = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> sweeper;

    public TypingTracker(RoomKit kit, TaskScheduler scheduler, Duration timeout) {
        this(kit, scheduler, timeout, new LocalTypingState());
    }

    /** Schedules the sweep on {@code scheduler}; {@link #close()} cancels it. */
    public TypingTracker(RoomKit kit, TaskScheduler scheduler, Duration timeout, TypingState state) {
        this(kit, timeout, state, System::nanoTime, scheduler);
    }

    /**
     * Without a scheduler: expiry happens only when the caller runs {@link #sweep()}, at the time
     * {@code nanoClock} names (in {@link System#nanoTime()}'s units). For tests that must decide when time passes,
     * and for an application that drives expiry itself.
     */
    public TypingTracker(RoomKit kit, Duration timeout, TypingState state, LongSupplier nanoClock) {
        this(kit, timeout, state, nanoClock, null);
    }

    private TypingTracker(RoomKit kit, Duration timeout, TypingState state, LongSupplier nanoClock,
            TaskScheduler scheduler) {
        this.kit = kit;
        this.timeoutNanos = timeout.toNanos();
        this.state = state;
        this.clock = nanoClock;
        this.sweeper = scheduler == null ? null
                : scheduler.scheduleAtFixedRate(this::sweepSafely, sweepPeriod(timeout));
    }

    /** How often the sweep runs for {@code timeout}: a tenth of it, at least 10 ms. */
    public static Duration sweepPeriod(Duration timeout) {
        return Duration.ofNanos(Math.max(MIN_SWEEP_NANOS, timeout.toNanos() / SWEEP_DIVISOR));
    }

    /**
     * Publishes TYPING_START and (re)arms its expiry. A renewal within a tenth of the timeout of the last
     * published start only pushes the expiry back, so that a client sending typing frames in a loop costs neither
     * broadcasts nor writes to the typing state.
     */
    public void start(String roomId, String userId) {
        String key = key(roomId, userId);
        long now = clock.getAsLong();
        Armed previous = armed.get(key);
        if (previous != null && now - previous.startedAt < timeoutNanos / SWEEP_DIVISOR
                && state.isArmed(roomId, userId)) {
            previous.deadline = now + timeoutNanos;
            return;
        }
        String token = state.arm(roomId, userId);
        armed.put(key, new Armed(roomId, userId, token, now, now + timeoutNanos));
        kit.publishTyping(roomId, userId, true);
    }

    /** Publishes TYPING_STOP and disarms the expiry. */
    public void stop(String roomId, String userId) {
        armed.remove(key(roomId, userId));
        state.disarm(roomId, userId);
        kit.publishTyping(roomId, userId, false);
    }

    /** Stops the user's typing in those of {@code roomIds} where they are typing. */
    public void stopAll(String userId, Set<String> roomIds) {
        for (String roomId : roomIds) {
            armed.remove(key(roomId, userId));
            if (state.disarm(roomId, userId)) {
                kit.publishTyping(roomId, userId, false);
            }
        }
    }

    public boolean isTyping(String roomId, String userId) {
        return state.isArmed(roomId, userId);
    }

    /**
     * Ends the starts armed on this node whose time is up, each with a TYPING_STOP unless a later start or stop
     * (here or on another node) replaced it; returns how many it ended. Runs periodically on the scheduler given
     * to the constructor; without one, when the caller runs it.
     */
    public int sweep() {
        long now = clock.getAsLong();
        int ended = 0;
        for (Map.Entry<String, Armed> entry : armed.entrySet()) {
            Armed start = entry.getValue();
            // remove(key, start): a renewal that replaced the entry meanwhile keeps its own expiry
            if (now - start.deadline >= 0 && armed.remove(entry.getKey(), start) && expire(start)) {
                ended++;
            }
        }
        return ended;
    }

    /** One expiry; a failure (the typing state's Redis gone, say) is logged and does not stop the sweep. */
    private boolean expire(Armed start) {
        try {
            if (state.disarmIf(start.roomId, start.userId, start.token)) {
                kit.publishTyping(start.roomId, start.userId, false);
                return true;
            }
        }
        catch (RuntimeException ex) {
            log.warn("Could not end {}'s typing in room {}", start.userId, start.roomId, ex);
        }
        return false;
    }

    private void sweepSafely() {
        try {
            sweep();
        }
        catch (RuntimeException ex) {
            log.warn("Typing expiry sweep failed; the next sweep tries again", ex);
        }
    }

    /** Stops the sweep. */
    @Override
    public void close() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
    }

    private static String key(String roomId, String userId) {
        return roomId + '\u0000' + userId;
    }

    /** A start armed on this node; {@code deadline} moves on with absorbed renewals. */
    private static final class Armed {

        final String roomId;
        final String userId;
        final String token;
        final long startedAt;
        volatile long deadline;

        Armed(String roomId, String userId, String token, long startedAt, long deadline) {
            this.roomId = roomId;
            this.userId = userId;
            this.token = token;
            this.startedAt = startedAt;
            this.deadline = deadline;
        }
    }
}
