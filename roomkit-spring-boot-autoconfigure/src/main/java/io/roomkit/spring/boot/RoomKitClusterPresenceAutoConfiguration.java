package io.roomkit.spring.boot;

import io.roomkit.spring.redis.PresenceSweeper;
import io.roomkit.spring.redis.RedisAvailability;
import io.roomkit.spring.redis.RedisPresenceStore;
import io.roomkit.spring.redis.RedisTypingState;
import io.roomkit.spring.redis.ResilientPresenceStore;
import io.roomkit.spring.redis.ResilientTypingState;
import io.roomkit.spring.presence.PresenceStore;
import io.roomkit.spring.presence.PresenceTracker;
import io.roomkit.spring.presence.TypingState;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AllNestedConditions;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

/**
 * Cluster-wide presence and typing in Redis, for nodes that share their STOMP clients' rooms: a user
 * connected to two nodes is online once, a renewal or stop on one node disarms the typing expiry armed on
 * another, and a dead node's users go offline after its heartbeat expires. Redis calls are waited for at most
 * {@code roomkit.realtime.redis.timeout}; while Redis is unreachable the state stays on this node
 * ({@link RedisAvailability}) and is written back into Redis when it answers again.
 */
@AutoConfiguration(before = RoomKitStompAutoConfiguration.class,
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ RedisConnectionFactory.class, WebSocketMessageBrokerConfigurer.class })
@ConditionalOnBean(RedisConnectionFactory.class)
@ConditionalOnBooleanProperty(name = "roomkit.enabled", matchIfMissing = true)
@Conditional(RoomKitClusterPresenceAutoConfiguration.PresenceInRedis.class)
@EnableConfigurationProperties(RoomKitProperties.class)
public final class RoomKitClusterPresenceAutoConfiguration {

    /** Watched by the health indicator; shared by the presence and typing stores. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    RedisAvailability roomKitRedisAvailability(RedisConnectionFactory connectionFactory,
            RoomKitProperties properties) {
        return new RedisAvailability(new StringRedisTemplate(connectionFactory),
                properties.realtime().redis().timeout());
    }

    @Bean
    @ConditionalOnMissingBean(PresenceStore.class)
    ResilientPresenceStore roomKitPresenceStore(RedisConnectionFactory connectionFactory,
            RoomKitProperties properties, RedisAvailability availability) {
        return new ResilientPresenceStore(new RedisPresenceStore(new StringRedisTemplate(connectionFactory),
                properties.realtime().redis().channelPrefix()), availability);
    }

    @Bean
    @ConditionalOnMissingBean(TypingState.class)
    ResilientTypingState roomKitTypingState(RedisConnectionFactory connectionFactory, RoomKitProperties properties,
            RedisAvailability availability) {
        return new ResilientTypingState(new RedisTypingState(new StringRedisTemplate(connectionFactory),
                properties.realtime().redis().channelPrefix(), properties.typing().timeout()), availability);
    }

    @Bean
    @ConditionalOnBean(ResilientPresenceStore.class)
    @ConditionalOnMissingBean
    PresenceSweeper roomKitPresenceSweeper(ResilientPresenceStore store, ObjectProvider<PresenceTracker> tracker,
            ObjectProvider<TaskScheduler> roomKitStompScheduler) {
        return new PresenceSweeper(store, tracker, roomKitStompScheduler.getObject());
    }

    /** {@code roomkit.presence.store=redis}, or {@code auto} on a node of a cluster. */
    static final class PresenceInRedis extends AnyNestedCondition {

        PresenceInRedis() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(name = "roomkit.presence.store", havingValue = "redis")
        static final class Explicit {
        }

        @Conditional(AutoInCluster.class)
        static final class Auto {
        }
    }

    /** {@code roomkit.presence.store=auto} (or unset) and the node relays to a broker or uses Redis realtime. */
    static final class AutoInCluster extends AllNestedConditions {

        AutoInCluster() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(name = "roomkit.presence.store", havingValue = "auto", matchIfMissing = true)
        static final class AutoStore {
        }

        @Conditional(ClusterNode.class)
        static final class InCluster {
        }
    }

    /** The node relays STOMP to a broker or carries ephemeral events over Redis. */
    static final class ClusterNode extends AnyNestedCondition {

        ClusterNode() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @Conditional(RelayEnabled.class)
        static final class Relay {
        }

        @ConditionalOnProperty(name = "roomkit.realtime.type", havingValue = "redis")
        static final class RedisRealtime {
        }
    }
}
