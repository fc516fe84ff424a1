package io.roomkit.spring.stomp;

import org.slf4j.Logger;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Where the users of STOMP sessions come from, decided once at start-up and logged:
 * <ul>
 * <li>the <b>handshake principal</b>, always: the user of the HTTP request that opened the WebSocket (with Spring
 * Security, the user signed in to the HTTP session);</li>
 * <li>a <b>bearer JWT</b> in the CONNECT frame's {@code Authorization} header, when Spring Security's resource
 * server support is present and the application has a {@code JwtDecoder} bean;</li>
 * <li>the CONNECT frame's <b>{@code login} header</b>, only with {@code roomkit.websocket.trust-client-login=true}
 * and never while Spring Security is in use.</li>
 * </ul>
 * Spring Security counts as in use when the application has a web security filter chain (a
 * {@code SecurityFilterChain} bean or Spring Security's {@code springSecurityFilterChain}): that is what
 * authenticates users, whereas its classes alone may be on the classpath of an application (or of a profile)
 * that does not use them.
 *
 * @param springSecurity   Spring Security authenticates the application's HTTP requests
 * @param bearerTokens     a bearer JWT on CONNECT is accepted
 * @param trustClientLogin the login header names the user (requested and allowed)
 * @param loginIgnored     trust-client-login was requested but is ignored because of Spring Security
 */
public record StompIdentitySources(boolean springSecurity, boolean bearerTokens, boolean trustClientLogin,
        boolean loginIgnored) {

    private static final String FILTER_CHAIN = "org.springframework.security.web.SecurityFilterChain";
    private static final String FILTER_CHAIN_BEAN = "springSecurityFilterChain";
    private static final String JWT_DECODER = "org.springframework.security.oauth2.jwt.JwtDecoder";
    private static final String JWT_PROVIDER =
            "org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider";

    /** The sources for the beans {@code beans} defines and the requested {@code trust-client-login}. */
    public static StompIdentitySources of(ListableBeanFactory beans, boolean trustClientLoginRequested) {
        ClassLoader classLoader = StompIdentitySources.class.getClassLoader();
        boolean springSecurity = ClassUtils.isPresent(FILTER_CHAIN, classLoader)
                && (hasBean(beans, FILTER_CHAIN, classLoader) || beans.containsBean(FILTER_CHAIN_BEAN));
        boolean bearer = ClassUtils.isPresent(JWT_PROVIDER, classLoader) && hasBean(beans, JWT_DECODER, classLoader);
        return new StompIdentitySources(springSecurity, bearer, trustClientLoginRequested && !springSecurity,
                trustClientLoginRequested && springSecurity);
    }

    private static boolean hasBean(ListableBeanFactory beans, String typeName, ClassLoader classLoader) {
        if (!ClassUtils.isPresent(typeName, classLoader)) {
            return false;
        }
        Class<?> type = ClassUtils.resolveClassName(typeName, classLoader);
        return beans.getBeanNamesForType(type, true, false).length > 0;
    }

    /** One line that says where users come from (and a warning when trust-client-login is ignored). */
    public void log(Logger log) {
        if (loginIgnored) {
            log.warn("roomkit.websocket.trust-client-login is ignored: Spring Security is in use, so STOMP users are "
                    + "authenticated principals and a CONNECT frame's login header never names the user");
        }
        if (trustClientLogin) {
            log.warn("RoomKit STOMP users: the CONNECT frame's login header (roomkit.websocket.trust-client-login="
                    + "true) - for development only, anyone can connect as anyone");
            return;
        }
        StringBuilder line = new StringBuilder("RoomKit STOMP users: ");
        line.append(springSecurity ? "the user signed in to the HTTP session (Spring Security, handshake principal)"
                : "the principal of the WebSocket handshake request");
        if (bearerTokens) {
            line.append(", or a bearer JWT in the CONNECT frame's Authorization header, checked by the application's "
                    + "JwtDecoder");
        }
        line.append("; other CONNECTs are refused");
        log.info(line.toString());
    }
}
