package io.roomkit.spring.boot;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.roomkit.realtime.RealtimeBackend;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * RoomKit's Micrometer meters, when Micrometer is on the classpath. The {@link RoomKitMetrics} bean is both a
 * {@link MeterBinder} (bound by Spring Boot to every registry) and an {@code InboundObserver} (picked up by
 * {@link RoomKitAutoConfiguration}), so it runs before the kit is built.
 */
@AutoConfiguration(before = RoomKitAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBooleanProperty(name = "roomkit.enabled", matchIfMissing = true)
public final class RoomKitMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RoomKitMetrics roomKitMetrics(RealtimeBackend realtime) {
        return new RoomKitMetrics(realtime);
    }
}
