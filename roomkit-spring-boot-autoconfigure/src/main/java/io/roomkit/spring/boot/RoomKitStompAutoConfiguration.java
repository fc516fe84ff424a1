package io.roomkit.spring.boot;

import io.roomkit.concurrent.ElasticExecutor;
import io.roomkit.RoomKit;
import io.roomkit.realtime.RealtimeBackend;
import io.roomkit.spring.support.BoundedCalls;
import io.roomkit.store.InMemoryConversationStore;
import io.roomkit.spring.stomp.MembershipAccessPolicy;
import io.roomkit.spring.stomp.MembershipEnforcer;
import io.roomkit.spring.presence.LocalPresenceStore;
import io.roomkit.spring.presence.LocalTypingState;
import io.roomkit.spring.presence.PresenceCoalescer;
import io.roomkit.spring.presence.PresenceStore;
import io.roomkit.spring.presence.PresenceTracker;
import io.roomkit.spring.stomp.RealtimeToStompBridge;
import io.roomkit.spring.stomp.RelayEventFeed;
import io.roomkit.spring.stomp.RelayEventSubscriber;
import io.roomkit.spring.listener.ClusterEventFeed;
import io.roomkit.store.ConversationStore;
import io.roomkit.spring.stomp.RoomAccessPolicy;
import io.roomkit.spring.stomp.RoomCreationPolicy;
import io.roomkit.spring.stomp.RoomKitStompConfigurer;
import io.roomkit.spring.stomp.RoomKitStompController;
import io.roomkit.spring.stomp.RoomKitStompInterceptor;
import io.roomkit.spring.stomp.StompErrors;
import io.roomkit.spring.stomp.StompEventBroadcaster;
import io.roomkit.spring.stomp.StompIdentitySources;
import io.roomkit.spring.stomp.StompInboundExecutorConfigurer;
import io.roomkit.spring.stomp.StompRateLimiter;
import io.roomkit.spring.stomp.StompRealtimeBackend;
import io.roomkit.spring.stomp.StompSessionListener;
import io.roomkit.spring.presence.TypingState;
import io.roomkit.spring.presence.TypingTracker;
import io.roomkit.spring.stomp.UserRoomUpdates;
import io.roomkit.spring.stomp.WebSocketContainerBuffers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
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
import org.springframework.context.annotation.Lazy;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.ClassUtils;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The STOMP-over-WebSocket backend and client protocol (DESIGN §4), for servlet web applications with Spring
 * WebSocket messaging, when {@code roomkit.realtime.type} is {@code auto}, {@code stomp} or {@code redis} (whose
 * events a bridge forwards to the topics). Ordered before
 * Spring Boot's {@code WebSocketMessagingAutoConfiguration} so that Boot's JSON converter and executors apply
 * to the broker this configuration enables.
 */
@AutoConfiguration(before = RoomKitAutoConfiguration.class,
        beforeName = "org.springframework.boot.websocket.autoconfigure.servlet.WebSocketMessagingAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ WebSocketMessageBrokerConfigurer.class, SimpMessagingTemplate.class })
@ConditionalOnBooleanProperty(name = "roomkit.enabled", matchIfMissing = true)
@Conditional(RoomKitStompAutoConfiguration.StompSelected.class)
@EnableWebSocketMessageBroker
@EnableConfigurationProperties(RoomKitProperties.class)
public final class RoomKitStompAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RoomKitStompAutoConfiguration.class);
    /** Store calls of STOMP frames that may wait at once; more are refused at once with "unavailable". */
    private static final int STORE_CALLS = 64;
    /** How often the rate limiter drops the buckets of users who have been quiet. */
    private static final Duration SWEEP_PERIOD = Duration.ofMinutes(1);

    @Bean
    @ConditionalOnMissingBean
    RoomKitStompConfigurer roomKitStompConfigurer(RoomKitProperties properties,
            ObjectProvider<RoomKitStompInterceptor> interceptor,
            @Qualifier("roomKitStompScheduler") ObjectProvider<TaskScheduler> roomKitStompScheduler,
            @Qualifier("roomKitStompOutboundExecutor") ObjectProvider<ElasticExecutor> roomKitStompOutboundExecutor) {
        RoomKitProperties.Relay relay = properties.websocket().relay();
        if (relay.enabled() && properties.realtime().type() == RoomKitProperties.RealtimeType.REDIS) {
            throw new RoomKitConfigurationException("roomkit.websocket.relay.enabled=true with "
                    + "roomkit.realtime.type=redis would deliver every ephemeral event once per node",
                    "with a relay, use roomkit.realtime.type=stomp (the relay carries ephemeral events to every node)");
        }
        if (relay.enabled() && !ClassUtils.isPresent("reactor.netty.tcp.TcpClient", null)) {
            throw new RoomKitConfigurationException("roomkit.websocket.relay.enabled=true needs Reactor Netty for "
                    + "the TCP connection to the broker", "add io.projectreactor.netty:reactor-netty-core");
        }
        RoomKitStompConfigurer configurer = new RoomKitStompConfigurer(properties.websocket().endpoint(),
                properties.websocket().allowedOrigins(), relay, interceptor, roomKitStompScheduler,
                roomKitStompOutboundExecutor);
        RoomKitProperties.Buffers buffers = properties.websocket().buffers();
        configurer.bufferSizes(buffers.textSize(), buffers.binarySize());
        return configurer;
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

    @Bean
    @ConditionalOnMissingBean(RealtimeBackend.class)
    @Conditional(StompBackendSelected.class)
    StompRealtimeBackend roomKitRealtimeBackend(@Lazy SimpMessagingTemplate brokerMessagingTemplate,
            RoomKitProperties properties) {
        int queue = properties.realtime().maxQueueSize();
        return properties.websocket().relay().enabled()
                ? StompRealtimeBackend.relayed(brokerMessagingTemplate, queue)
                : new StompRealtimeBackend(brokerMessagingTemplate, queue);
    }

    /** Behind a relay, the node's listeners hear every node's ephemeral events through the broker. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty("roomkit.websocket.relay.enabled")
    @ConditionalOnBean(StompRealtimeBackend.class)
    RelayEventSubscriber roomKitRelayEventSubscriber(StompRealtimeBackend backend, RoomKitProperties properties,
            ObjectProvider<TaskScheduler> roomKitStompScheduler) {
        RoomKitProperties.Relay relay = properties.websocket().relay();
        RelayEventSubscriber subscriber = new RelayEventSubscriber(relay.host(), relay.port(), relay.login(),
                relay.passcode(), relay.virtualHost(), backend::deliverLocally, backend::deliverMembershipLocally,
                roomKitStompScheduler.getObject());
        backend.brokerAvailability(subscriber::isConnected);
        return subscriber;
    }

    /** Behind a relay, {@code scope = NODE} persistent listeners hear every node's events through the broker. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(RelayEventSubscriber.class)
    RelayEventFeed roomKitRelayEventFeed(RelayEventSubscriber subscriber, ObjectProvider<ConversationStore> store,
            RoomKitProperties properties) {
        return new RelayEventFeed(subscriber, store, properties.realtime().gapWait());
    }

    /** With another backend (Redis, or the application's own), its events reach STOMP clients through a bridge. */
    @Bean
    @ConditionalOnBean(RealtimeBackend.class)
    @ConditionalOnMissingBean(StompRealtimeBackend.class)
    RealtimeToStompBridge roomKitRealtimeToStompBridge(RealtimeBackend realtime,
            @Lazy SimpMessagingTemplate brokerMessagingTemplate) {
        return new RealtimeToStompBridge(realtime, brokerMessagingTemplate);
    }

    @Bean
    @ConditionalOnMissingBean
    StompEventBroadcaster roomKitStompEventBroadcaster(@Lazy SimpMessagingTemplate brokerMessagingTemplate) {
        return new StompEventBroadcaster(brokerMessagingTemplate);
    }

    /**
     * The default access policy; with open rooms it creates the rooms users name, as far as the
     * {@link RoomCreationPolicy} and the room-creation limit let it.
     */
    @Bean
    @ConditionalOnMissingBean
    RoomAccessPolicy roomKitAccessPolicy(RoomKit kit, RoomKitProperties properties, RoomCreationPolicy creation,
            StompRateLimiter limiter) {
        return new MembershipAccessPolicy(kit, properties.websocket().openRooms(), limiter.limiting(creation),
                properties.membership().joinEvents());
    }

    @Bean
    @ConditionalOnMissingBean
    RoomCreationPolicy roomKitRoomCreationPolicy() {
        return RoomCreationPolicy.anyUser();
    }

    /** The limits of {@code roomkit.websocket.limits}; quiet users' buckets are dropped every minute. */
    @Bean
    @ConditionalOnMissingBean
    StompRateLimiter roomKitRateLimiter(RoomKitProperties properties,
            @Qualifier("roomKitStompScheduler") ObjectProvider<TaskScheduler> roomKitStompScheduler) {
        RoomKitProperties.Limits limits = properties.websocket().limits();
        StompRateLimiter limiter = new StompRateLimiter(limits);
        if (limits.enabled()) {
            roomKitStompScheduler.getObject().scheduleAtFixedRate(limiter::sweep, SWEEP_PERIOD);
        }
        else {
            log.info("STOMP rate limits are off (roomkit.websocket.limits.enabled=false)");
        }
        return limiter;
    }

    /** Ends the subscriptions of users who lose access to a room, on every node. */
    @Bean
    @ConditionalOnMissingBean
    MembershipEnforcer roomKitMembershipEnforcer(RoomKit kit, ObjectProvider<RoomKitStompInterceptor> interceptor,
            ObjectProvider<RoomAccessPolicy> accessPolicy, ObjectProvider<AbstractBrokerMessageHandler> brokers,
            @Qualifier("roomKitStoreCalls") BoundedCalls roomKitStoreCalls) {
        return new MembershipEnforcer(kit, interceptor, accessPolicy, brokers, roomKitStoreCalls);
    }

    @Bean
    @ConditionalOnMissingBean
    StompErrors roomKitStompErrors(@Lazy SimpMessagingTemplate brokerMessagingTemplate) {
        return new StompErrors(brokerMessagingTemplate);
    }

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

    /**
     * The {@code login} header is trusted only without Spring Security: with it, identity comes from the
     * authenticated session (or a bearer token), and a header must never name someone else. Where users come from
     * is logged at start-up ({@link StompIdentitySources}).
     */
    @Bean
    @ConditionalOnMissingBean
    RoomKitStompInterceptor roomKitStompInterceptor(RoomKitProperties properties,
            ObjectProvider<RoomAccessPolicy> accessPolicy, ObjectProvider<PresenceTracker> presence,
            ObjectProvider<StompErrors> errors,
            @Qualifier("clientOutboundChannel") ObjectProvider<MessageChannel> clientOutboundChannel,
            @Qualifier("roomKitStoreCalls") BoundedCalls roomKitStoreCalls, StompRateLimiter limiter,
            ListableBeanFactory beanFactory) {
        StompIdentitySources identity = StompIdentitySources.of(beanFactory, properties.websocket().trustClientLogin());
        identity.log(log);
        return new RoomKitStompInterceptor(identity.trustClientLogin(), accessPolicy, presence, errors,
                clientOutboundChannel, roomKitStoreCalls, limiter, properties.websocket().accessCacheTtl());
    }

    @Bean
    @ConditionalOnMissingBean
    RoomKitStompController roomKitStompController(RoomKit kit, PresenceTracker presence, TypingTracker typing,
            StompErrors errors, @Qualifier("roomKitStoreCalls") BoundedCalls roomKitStoreCalls,
            ObjectProvider<UserRoomUpdates> roomUpdates) {
        RoomKitStompController controller = new RoomKitStompController(kit, presence, typing, errors,
                roomKitStoreCalls);
        roomUpdates.ifAvailable(controller::setRoomUpdates);
        return controller;
    }

    /** The per-user room updates of {@code /user/queue/rooms}. */
    @Bean
    @ConditionalOnMissingBean
    UserRoomUpdates roomKitUserRoomUpdates(RoomKit kit, @Lazy SimpMessagingTemplate brokerMessagingTemplate,
            RoomKitProperties properties, ObjectProvider<ClusterEventFeed> feed) {
        return new UserRoomUpdates(kit, brokerMessagingTemplate, properties.websocket().roomUpdates(),
                feed::getIfAvailable);
    }

    /**
     * Store work of STOMP frames, waited for at most {@code roomkit.store.timeout} (an in-memory store never
     * waits, so its calls run on the caller).
     */
    @Bean
    @ConditionalOnMissingBean(name = "roomKitStoreCalls")
    BoundedCalls roomKitStoreCalls(RoomKit kit, RoomKitProperties properties) {
        return kit.store() instanceof InMemoryConversationStore ? BoundedCalls.direct()
                : new BoundedCalls("roomkit-store", properties.store().timeout(), STORE_CALLS);
    }

    /** The rate limits' counter, with Micrometer on the classpath. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
    static class LimitMetrics {

        @Bean
        @ConditionalOnMissingBean
        RoomKitLimitMetrics roomKitLimitMetrics(StompRateLimiter limiter) {
            return new RoomKitLimitMetrics(limiter);
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
