package io.roomkit.spring.boot;

import io.roomkit.spring.redis.RedisAvailability;
import io.roomkit.spring.stomp.RedisEventRelay;
import io.roomkit.spring.redis.RedisRealtimeBackend;
import io.roomkit.spring.stomp.RoomKitStompInterceptor;
import io.roomkit.spring.stomp.StompEventBroadcaster;
import io.roomkit.store.ConversationStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

import java.util.Optional;

/**
 * Persistent events across the nodes of the Redis topology: with the {@link RedisRealtimeBackend} and STOMP,
 * each committed event is published on Redis and every node delivers the events of the rooms its STOMP sessions
 * read to them once each, in index order, filling gaps from the store ({@link RedisEventRelay}, in place of the
 * direct topic broadcast), and to {@code scope = NODE} persistent listeners.
 */
@AutoConfiguration(after = { RoomKitRedisAutoConfiguration.class, RoomKitClusterPresenceAutoConfiguration.class },
        before = RoomKitStompAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ RedisConnectionFactory.class, SimpMessagingTemplate.class,
        WebSocketMessageBrokerConfigurer.class })
@ConditionalOnBean(RedisRealtimeBackend.class)
@ConditionalOnBooleanProperty(name = "roomkit.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RoomKitProperties.class)
public final class RoomKitRedisEventsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(StompEventBroadcaster.class)
    RedisEventRelay roomKitStompEventBroadcaster(RedisRealtimeBackend backend, ObjectProvider<ConversationStore> store,
            @Lazy SimpMessagingTemplate brokerMessagingTemplate, ObjectProvider<RoomKitStompInterceptor> interceptor,
            ObjectProvider<RedisAvailability> availability, RoomKitProperties properties) {
        return new RedisEventRelay(backend, store, brokerMessagingTemplate, interceptor,
                Optional.ofNullable(availability.getIfAvailable()), properties.realtime().gapWait());
    }
}
