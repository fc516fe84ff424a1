package io.roomkit.spring.boot;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.roomkit.spring.stomp.StompLimit;
import io.roomkit.spring.stomp.StompRateLimiter;

/**
 * The counter {@code roomkit.websocket.limited}: STOMP frames refused with {@code rate_limited}, one counter per
 * limit (tag {@code limit}: messages, ephemeral, history, subscriptions, rooms). Every limit is registered up
 * front, so a dashboard shows zero rather than nothing.
 */
public class RoomKitLimitMetrics implements MeterBinder {

    private final StompRateLimiter limiter;

    public RoomKitLimitMetrics(StompRateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (StompLimit limit : StompLimit.values()) {
            FunctionCounter.builder("roomkit.websocket.limited", limiter, refused -> refused.refusedCount(limit))
                    .description("STOMP frames refused by a rate limit").tag("limit", limit.tag())
                    .register(registry);
        }
    }
}
