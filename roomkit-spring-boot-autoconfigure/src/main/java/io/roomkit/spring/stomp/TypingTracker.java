package io.roomkit.spring.stomp;

import io.roomkit.RoomKit;
import org.springframework.scheduling.TaskScheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Typing indicators that end by themselves: a TYPING_START that is neither renewed nor stopped within the
 * timeout is followed by a TYPING_STOP, and a user who disconnects stops typing everywhere.
 */
public class TypingTracker {

    private final RoomKit kit;
    private final TaskScheduler scheduler;
    private final Duration timeout;
    private final AtomicLong generations = new AtomicLong();
    private final Map<Key, Armed> typing = new ConcurrentHashMap<>();

    public TypingTracker(RoomKit kit, TaskScheduler scheduler, Duration timeout) {
        this.kit = kit;
        this.scheduler = scheduler;
        this.timeout = timeout;
    }

    /** Publishes TYPING_START and (re)arms its expiry. */
    public void start(String roomId, String userId) {
        Key key = new Key(roomId, userId);
        long generation = generations.incrementAndGet();
        kit.publishTyping(roomId, userId, true);
        ScheduledFuture<?> expiry = scheduler.schedule(() -> expire(key, generation), Instant.now().plus(timeout));
        Armed previous = typing.put(key, new Armed(generation, expiry));
        if (previous != null) {
            previous.expiry().cancel(false);
        }
    }

    /** Publishes TYPING_STOP and disarms the expiry. */
    public void stop(String roomId, String userId) {
        Armed armed = typing.remove(new Key(roomId, userId));
        if (armed != null) {
            armed.expiry().cancel(false);
        }
        kit.publishTyping(roomId, userId, false);
    }

    /** Stops the user's typing in those of {@code roomIds} where they are typing. */
    public void stopAll(String userId, Set<String> roomIds) {
        for (String roomId : roomIds) {
            if (typing.containsKey(new Key(roomId, userId))) {
                stop(roomId, userId);
            }
        }
    }

    public boolean isTyping(String roomId, String userId) {
        return typing.containsKey(new Key(roomId, userId));
    }

    /** Stops only the start that armed it: a renewal in the meantime re-armed a newer generation. */
    private void expire(Key key, long generation) {
        boolean[] expired = new boolean[1];
        typing.computeIfPresent(key, (ignored, armed) -> {
            expired[0] = armed.generation() == generation;
            return expired[0] ? null : armed;
        });
        if (expired[0]) {
            kit.publishTyping(key.roomId(), key.userId(), false);
        }
    }

    private record Key(String roomId, String userId) {
    }

    private record Armed(long generation, ScheduledFuture<?> expiry) {
    }
}
