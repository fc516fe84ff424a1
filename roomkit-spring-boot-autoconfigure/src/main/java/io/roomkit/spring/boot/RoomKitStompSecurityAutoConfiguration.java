package io.roomkit.spring.boot;

import io.roomkit.spring.stomp.BearerAwareCsrfChannelInterceptor;
import io.roomkit.spring.stomp.JwtBearerAuthenticator;
import io.roomkit.spring.stomp.RoomKitStompInterceptor;
import io.roomkit.spring.stomp.RoomKitStompSecurityConfigurer;
import io.roomkit.spring.stomp.StompBearerAuthenticator;
import io.roomkit.spring.stomp.StompErrors;
import io.roomkit.spring.stomp.StompSecurityInterceptor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.security.core.Authentication;
import org.springframework.security.messaging.web.csrf.XorCsrfChannelInterceptor;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;

/**
 * RoomKit's STOMP protocol beside Spring Security (README "Security"): an interceptor placed before Spring
 * Security's message interceptors that authenticates bearer JWTs on CONNECT with the application's
 * {@code JwtDecoder} and answers the refusals of Spring Security's CSRF check and message authorization; and,
 * for {@code @EnableWebSocketSecurity}, a CSRF check of CONNECT that exempts bearer-token CONNECTs only.
 * The users signed in over HTTP need nothing here: they are the handshake principal.
 */
@AutoConfiguration(after = RoomKitStompAutoConfiguration.class)
@ConditionalOnClass({ Authentication.class, SecurityFilterChain.class })
@ConditionalOnBean(RoomKitStompInterceptor.class)
public final class RoomKitStompSecurityAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    StompSecurityInterceptor roomKitStompSecurityInterceptor(ObjectProvider<StompBearerAuthenticator> bearer,
            @Qualifier("clientOutboundChannel") ObjectProvider<MessageChannel> clientOutboundChannel,
            ObjectProvider<StompErrors> errors) {
        return new StompSecurityInterceptor(bearer, clientOutboundChannel, errors);
    }

    @Bean
    @ConditionalOnMissingBean
    RoomKitStompSecurityConfigurer roomKitStompSecurityConfigurer(StompSecurityInterceptor interceptor) {
        return new RoomKitStompSecurityConfigurer(interceptor);
    }

    /**
     * Bearer JWTs, checked by the application's {@code JwtDecoder} (looked up at the first token, so any
     * configuration may define it; without one, tokens are refused).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ JwtDecoder.class, JwtAuthenticationProvider.class })
    static final class Jwt {

        @Bean
        @ConditionalOnMissingBean
        StompBearerAuthenticator roomKitStompBearerAuthenticator(ObjectProvider<JwtDecoder> jwtDecoder,
                ObjectProvider<JwtAuthenticationConverter> jwtAuthenticationConverter) {
            return new JwtBearerAuthenticator(jwtDecoder, jwtAuthenticationConverter);
        }
    }

    /**
     * The bean Spring Security's {@code @EnableWebSocketSecurity} takes as its CSRF check of CONNECT frames when
     * it exists: the same check, except for CONNECTs proven by a bearer token. An application bean named
     * {@code csrfChannelInterceptor} replaces it.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(XorCsrfChannelInterceptor.class)
    static final class Csrf {

        @Bean(name = "csrfChannelInterceptor")
        @ConditionalOnMissingBean(name = "csrfChannelInterceptor")
        ChannelInterceptor csrfChannelInterceptor() {
            return new BearerAwareCsrfChannelInterceptor();
        }
    }
}
