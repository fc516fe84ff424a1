package io.roomkit.spring.redis;

import io.roomkit.spring.presence.PresenceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * Keeps this node's presence heartbeat alive and sweeps the sessions of dead nodes, publishing
 * PRESENCE_OFFLINE (and TYPING_STOP) for their users.
 */
public class PresenceSweeper implements SmartLifecycle {

    /** How often the heartbeat is refreshed and dead nodes are swept. */
    public static final Duration PERIOD = Duration.ofSeconds(3);

    private static final Logger log = LoggerFactory.getLogger(PresenceSweeper.class);

    private final RedisPresenceStore store;
    private final RedisAvailability availability;
    private final ObjectProvider<PresenceTracker> tracker;
    private final TaskScheduler scheduler;
    private volatile ScheduledFuture<?> task;

    public PresenceSweeper(ResilientPresenceStore store, ObjectProvider<PresenceTracker> tracker,
            TaskScheduler scheduler) {
        this.store = store.redis();
        this.availability = store.availability();
        this.tracker = tracker;
        this.scheduler = scheduler;
    }

    @Override
    public void start() {
        task = scheduler.scheduleWithFixedDelay(this::tick, PERIOD);
    }

    /** Skipped while Redis is down; the heartbeat's bounded call is what notices an outage when all is quiet. */
    private void tick() {
        availability.run("presence heartbeat", store::heartbeat);
        if (!availability.isAvailable()) {
            return;
        }
        try {
            PresenceTracker presence = tracker.getIfAvailable();
            if (presence != null) {
                store.sweep((userId, roomId) -> presence.left(userId, List.of(roomId)));
            }
        }
        catch (RuntimeException ex) {
            log.warn("Presence heartbeat or sweep failed: {}", ex.getMessage());
        }
    }

    @Override
    public void stop() {
        ScheduledFuture<?> current = task;
        task = null;
        if (current != null) {
            current.cancel(false);
        }
        try {
            store.shutdown();
        }
        catch (RuntimeException ex) {
            log.debug("Could not clear the presence heartbeat", ex);
        }
    }

    @Override
    public boolean isRunning() {
        return task != null;
    }
}
