package io.roomkit.spring.boot;

import io.roomkit.RoomKit;
import io.roomkit.spring.support.BoundedCalls;
import io.roomkit.store.InMemoryConversationStore;
import io.roomkit.spring.stomp.MembershipAccessPolicy;
import io.roomkit.spring.stomp.MembershipEnforcer;
import io.roomkit.spring.presence.PresenceTracker;
import io.roomkit.spring.listener.ClusterEventFeed;
import io.roomkit.spring.stomp.RoomAccessPolicy;
import io.roomkit.spring.stomp.RoomCreationPolicy;
import io.roomkit.spring.stomp.RoomKitStompController;
import io.roomkit.spring.stomp.RoomKitStompInterceptor;
import io.roomkit.spring.stomp.StompErrors;
import io.roomkit.spring.stomp.StompEventBroadcaster;
import io.roomkit.spring.stomp.StompIdentitySources;
import io.roomkit.spring.stomp.StompRateLimiter;
import io.roomkit.spring.presence.TypingTracker;
import io.roomkit.spring.stomp.UserRoomUpdates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.scheduling.TaskScheduler;

import java.time.Duration;

/**
 * The STOMP client protocol's beans, imported by {@link RoomKitStompAutoConfiguration} after its endpoint, backend
 * and presence configurations: who may do what (identity, access policy, membership enforcement), how often (rate
 * limits), and the handling of each frame (interceptor, controller, errors, room updates).
 */
@Configuration(proxyBeanMethods = false)
class StompProtocolConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(StompProtocolConfiguration.class);
    /** Store calls of STOMP frames that may wait at once; more are refused at once with "unavailable". */
    private static final int STORE_CALLS = 64;
    /** How often the rate limiter drops the buckets of users who have been quiet. */
    private static final Duration SWEEP_PERIOD = Duration.ofMinutes(1);

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
        StompIdentitySources identity = StompIdentitySources.of(beanFactory,
                properties.websocket().trustClientLogin());
        identity.log(LOG);
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

    @Bean
    @ConditionalOnMissingBean
    StompErrors roomKitStompErrors(@Lazy SimpMessagingTemplate brokerMessagingTemplate) {
        return new StompErrors(brokerMessagingTemplate);
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
            LOG.info("STOMP rate limits are off (roomkit.websocket.limits.enabled=false)");
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
}
