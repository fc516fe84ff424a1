package io.roomkit.spring.boot;

import io.roomkit.realtime.RealtimeBackend;
import io.roomkit.spring.redis.RedisRealtimeBackend;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Redis realtime backend ({@code roomkit.realtime.type=redis}), on the application's Redis connection
 * (Spring Boot's {@code spring.data.redis.*}). With STOMP present, a bridge forwards its events to the
 * rooms' topics, so that browsers on every node see them.
 */
@AutoConfiguration(before = { RoomKitAutoConfiguration.class, RoomKitStompAutoConfiguration.class },
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass({ RedisConnectionFactory.class, JsonMapper.class })
@ConditionalOnBean(RedisConnectionFactory.class)
@ConditionalOnProperty(name = "roomkit.realtime.type", havingValue = "redis")
@ConditionalOnBooleanProperty(name = "roomkit.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RoomKitProperties.class)
public final class RoomKitRedisAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(RealtimeBackend.class)
    RedisRealtimeBackend roomKitRealtimeBackend(RedisConnectionFactory connectionFactory,
            RoomKitProperties properties) {
        return new RedisRealtimeBackend(connectionFactory, properties.realtime().redis().channelPrefix(),
                properties.realtime().maxQueueSize());
    }
}
