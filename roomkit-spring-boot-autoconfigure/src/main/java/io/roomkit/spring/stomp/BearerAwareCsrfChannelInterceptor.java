package io.roomkit.spring.stomp;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.security.messaging.web.csrf.XorCsrfChannelInterceptor;

import java.util.Map;

/**
 * Spring Security's CSRF check of CONNECT frames ({@link XorCsrfChannelInterceptor}, used by
 * {@code @EnableWebSocketSecurity}), except for a CONNECT whose user was proven by a bearer token
 * ({@link StompSecurityInterceptor#BEARER_AUTHENTICATED}).
 * <p>
 * Why the exception is safe: CSRF protects credentials a browser attaches on its own, the session cookie of the
 * handshake. A page of another site can open a WebSocket to this server with the victim's cookie, but it cannot
 * read the CSRF token, so the CONNECT check stops it. A bearer token is never attached by the browser: a client
 * that has one is that user, and the session is then that token's user (a token naming another user than the
 * handshake's cookie session is refused). A client without cookies (a mobile app, a server) could not present a
 * CSRF token anyway, since the token lives in the HTTP session. Every other CONNECT, including every CONNECT of a
 * cookie session, is checked exactly as Spring Security checks it.
 * <p>
 * The auto-configuration registers it as the {@code csrfChannelInterceptor} bean, the name Spring Security looks
 * up, unless the application defines that bean itself.
 */
public class BearerAwareCsrfChannelInterceptor implements ChannelInterceptor {

    private final ChannelInterceptor csrf;

    public BearerAwareCsrfChannelInterceptor() {
        this(new XorCsrfChannelInterceptor());
    }

    /** Wraps another CSRF check. */
    public BearerAwareCsrfChannelInterceptor(ChannelInterceptor csrf) {
        this.csrf = csrf;
    }

    @Override
    public Message<?> preSend(Message<?> message, MessageChannel channel) {
        Map<String, Object> attributes = SimpMessageHeaderAccessor.getSessionAttributes(message.getHeaders());
        if (attributes != null && Boolean.TRUE.equals(attributes.get(StompSecurityInterceptor.BEARER_AUTHENTICATED))) {
            return message;
        }
        return csrf.preSend(message, channel);
    }
}
