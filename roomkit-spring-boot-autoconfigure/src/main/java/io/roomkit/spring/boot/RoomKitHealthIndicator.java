package io.roomkit.spring.boot;

import io.roomkit.RoomKit;
import io.roomkit.realtime.RealtimeStats;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code roomkit} health indicator: UP when the store answers a read and the realtime backend is open
 * (for the Redis backend: Redis answers a PING; behind a broker relay: the node's broker subscription is up).
 * Details name the store and backend types and, where the backend reports them, its counters.
 */
public class RoomKitHealthIndicator extends AbstractHealthIndicator {

    private static final String PROBE_ROOM = "roomkit-health-probe";

    private final RoomKit kit;

    public RoomKitHealthIndicator(RoomKit kit) {
        super("RoomKit health check failed");
        this.kit = kit;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        kit.store().getRoom(PROBE_ROOM);
        builder.withDetail("store", kit.store().getClass().getSimpleName())
                .withDetail("realtime", kit.realtime().getClass().getSimpleName());
        if (kit.realtime() instanceof RealtimeStats stats) {
            builder.withDetail("subscriptions", stats.subscriptionCount())
                    .withDetail("published", stats.publishedCount()).withDetail("dropped", stats.droppedCount());
            if (!stats.isOpen()) {
                builder.down().withDetail("reason", "realtime backend closed or its broker/Redis unreachable");
                return;
            }
        }
        builder.up();
    }
}
