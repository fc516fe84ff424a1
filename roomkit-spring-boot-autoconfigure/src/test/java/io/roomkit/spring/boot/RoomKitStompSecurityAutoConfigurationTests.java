package io.roomkit.spring.boot;

import io.roomkit.spring.stomp.BearerAwareCsrfChannelInterceptor;
import io.roomkit.spring.stomp.JwtBearerAuthenticator;
import io.roomkit.spring.stomp.RoomKitStompInterceptor;
import io.roomkit.spring.stomp.RoomKitStompSecurityConfigurer;
import io.roomkit.spring.stomp.StompBearerAuthenticator;
import io.roomkit.spring.stomp.StompSecurityInterceptor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.Ordered;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;

class RoomKitStompSecurityAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RoomKitStompSecurityAutoConfiguration.class));

    private static RoomKitStompInterceptor stompInterceptor() {
        StaticListableBeanFactory none = new StaticListableBeanFactory();
        return new RoomKitStompInterceptor(false, none.getBeanProvider(io.roomkit.spring.stomp.RoomAccessPolicy.class),
                none.getBeanProvider(io.roomkit.spring.presence.PresenceTracker.class),
                none.getBeanProvider(io.roomkit.spring.stomp.StompErrors.class));
    }

    @Test
    void withSpringSecurityTheInterceptorGoesFirstAndTokensAndCsrfAreHandled() {
        runner.withBean(RoomKitStompInterceptor.class, RoomKitStompSecurityAutoConfigurationTests::stompInterceptor)
                .run(context -> {
                    assertThat(context).hasSingleBean(StompSecurityInterceptor.class);
                    assertThat(context.getBean(RoomKitStompSecurityConfigurer.class).getOrder())
                            .isLessThan(Ordered.HIGHEST_PRECEDENCE + 100);
                    assertThat(context.getBean(StompBearerAuthenticator.class))
                            .isInstanceOf(JwtBearerAuthenticator.class);
                    assertThat(context.getBean("csrfChannelInterceptor"))
                            .isInstanceOf(BearerAwareCsrfChannelInterceptor.class);
                });
    }

    @Test
    void withoutRoomKitsStompProtocolNothingIsDefined() {
        runner.run(context -> assertThat(context).doesNotHaveBean(StompSecurityInterceptor.class)
                .doesNotHaveBean("csrfChannelInterceptor"));
    }

    @Test
    void withoutSpringSecurityNothingIsDefined() {
        runner.withBean(RoomKitStompInterceptor.class, RoomKitStompSecurityAutoConfigurationTests::stompInterceptor)
                .withClassLoader(new FilteredClassLoader(Authentication.class)).run(context -> assertThat(context)
                        .doesNotHaveBean(StompSecurityInterceptor.class).doesNotHaveBean("csrfChannelInterceptor"));
    }

    @Test
    void withoutTheResourceServerTokensAreRefusedButCsrfIsStillHandled() {
        runner.withBean(RoomKitStompInterceptor.class, RoomKitStompSecurityAutoConfigurationTests::stompInterceptor)
                .withClassLoader(new FilteredClassLoader(JwtDecoder.class)).run(context -> {
                    assertThat(context).hasSingleBean(StompSecurityInterceptor.class)
                            .doesNotHaveBean(StompBearerAuthenticator.class).hasBean("csrfChannelInterceptor");
                });
    }

    @Test
    void withoutSpringSecurityMessagingTheCsrfCheckIsLeftAlone() {
        runner.withBean(RoomKitStompInterceptor.class, RoomKitStompSecurityAutoConfigurationTests::stompInterceptor)
                .withClassLoader(new FilteredClassLoader(
                        org.springframework.security.messaging.web.csrf.XorCsrfChannelInterceptor.class))
                .run(context -> assertThat(context).hasSingleBean(StompSecurityInterceptor.class)
                        .doesNotHaveBean("csrfChannelInterceptor"));
    }

    @Test
    void theApplicationsOwnBeansWin() {
        ChannelInterceptor ownCsrf = new ChannelInterceptor() {
        };
        StompBearerAuthenticator ownTokens = token -> () -> "opaque-" + token;
        runner.withBean(RoomKitStompInterceptor.class, RoomKitStompSecurityAutoConfigurationTests::stompInterceptor)
                .withBean("csrfChannelInterceptor", ChannelInterceptor.class, () -> ownCsrf)
                .withBean(StompBearerAuthenticator.class, () -> ownTokens).run(context -> {
                    assertThat(context.getBean("csrfChannelInterceptor")).isSameAs(ownCsrf);
                    assertThat(context.getBean(StompBearerAuthenticator.class)).isSameAs(ownTokens);
                });
    }
}
