package io.roomkit.spring.boot;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.roomkit.ErrorCodes;
import io.roomkit.RoomKitException;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.InboundResult;
import io.roomkit.pipeline.InboundObserver;
import io.roomkit.realtime.RealtimeBackend;
import io.roomkit.realtime.RealtimeStats;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters of RoomKit:
 * <ul>
 * <li>{@code roomkit.inbound} (timer): {@code processInbound} calls, tagged {@code outcome} (stored, blocked,
 * refused, failed) and {@code reason} (the block or refusal code, or the exception's code);</li>
 * <li>{@code roomkit.ephemeral.published}, {@code roomkit.ephemeral.dropped} (counters) and
 * {@code roomkit.realtime.subscriptions} (gauge), when the realtime backend reports {@link RealtimeStats}.</li>
 * </ul>
 */
public class RoomKitMetrics implements MeterBinder, InboundObserver {

    private static final Set<String> KNOWN_CODES = knownCodes();

    private final RealtimeBackend realtime;
    private volatile MeterRegistry registry;

    public RoomKitMetrics(RealtimeBackend realtime) {
        this.realtime = realtime;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        if (realtime instanceof RealtimeStats stats) {
            FunctionCounter.builder("roomkit.ephemeral.published", stats, RealtimeStats::publishedCount)
                    .description("Ephemeral events published").register(registry);
            FunctionCounter.builder("roomkit.ephemeral.dropped", stats, RealtimeStats::droppedCount)
                    .description("Ephemeral events dropped from full subscription queues").register(registry);
            Gauge.builder("roomkit.realtime.subscriptions", stats, RealtimeStats::subscriptionCount)
                    .description("Live realtime subscriptions").register(registry);
        }
    }

    @Override
    public void processed(InboundMessage message, InboundResult result, long nanos) {
        String outcome = !result.blocked() ? "stored" : result.event() == null ? "refused" : "blocked";
        record(outcome, reasonTag(result.reason()), nanos);
    }

    /** Known codes as they are; hooks' free-text block reasons as "hook", so that tags stay bounded. */
    private static String reasonTag(String reason) {
        if (reason == null) {
            return "none";
        }
        return KNOWN_CODES.contains(reason) ? reason : "hook";
    }

    @Override
    public void failed(InboundMessage message, RuntimeException error, long nanos) {
        String reason = error instanceof RoomKitException roomKit ? reasonTag(roomKit.code()) : "exception";
        record("failed", reason, nanos);
    }

    private static Set<String> knownCodes() {
        Set<String> codes = new HashSet<>();
        for (Field field : ErrorCodes.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    codes.add((String) field.get(null));
                }
                catch (IllegalAccessException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
        return Set.copyOf(codes);
    }

    private void record(String outcome, String reason, long nanos) {
        MeterRegistry current = registry;
        if (current == null) {
            return;
        }
        Timer.builder("roomkit.inbound").description("processInbound calls by outcome")
                .tag("outcome", outcome).tag("reason", reason).register(current).record(nanos, TimeUnit.NANOSECONDS);
    }
}
