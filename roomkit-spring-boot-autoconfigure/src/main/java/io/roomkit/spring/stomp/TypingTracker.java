package io.roomkit.spring.stomp;

import io.roomkit.RoomKit;
import org.springframework.scheduling.TaskScheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

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

    public TypingTracker(RoomKit kit, TaskScheduler scheduler, Duration timeout) {
        this(kit, scheduler, timeout, new LocalTypingState());
    }

    public TypingTracker(RoomKit kit, TaskScheduler scheduler, Duration timeout, TypingState state) {
        this.kit = kit;
        this.scheduler = scheduler;
        this.timeout = timeout;
        this.state = state;
    }

    /** Publishes TYPING_START and (re)arms its expiry. */
    public void start(String roomId, String userId) {
        String token = state.arm(roomId, userId);
        kit.publishTyping(roomId, userId, true);
        scheduler.schedule(() -> expire(roomId, userId, token), Instant.now().plus(timeout));
    }

    /** Publishes TYPING_STOP and disarms the expiry. */
    public void stop(String roomId, String userId) {
        state.disarm(roomId, userId);
        kit.publishTyping(roomId, userId, false);
    }

    /** Stops the user's typing in those of {@code roomIds} where they are typing. */
    public void stopAll(String userId, Set<String> roomIds) {
        for (String roomId : roomIds) {
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
            kit.publishTyping(roomId, userId, false);
        }
    }
}
