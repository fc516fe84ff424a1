package io.roomkit.spring.boot;

import io.roomkit.concurrent.ElasticExecutor;
import io.roomkit.RoomKit;
import io.roomkit.realtime.RealtimeBackend;
import io.roomkit.spring.presence.LocalPresenceStore;
import io.roomkit.spring.presence.LocalTypingState;
import io.roomkit.spring.presence.PresenceCoalescer;
import io.roomkit.spring.presence.PresenceStore;
import io.roomkit.spring.presence.PresenceTracker;
import io.roomkit.spring.stomp.RealtimeToStompBridge;
import io.roomkit.spring.stomp.RelayEventFeed;
import io.roomkit.spring.stomp.RelayEventSubscriber;
import io.roomkit.store.ConversationStore;
import io.roomkit.spring.stomp.RoomKitStompConfigurer;
import io.roomkit.spring.stomp.RoomKitStompInterceptor;
import io.roomkit.spring.stomp.StompInboundExecutorConfigurer;
import io.roomkit.spring.stomp.StompRateLimiter;
import io.roomkit.spring.stomp.StompRealtimeBackend;
import io.roomkit.spring.stomp.StompSessionListener;
import io.roomkit.spring.presence.TypingState;
import io.roomkit.spring.presence.TypingTracker;
import io.roomkit.spring.stomp.WebSocketContainerBuffers;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
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
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Lazy;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.ClassUtils;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

import java.util.concurrent.Executor;

/**
 * The STOMP-over-WebSocket backend and client protocol (DESIGN §4), for servlet web applications with Spring
 * WebSocket messaging, when {@code roomkit.realtime.type} is {@code auto}, {@code stomp} or {@code redis} (whose
 * events a bridge forwards to the topics). Ordered before
 * Spring Boot's {@code WebSocketMessagingAutoConfiguration} so that Boot's JSON converter and executors apply
 * to the broker this configuration enables.
 * <p>
 * One nested configuration per concern, each with the conditions under which it applies: the endpoint and its
 * threads, the realtime backend on the simple broker or behind a relay, the bridge from another backend, presence
 * and typing, the rate limits' metrics, the container's buffers; and the protocol's beans in the imported
 * {@link StompProtocolConfiguration} (access, limits, frames). The only condition on another configuration's bean
 * is the bridge's, which holds whatever the order the configurations are registered in. A relay with the Redis
 * backend fails the start before any bean is made ({@link RelayWithRedisRefused}), reported with its fix by
 * {@link RoomKitConfigurationFailureAnalyzer}.
 */
@AutoConfiguration(before = RoomKitAutoConfiguration.class,
        beforeName = "org.springframework.boot.websocket.autoconfigure.servlet.WebSocketMessagingAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ WebSocketMessageBrokerConfigurer.class, SimpMessagingTemplate.class })
@ConditionalOnBooleanProperty(name = "roomkit.enabled", matchIfMissing = true)
@Conditional(RoomKitStompAutoConfiguration.StompSelected.class)
@EnableWebSocketMessageBroker
@Import(StompProtocolConfiguration.class)
@EnableConfigurationProperties(RoomKitProperties.class)
public final class RoomKitStompAutoConfiguration {

    /** The STOMP endpoint, and the pools and scheduler that run its frames, deliveries and timers. */
    @Configuration(proxyBeanMethods = false)
    static final class Endpoint {

        @Bean
        @ConditionalOnMissingBean
        RoomKitStompConfigurer roomKitStompConfigurer(RoomKitProperties properties,
                ObjectProvider<RoomKitStompInterceptor> interceptor,
                @Qualifier("roomKitStompScheduler") ObjectProvider<TaskScheduler> roomKitStompScheduler,
                @Qualifier("roomKitStompOutboundExecutor")
                ObjectProvider<ElasticExecutor> roomKitStompOutboundExecutor) {
            RoomKitProperties.Relay relay = properties.websocket().relay();
            checkRelay(relay);
            RoomKitStompConfigurer configurer = new RoomKitStompConfigurer(properties.websocket().endpoint(),
                    properties.websocket().allowedOrigins(), relay, interceptor, roomKitStompScheduler,
                    roomKitStompOutboundExecutor);
            RoomKitProperties.Buffers buffers = properties.websocket().buffers();
            configurer.bufferSizes(buffers.textSize(), buffers.binarySize());
            return configurer;
        }

        /**
         * Fails the start, through {@link RoomKitConfigurationFailureAnalyzer}, on a relay without its TCP client
         * (a relay with the Redis backend is refused earlier, by {@link RelayWithRedisRefused}).
         */
        private static void checkRelay(RoomKitProperties.Relay relay) {
            if (relay.enabled() && !ClassUtils.isPresent("reactor.netty.tcp.TcpClient", null)) {
                throw new RoomKitConfigurationException("roomkit.websocket.relay.enabled=true needs Reactor Netty "
                        + "for the TCP connection to the broker", "add io.projectreactor.netty:reactor-netty-core");
            }
        }

        /** Runs clients' frames on RoomKit's own pool (see {@link StompInboundExecutorConfigurer}). */
        @Bean
        @ConditionalOnMissingBean
        StompInboundExecutorConfigurer roomKitStompInboundExecutorConfigurer(
                @Qualifier("roomKitStompInboundExecutor") ObjectProvider<Executor> roomKitStompInboundExecutor) {
            return new StompInboundExecutorConfigurer(roomKitStompInboundExecutor);
        }

        /** The pool of the client inbound channel, sized by {@code roomkit.websocket.inbound.*}. */
        @Bean
        @ConditionalOnMissingBean(name = "roomKitStompInboundExecutor")
        ThreadPoolTaskExecutor roomKitStompInboundExecutor(RoomKitProperties properties) {
            return StompInboundExecutorConfigurer.executor(properties.websocket().inbound());
        }

        @Bean
        @ConditionalOnMissingBean(name = "roomKitStompOutboundExecutor")
        ElasticExecutor roomKitStompOutboundExecutor() {
            return RoomKitStompConfigurer.outboundExecutor();
        }

        @Bean
        @ConditionalOnMissingBean(name = "roomKitStompScheduler")
        ThreadPoolTaskScheduler roomKitStompScheduler() {
            ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
            scheduler.setPoolSize(2);
            scheduler.setThreadNamePrefix("roomkit-stomp-");
            scheduler.setRemoveOnCancelPolicy(true);
            return scheduler;
        }
    }

    /**
     * A relay with {@code roomkit.realtime.type=redis} would deliver every ephemeral event once per node: refused by
     * a bean factory post-processor, which runs before any bean is created, so that this is the error the user sees
     * rather than whatever bean would fail first.
     */
    @Configuration(proxyBeanMethods = false)
    @Conditional(RelayEnabled.class)
    @ConditionalOnProperty(name = "roomkit.realtime.type", havingValue = "redis")
    static final class RelayWithRedisRefused {

        @Bean
        static BeanFactoryPostProcessor roomKitRelayWithRedisRefused() {
            return beanFactory -> {
                throw new RoomKitConfigurationException("roomkit.websocket.relay.enabled=true with "
                        + "roomkit.realtime.type=redis would deliver every ephemeral event once per node",
                        "with a relay, use roomkit.realtime.type=stomp (the relay carries ephemeral events to every "
                                + "node)");
            };
        }
    }

    /** The realtime backend on the in-process simple broker. */
    @Configuration(proxyBeanMethods = false)
    @Conditional({ StompBackendSelected.class, RelayEnabled.Off.class })
    static final class SimpleBrokerBackend {

        @Bean
        @ConditionalOnMissingBean(RealtimeBackend.class)
        StompRealtimeBackend roomKitRealtimeBackend(@Lazy SimpMessagingTemplate brokerMessagingTemplate,
                RoomKitProperties properties) {
            return new StompRealtimeBackend(brokerMessagingTemplate, properties.realtime().maxQueueSize());
        }
    }

    /**
     * The realtime backend behind a broker relay, with the node's own subscription to every node's events
     * ({@code roomkit.websocket.relay.enabled}).
     */
    @Configuration(proxyBeanMethods = false)
    @Conditional({ StompBackendSelected.class, RelayEnabled.class })
    static final class RelayBackend {

        @Bean
        @ConditionalOnMissingBean(RealtimeBackend.class)
        StompRealtimeBackend roomKitRealtimeBackend(@Lazy SimpMessagingTemplate brokerMessagingTemplate,
                RoomKitProperties properties) {
            return StompRealtimeBackend.relayed(brokerMessagingTemplate, properties.realtime().maxQueueSize());
        }

        /** Behind a relay, the node's listeners hear every node's ephemeral events through the broker. */
        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean(StompRealtimeBackend.class)
        RelayEventSubscriber roomKitRelayEventSubscriber(StompRealtimeBackend backend, RoomKitProperties properties,
                ObjectProvider<TaskScheduler> roomKitStompScheduler) {
            RoomKitProperties.Relay relay = properties.websocket().relay();
            RelayEventSubscriber subscriber = new RelayEventSubscriber(relay.host(), relay.port(), relay.login(),
                    relay.passcode(), relay.virtualHost(), backend::deliverLocally,
                    backend::deliverMembershipLocally, roomKitStompScheduler.getObject());
            backend.brokerAvailability(subscriber::isConnected);
            return subscriber;
        }

        /** {@code scope = NODE} persistent listeners hear every node's events through the broker. */
        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean(RelayEventSubscriber.class)
        RelayEventFeed roomKitRelayEventFeed(RelayEventSubscriber subscriber,
                ObjectProvider<ConversationStore> store, RoomKitProperties properties) {
            return new RelayEventFeed(subscriber, store, properties.realtime().gapWait());
        }
    }

    /** With another backend (Redis, or the application's own), its events reach STOMP clients through a bridge. */
    @Configuration(proxyBeanMethods = false)
    static final class OtherBackendBridge {

        @Bean
        @ConditionalOnBean(RealtimeBackend.class)
        @ConditionalOnMissingBean(StompRealtimeBackend.class)
        RealtimeToStompBridge roomKitRealtimeToStompBridge(RealtimeBackend realtime,
                @Lazy SimpMessagingTemplate brokerMessagingTemplate) {
            return new RealtimeToStompBridge(realtime, brokerMessagingTemplate);
        }
    }

    /** Who is online and who is typing, with the STOMP sessions that make them so. */
    @Configuration(proxyBeanMethods = false)
    static final class Presence {

        @Bean
        @ConditionalOnMissingBean
        TypingTracker roomKitTypingTracker(RoomKit kit, ObjectProvider<TaskScheduler> roomKitStompScheduler,
                RoomKitProperties properties, ObjectProvider<TypingState> state) {
            return new TypingTracker(kit, roomKitStompScheduler.getObject(), properties.typing().timeout(),
                    state.getIfAvailable(LocalTypingState::new));
        }

        @Bean
        @ConditionalOnMissingBean
        PresenceTracker roomKitPresenceTracker(RoomKit kit, TypingTracker typing, ObjectProvider<PresenceStore> store,
                @Qualifier("roomKitStompScheduler") ObjectProvider<TaskScheduler> roomKitStompScheduler,
                RoomKitProperties properties) {
            PresenceStore presenceStore = store.getIfAvailable(LocalPresenceStore::new);
            RoomKitProperties.Presence presence = properties.presence();
            return new PresenceTracker(kit, typing, presenceStore, new PresenceCoalescer(kit, presenceStore,
                    roomKitStompScheduler.getObject(), presence.coalesceAbove(), presence.coalesceWindow(),
                    presence.coalesceMaxWindow()));
        }

        @Bean
        @ConditionalOnMissingBean
        StompSessionListener roomKitStompSessionListener(PresenceTracker presence) {
            return new StompSessionListener(presence);
        }
    }

    /** The rate limits' counter, with Micrometer on the classpath. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
    static final class LimitMetrics {

        @Bean
        @ConditionalOnMissingBean
        RoomKitLimitMetrics roomKitLimitMetrics(StompRateLimiter limiter) {
            return new RoomKitLimitMetrics(limiter);
        }
    }

    /**
     * The servlet container's default whole-message buffers at Tomcat's usual 8 KiB, for the application's other
     * WebSocket endpoints, although the I/O buffer size they derive from is smaller; backs off when the
     * application sizes the container itself.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = { "jakarta.websocket.server.ServerContainer", "jakarta.servlet.ServletContext" })
    static final class ContainerBuffers {

        @Bean
        @ConditionalOnMissingBean({ WebSocketContainerBuffers.class, ServletServerContainerFactoryBean.class })
        static WebSocketContainerBuffers roomKitWebSocketContainerBuffers(RoomKitProperties properties) {
            return new WebSocketContainerBuffers(WebSocketContainerBuffers.TOMCAT_DEFAULT,
                    WebSocketContainerBuffers.TOMCAT_DEFAULT);
        }
    }

    /** {@code roomkit.realtime.type} is {@code auto} (or unset), {@code stomp} or {@code redis}. */
    static final class StompSelected extends AnyNestedCondition {

        StompSelected() {
            super(ConfigurationPhase.PARSE_CONFIGURATION);
        }

        @ConditionalOnProperty(name = "roomkit.realtime.type", havingValue = "redis")
        static final class Redis {
        }

        @ConditionalOnProperty(name = "roomkit.realtime.type", havingValue = "auto", matchIfMissing = true)
        static final class Auto {
        }

        @ConditionalOnProperty(name = "roomkit.realtime.type", havingValue = "stomp")
        static final class Stomp {
        }
    }

    /** {@code roomkit.realtime.type} is {@code auto} (or unset) or {@code stomp}: the broker is the backend. */
    static final class StompBackendSelected extends AnyNestedCondition {

        StompBackendSelected() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(name = "roomkit.realtime.type", havingValue = "auto", matchIfMissing = true)
        static final class Auto {
        }

        @ConditionalOnProperty(name = "roomkit.realtime.type", havingValue = "stomp")
        static final class Stomp {
        }
    }
}
