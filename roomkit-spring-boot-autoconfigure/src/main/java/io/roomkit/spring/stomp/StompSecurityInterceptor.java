package io.roomkit.spring.stomp;

import io.roomkit.ErrorCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.csrf.CsrfException;

import java.security.Principal;
import java.util.Locale;
import java.util.Map;

/**
 * The first interceptor of the client inbound channel when Spring Security is on the classpath, placed before
 * Spring Security's own ({@link RoomKitStompSecurityConfigurer#ORDER}):
 * <ul>
 * <li><b>Bearer tokens on CONNECT.</b> A CONNECT (or STOMP) frame with an {@code Authorization: Bearer <token>}
 * header is authenticated by the {@link StompBearerAuthenticator} (the application's {@code JwtDecoder}); the
 * result becomes the session's user before Spring Security's message authorization looks at the frame. An
 * expired, forged or malformed token, a token without an authenticator, or a token naming another user than the
 * signed-in HTTP session is answered with an ERROR frame, which ends the connection.</li>
 * <li><b>Refusals by later interceptors are answered.</b> RoomKit preserves the order of each session's frames,
 * and Spring then only logs an exception thrown by an interceptor: the client would wait on an open connection.
 * So when Spring Security's CSRF check or its {@code AuthorizationManager<Message<?>>} refuses a CONNECT, this
 * interceptor answers with an ERROR frame, and when it refuses a SUBSCRIBE or SEND, with {@code not_authorized}
 * on {@code /user/queue/errors}, like RoomKit's own refusals.</li>
 * </ul>
 */
public class StompSecurityInterceptor implements ChannelInterceptor {

    /** The CONNECT header that carries a bearer token, as on HTTP. */
    public static final String AUTHORIZATION_HEADER = "Authorization";
    /**
     * Session attribute set when the session's user was proven by a bearer token: such a CONNECT carries no
     * ambient credential (a cookie), so it needs no CSRF token ({@link BearerAwareCsrfChannelInterceptor}).
     */
    public static final String BEARER_AUTHENTICATED = StompSecurityInterceptor.class.getName() + ".BEARER";

    private static final Logger log = LoggerFactory.getLogger(StompSecurityInterceptor.class);
    private static final String BEARER = "Bearer ";

    private final ObjectProvider<StompBearerAuthenticator> bearer;
    private final ObjectProvider<MessageChannel> clientOutbound;
    private final ObjectProvider<StompErrors> errors;

    public StompSecurityInterceptor(ObjectProvider<StompBearerAuthenticator> bearer,
            ObjectProvider<MessageChannel> clientOutbound, ObjectProvider<StompErrors> errors) {
        this.bearer = bearer;
        this.clientOutbound = clientOutbound;
        this.errors = errors;
    }

    @Override
    public Message<?> preSend(Message<?> message, MessageChannel channel) {
        StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
        if (accessor == null || !isConnect(accessor.getCommand())) {
            return message;
        }
        String authorization = accessor.getFirstNativeHeader(AUTHORIZATION_HEADER);
        if (authorization == null) {
            authorization = accessor.getFirstNativeHeader(AUTHORIZATION_HEADER.toLowerCase(Locale.ROOT));
        }
        if (authorization == null) {
            return message;
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || authorization.substring(BEARER.length()).isBlank()) {
            return refuseConnect(accessor, "CONNECT refused (invalid_request): the Authorization header must be "
                    + "'Bearer <token>'");
        }
        StompBearerAuthenticator authenticator = bearer.getIfAvailable();
        if (authenticator == null) {
            return refuseConnect(accessor, "CONNECT refused (invalid_token): this server accepts no bearer tokens");
        }
        Principal user;
        try {
            user = authenticator.authenticate(authorization.substring(BEARER.length()).strip());
        }
        catch (RuntimeException refused) {
            // the reason (expired, bad signature, ...) is for the operator; the client learns only that it failed
            log.info("Refused the bearer token of STOMP session {}: {}", accessor.getSessionId(), refused.toString());
            return refuseConnect(accessor, "CONNECT refused (invalid_token): the bearer token is expired, not "
                    + "signed by a trusted key, or malformed");
        }
        Principal signedIn = accessor.getUser();
        if (signedIn != null && !signedIn.getName().equals(user.getName())) {
            return refuseConnect(accessor, "CONNECT refused (invalid_token): the bearer token names another user "
                    + "than the signed-in session");
        }
        accessor.setUser(user);
        Map<String, Object> attributes = accessor.getSessionAttributes();
        if (attributes != null) {
            attributes.put(BEARER_AUTHENTICATED, Boolean.TRUE);
        }
        return message;
    }

    @Override
    public void afterSendCompletion(Message<?> message, MessageChannel channel, boolean sent, Exception ex) {
        if (ex == null) {
            return;
        }
        StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
        if (accessor == null || accessor.getCommand() == null) {
            return;
        }
        if (isConnect(accessor.getCommand())) {
            refuseConnect(accessor, "CONNECT refused (" + reason(ex) + ")");
        }
        else if ((accessor.getCommand() == StompCommand.SUBSCRIBE || accessor.getCommand() == StompCommand.SEND)
                && cause(ex, AccessDeniedException.class) != null) {
            errors.getObject().send(accessor.getUser(), accessor.getSessionId(), ErrorCodes.NOT_AUTHORIZED,
                    "Refused by the application's message security rules", accessor.getDestination());
        }
    }

    private static String reason(Exception ex) {
        if (cause(ex, CsrfException.class) != null) {
            return "invalid_csrf_token): send the CSRF token of the signed-in page in the CONNECT frame";
        }
        if (cause(ex, AccessDeniedException.class) != null) {
            return "access_denied): the application's message security rules refuse this connection";
        }
        if (cause(ex, AuthenticationException.class) != null) {
            return "unauthenticated): sign in first";
        }
        return "server_error): the server could not accept the connection";
    }

    private static <T extends Throwable> T cause(Throwable error, Class<T> type) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
        }
        return null;
    }

    private static boolean isConnect(StompCommand command) {
        return command == StompCommand.CONNECT || command == StompCommand.STOMP;
    }

    /** Answers the CONNECT with an ERROR frame, which also closes the session; the frame goes no further. */
    private Message<?> refuseConnect(StompHeaderAccessor accessor, String reason) {
        sendConnectError(clientOutbound, accessor.getSessionId(), reason);
        return null;
    }

    /** Sends an ERROR frame to a session through the broker's {@code clientOutboundChannel}. */
    static void sendConnectError(ObjectProvider<MessageChannel> clientOutbound, String sessionId, String reason) {
        MessageChannel outbound = clientOutbound.getIfAvailable();
        if (outbound == null) {
            log.warn("Could not answer STOMP session {}: {}", sessionId, reason);
            return;
        }
        StompHeaderAccessor error = StompHeaderAccessor.create(StompCommand.ERROR);
        error.setMessage(reason);
        error.setSessionId(sessionId);
        outbound.send(MessageBuilder.createMessage(new byte[0], error.getMessageHeaders()));
    }
}
