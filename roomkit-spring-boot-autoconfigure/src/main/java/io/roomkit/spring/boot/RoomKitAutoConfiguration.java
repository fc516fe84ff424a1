package io.roomkit.spring.boot;

import io.roomkit.RoomKit;
import io.roomkit.channel.Channel;
import io.roomkit.hook.Hook;
import io.roomkit.pipeline.InboundObserver;
import io.roomkit.pipeline.ModeratorCheck;
import io.roomkit.realtime.InMemoryRealtime;
import io.roomkit.realtime.RealtimeBackend;
import io.roomkit.spring.boot.RoomKitProperties.RealtimeType;
import io.roomkit.spring.boot.RoomKitProperties.StoreType;
import io.roomkit.store.ConversationStore;
import io.roomkit.store.InMemoryConversationStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import java.util.Locale;

/**
 * The core of RoomKit in a Spring application: the {@link RoomKit} bean, with in-memory fallbacks for the
 * {@link ConversationStore} and the {@link RealtimeBackend} that the JPA, STOMP and Redis auto-configurations
 * (ordered before this one) replace. Beans of type {@link Channel} and {@link Hook} are registered with the
 * kit; {@link RoomKitCustomizer}s, {@link ModeratorCheck} and {@link InboundObserver} beans shape it.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "roomkit.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RoomKitProperties.class)
public final class RoomKitAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ConversationStore roomKitConversationStore(RoomKitProperties properties) {
        if (properties.store().type() == StoreType.JPA) {
            throw new RoomKitConfigurationException("roomkit.store.type=jpa, but no JPA EntityManagerFactory is "
                    + "configured", "add spring-boot-starter-data-jpa and a DataSource, or set roomkit.store.type=memory");
        }
        return new InMemoryConversationStore();
    }

    @Bean
    @ConditionalOnMissingBean
    RealtimeBackend roomKitRealtimeBackend(RoomKitProperties properties) {
        RealtimeType type = properties.realtime().type();
        if (type == RealtimeType.STOMP || type == RealtimeType.REDIS) {
            // the STOMP and Redis auto-configurations, which run first, did not apply
            throw new RoomKitConfigurationException("roomkit.realtime.type=" + type.name().toLowerCase(Locale.ROOT)
                    + ", but that backend is not available",
                    (type == RealtimeType.STOMP ? "add spring-boot-starter-websocket"
                            : "add spring-boot-starter-data-redis") + ", or set roomkit.realtime.type=memory");
        }
        return new InMemoryRealtime(properties.realtime().maxQueueSize());
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    RoomKit roomKit(ConversationStore store, RealtimeBackend realtime, ObjectProvider<ModeratorCheck> moderatorCheck,
            ObjectProvider<InboundObserver> observers, ObjectProvider<RoomKitCustomizer> customizers,
            ObjectProvider<Channel> channels, ObjectProvider<Hook> hooks, RoomKitProperties properties) {
        RoomKit.Builder builder = RoomKit.builder().store(store).realtime(realtime)
                .stallTimeout(properties.delivery().stallTimeout())
                .intelligenceThreads(properties.delivery().intelligenceThreads());
        moderatorCheck.ifAvailable(builder::moderatorCheck);
        observers.orderedStream().forEach(builder::observer);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        RoomKit kit = builder.build();
        channels.orderedStream().forEach(kit::registerChannel);
        hooks.orderedStream().forEach(kit::addHook);
        return kit;
    }
}
