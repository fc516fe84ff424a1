package io.roomkit.spring.boot;

import io.roomkit.RoomKit;
import io.roomkit.spring.support.Availability;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import java.time.Duration;

/** The {@code roomkit} health indicator, when Spring Boot's health support is on the classpath. */
@AutoConfiguration(after = RoomKitAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(RoomKit.class)
@ConditionalOnEnabledHealthIndicator("roomkit")
@EnableConfigurationProperties(RoomKitProperties.class)
public final class RoomKitHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "roomkitHealthIndicator")
    RoomKitHealthIndicator roomkitHealthIndicator(RoomKit kit, RoomKitProperties properties,
            ObjectProvider<Availability> watched) {
        Duration bound = max(properties.store().timeout(), properties.realtime().redis().timeout());
        return new RoomKitHealthIndicator(kit, RoomKitHealthIndicator.probes(bound), watched.orderedStream().toList());
    }

    private static Duration max(Duration first, Duration second) {
        return first.compareTo(second) >= 0 ? first : second;
    }
}
