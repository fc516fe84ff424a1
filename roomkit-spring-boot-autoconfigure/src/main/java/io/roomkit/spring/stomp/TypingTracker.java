package io.roomkit.spring.stomp;

import io.roomkit.RoomKit;
import org.springframework.scheduling.TaskScheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Typing indicators that end by themselves: a TYPING_START that is neither renewed nor stopped within the
 * timeout is followed by a TYPING_STOP, and a user who disconnects stops typing everywhere. Each start arms
 * an expiry that fires only if no later start or stop (on any node, with a shared {@link TypingState})
 * replaced it.
 */
public class TypingTracker {

    private final RoomKit kit;
    private final TaskScheduler scheduler;
    private final Duration timeout;
    private final TypingState state;
    private final Map<String, Long> lastStart = new ConcurrentHashMap<>();

    public TypingTracker(RoomKit kit, TaskScheduler scheduler, Duration timeout) {
        this(kit, scheduler, timeout, new LocalTypingState());
    }

    public TypingTracker(RoomKit kit, TaskScheduler scheduler, Duration timeout, TypingState state) {
        this.kit = kit;
        this.scheduler = scheduler;
        this.timeout = timeout;
        this.state = state;
    }

    /**
     * Publishes TYPING_START and (re)arms its expiry. A renewal within a tenth of the timeout of the last one is
     * absorbed, so that a client sending typing frames in a loop costs neither broadcasts nor timers.
     */
    public void start(String roomId, String userId) {
        String key = roomId + '\u0000' + userId;
        long now = System.nanoTime();
        Long previous = lastStart.get(key);
        if (previous != null && now - previous < timeout.toNanos() / 10 && state.isArmed(roomId, userId)) {
            return;
        }
        lastStart.put(key, now);
        String token = state.arm(roomId, userId);
        kit.publishTyping(roomId, userId, true);
        scheduler.schedule(() -> expire(roomId, userId, token), Instant.now().plus(timeout));
    }

    /** Publishes TYPING_STOP and disarms the expiry. */
    public void stop(String roomId, String userId) {
        lastStart.remove(roomId + '\u0000' + userId);
        state.disarm(roomId, userId);
        kit.publishTyping(roomId, userId, false);
    }

    /** Stops the user's typing in those of {@code roomIds} where they are typing. */
    public void stopAll(String userId, Set<String> roomIds) {
        for (String roomId : roomIds) {
            lastStart.remove(roomId + '\u0000' + userId);
            if (state.disarm(roomId, userId)) {
                kit.publishTyping(roomId, userId, false);
            }
        }
    }

    public boolean isTyping(String roomId, String userId) {
        return state.isArmed(roomId, userId);
    }

    private void expire(String roomId, String userId, String token) {
        if (state.disarmIf(roomId, userId, token)) {
            lastStart.remove(roomId + '\u0000' + userId);
            kit.publishTyping(roomId, userId, false);
        }
    }
}
