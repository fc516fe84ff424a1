package io.roomkit.sample;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
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
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import static org.springframework.security.config.Customizer.withDefaults;

/**
 * The {@code secure} profile ({@code --spring.profiles.active=secure}): Spring Security's form login with two demo
 * users, alice and bob (passwords in {@link #DEMO_PASSWORDS}), who are the STOMP users through the session of the
 * WebSocket handshake; and Spring Security's message security, so the page sends its CSRF token with CONNECT.
 * Without the profile, Spring Security's auto-configuration is excluded (application.properties) and the browser
 * picks its name, which the development login header carries.
 */
@Configuration(proxyBeanMethods = false)
@Profile("secure")
@EnableWebSecurity
@EnableWebSocketSecurity
class SecureConfiguration {

    /** The demo users and their passwords: alice / wonderland, bob / builder. */
    static final String[][] DEMO_PASSWORDS = { { "alice", "wonderland" }, { "bob", "builder" } };

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/favicon.svg", "/app.css").permitAll()
                        .anyRequest().authenticated())
                .formLogin(withDefaults())
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"));
        return http.build();
    }

    @Bean
    UserDetailsService demoUsers() {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();
        for (String[] user : DEMO_PASSWORDS) {
            users.createUser(User.withUsername(user[0]).password(encoder.encode(user[1])).roles("USER").build());
        }
        return users;
    }

    /**
     * Every frame after CONNECT needs a signed-in user; RoomKit's own checks (rooms, identity in payloads) come on
     * top. CONNECT itself is permitted here, so that RoomKit answers an unauthenticated one with an ERROR frame that
     * says why; the CSRF check of CONNECT still applies.
     */
    @Bean
    AuthorizationManager<Message<?>> messageAuthorizationManager() {
        return MessageMatcherDelegatingAuthorizationManager.builder()
                .simpTypeMatchers(SimpMessageType.CONNECT, SimpMessageType.HEARTBEAT, SimpMessageType.UNSUBSCRIBE,
                        SimpMessageType.DISCONNECT).permitAll()
                .anyMessage().authenticated()
                .build();
    }
}
