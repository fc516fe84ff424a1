package io.roomkit.spring.stomp;

import org.springframework.core.Ordered;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

/**
 * Puts the {@link StompSecurityInterceptor} first on the client inbound channel: before Spring Security's
 * interceptors (its configurer has order {@code HIGHEST_PRECEDENCE + 100}), so that the user of a bearer-token
 * CONNECT is known to its authorization rules and so that their refusals are answered, and before RoomKit's own
 * {@link RoomKitStompInterceptor}, which then finds the user in place.
 */
public class RoomKitStompSecurityConfigurer implements WebSocketMessageBrokerConfigurer, Ordered {

    /** Just before Spring Security's {@code WebSocketMessageBrokerSecurityConfiguration}. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 99;

    private final StompSecurityInterceptor interceptor;

    public RoomKitStompSecurityConfigurer(StompSecurityInterceptor interceptor) {
        this.interceptor = interceptor;
    }

    @Override
    public void configureClientInboundChannel(ChannelRegistration registration) {
        registration.interceptors(interceptor);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
