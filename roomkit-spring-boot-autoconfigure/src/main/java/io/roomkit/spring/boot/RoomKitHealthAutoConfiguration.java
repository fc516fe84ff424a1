package io.roomkit.spring.boot;

import io.roomkit.RoomKit;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code roomkit} health indicator, when Spring Boot's health support is on the classpath. */
@AutoConfiguration(after = RoomKitAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(RoomKit.class)
@ConditionalOnEnabledHealthIndicator("roomkit")
public final class RoomKitHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "roomkitHealthIndicator")
    RoomKitHealthIndicator roomkitHealthIndicator(RoomKit kit) {
        return new RoomKitHealthIndicator(kit);
    }
}
