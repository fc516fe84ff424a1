package io.roomkit.spring.stomp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

import static org.assertj.core.api.Assertions.assertThat;

/** Which identity sources are active is decided from the application's beans, and logged. */
@ExtendWith(OutputCaptureExtension.class)
class StompIdentitySourcesTests {

    private final DefaultListableBeanFactory beans = new DefaultListableBeanFactory();

    @Test
    void withoutSpringSecurityTheLoginHeaderIsTrustedWhenAskedFor(CapturedOutput output) {
        StompIdentitySources sources = StompIdentitySources.of(beans, true);

        assertThat(sources.trustClientLogin()).isTrue();
        assertThat(sources.springSecurity()).isFalse();
        sources.log(LoggerFactory.getLogger(StompIdentitySourcesTests.class));
        assertThat(output).contains("RoomKit STOMP users: the CONNECT frame's login header");
    }

    @Test
    void aSecurityFilterChainMeansSpringSecurityIsInUseAndTheLoginHeaderIsIgnored(CapturedOutput output) {
        beans.registerBeanDefinition("chain", new RootBeanDefinition(SecurityFilterChain.class,
                () -> new DefaultSecurityFilterChain(AnyRequestMatcher.INSTANCE)));

        StompIdentitySources sources = StompIdentitySources.of(beans, true);

        assertThat(sources.springSecurity()).isTrue();
        assertThat(sources.trustClientLogin()).isFalse();
        assertThat(sources.loginIgnored()).isTrue();
        sources.log(LoggerFactory.getLogger(StompIdentitySourcesTests.class));
        assertThat(output).contains("roomkit.websocket.trust-client-login is ignored")
                .contains("RoomKit STOMP users: the user signed in to the HTTP session (Spring Security")
                .doesNotContain("bearer JWT");
    }

    @Test
    void aJwtDecoderAddsBearerTokens(CapturedOutput output) {
        beans.registerBeanDefinition("springSecurityFilterChain", new RootBeanDefinition(Object.class));
        beans.registerBeanDefinition("jwtDecoder", new RootBeanDefinition(JwtDecoder.class,
                () -> token -> null));

        StompIdentitySources sources = StompIdentitySources.of(beans, false);

        assertThat(sources.springSecurity()).isTrue();
        assertThat(sources.bearerTokens()).isTrue();
        assertThat(sources.loginIgnored()).isFalse();
        sources.log(LoggerFactory.getLogger(StompIdentitySourcesTests.class));
        assertThat(output).contains("or a bearer JWT in the CONNECT frame's Authorization header");
    }
}
