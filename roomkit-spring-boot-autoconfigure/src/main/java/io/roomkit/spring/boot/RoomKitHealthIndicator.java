package io.roomkit.spring.boot;

import io.roomkit.RoomKit;
import io.roomkit.RoomKitException;
import io.roomkit.realtime.RealtimeStats;
import io.roomkit.spring.support.Availability;
import io.roomkit.spring.support.BoundedCalls;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import java.time.Duration;
import java.util.List;

/**
 * The {@code roomkit} health indicator: UP when the store answers a read and the realtime backend is open
 * (for the Redis backend: Redis answers a PING; behind a broker relay: the node's broker subscription is up)
 * and every watched {@link Availability} (Redis presence) is available. Each probe is waited for at most a
 * bounded time, so during an outage the indicator answers DOWN with a {@code reason} instead of hanging for the
 * connection pool's or the Redis client's timeout. Details name the store and backend types and, where the
 * backend reports them, its counters.
 */
public class RoomKitHealthIndicator extends AbstractHealthIndicator {

    private static final String PROBE_ROOM = "roomkit-health-probe";

    private final RoomKit kit;
    private final BoundedCalls probes;
    private final List<Availability> watched;

    /** Probes without a time bound. */
    public RoomKitHealthIndicator(RoomKit kit) {
        this(kit, BoundedCalls.direct(), List.of());
    }

    /** Probes waited for at most {@code probes}' timeout; {@code watched} services must also be available. */
    public RoomKitHealthIndicator(RoomKit kit, BoundedCalls probes, List<Availability> watched) {
        super("RoomKit health check failed");
        this.kit = kit;
        this.probes = probes;
        this.watched = List.copyOf(watched);
    }

    /** A pool of its own for the probes: a health check must not queue behind client traffic. */
    public static BoundedCalls probes(Duration timeout) {
        return new BoundedCalls("roomkit-health", timeout, 4);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("store", kit.store().getClass().getSimpleName())
                .withDetail("realtime", kit.realtime().getClass().getSimpleName());
        String problem = storeProblem();
        if (problem == null) {
            problem = realtimeProblem(builder);
        }
        if (problem == null) {
            problem = watchedProblem();
        }
        if (problem != null) {
            builder.down().withDetail("reason", problem);
            return;
        }
        builder.up();
    }

    private String storeProblem() {
        try {
            probes.call("store", () -> kit.store().getRoom(PROBE_ROOM));
            return null;
        }
        catch (RoomKitException unavailable) {
            return unavailable.getMessage();
        }
    }

    private String realtimeProblem(Health.Builder builder) {
        if (!(kit.realtime() instanceof RealtimeStats stats)) {
            return null;
        }
        builder.withDetail("subscriptions", stats.subscriptionCount()).withDetail("published", stats.publishedCount())
                .withDetail("dropped", stats.droppedCount());
        try {
            return probes.call("realtime backend", stats::isOpen) ? null
                    : "realtime backend closed or its broker/Redis unreachable";
        }
        catch (RoomKitException unavailable) {
            return unavailable.getMessage();
        }
    }

    private String watchedProblem() {
        for (Availability service : watched) {
            if (!service.isAvailable()) {
                return service.name() + " unreachable: presence and typing are kept on this node until it is back";
            }
        }
        return null;
    }
}
