package io.roomkit.spring.stomp.security.app;

import io.roomkit.channel.WebSocketChannel;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.socket.EnableWebSocketSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.messaging.access.intercept.MessageMatcherDelegatingAuthorizationManager;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;

import static org.springframework.security.config.Customizer.withDefaults;

/**
 * An application secured as the README's "Security" section describes: form login over HTTP with the users
 * alice, bob and support-desk, bearer JWTs checked by a {@link JwtDecoder} (here with an RSA key generated at
 * start-up, so no network), the application channel {@code ws-support-desk} of the README's example, and, with
 * {@code roomkit-test.message-security=true}, Spring Security's message authorization and CSRF check of CONNECT.
 */
@SpringBootApplication
@EnableWebSecurity
public class SecuredChatApplication {

    /** Password of every demo user. */
    public static final String PASSWORD = "secret";

    // README:security-chain:begin
    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        // the handshake of a client without cookies carries no identity; its CONNECT frame does
                        .requestMatchers("/roomkit/ws").permitAll()
                        .requestMatchers("/csrf").permitAll()
                        .anyRequest().authenticated())
                .formLogin(withDefaults())
                .oauth2ResourceServer(resourceServer -> resourceServer.jwt(withDefaults()));
        return http.build();
    }

    @Bean   // with this bean (or spring.security.oauth2.resourceserver.jwt.*), CONNECT frames may carry a JWT
    JwtDecoder jwtDecoder(KeyPair tokenKeys) {
        return NimbusJwtDecoder.withPublicKey((RSAPublicKey) tokenKeys.getPublic()).build();
    }
    // README:security-chain:end

    /** The key pair the tests sign their tokens with, generated for this run. */
    @Bean
    KeyPair tokenKeys() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    @Bean
    UserDetailsService users() {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        return new InMemoryUserDetailsManager(
                User.withUsername("alice").password(encoder.encode(PASSWORD)).roles("USER").build(),
                User.withUsername("bob").password(encoder.encode(PASSWORD)).roles("USER").build(),
                User.withUsername("support-desk").password(encoder.encode(PASSWORD)).roles("USER").build());
    }

    @Bean   // the README's application channel: users named support-desk must not write through it
    WebSocketChannel supportDesk() {
        return new WebSocketChannel("ws-support-desk");
    }

    /** What a page would embed: the session's CSRF token, for the CONNECT frame. */
    @RestController
    static class CsrfController {

        @GetMapping("/csrf")
        Map<String, String> csrf(CsrfToken token) {
            return Map.of("header_name", token.getHeaderName(), "token", token.getToken());
        }
    }

    /** Spring Security's message-level security: authorization rules and the CSRF check of CONNECT. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty("roomkit-test.message-security")
    @EnableWebSocketSecurity
    static class MessageSecurity {

        // README:message-security:begin
        @Bean
        AuthorizationManager<Message<?>> messageAuthorizationManager() {
            return MessageMatcherDelegatingAuthorizationManager.builder()
                    .simpTypeMatchers(SimpMessageType.CONNECT, SimpMessageType.HEARTBEAT,
                            SimpMessageType.UNSUBSCRIBE, SimpMessageType.DISCONNECT).permitAll()
                    .simpSubscribeDestMatchers("/topic/rooms.staff-*").hasRole("STAFF")
                    .anyMessage().authenticated()
                    .build();
        }
        // README:message-security:end
    }
}
