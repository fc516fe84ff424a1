package io.roomkit.spring.stomp;

import java.security.Principal;

/**
 * Turns the bearer token of a CONNECT frame's {@code Authorization: Bearer <token>} header into the STOMP
 * session's user. The auto-configuration provides one backed by the application's {@code JwtDecoder}; define a
 * bean of this type to accept another kind of token.
 */
@FunctionalInterface
public interface StompBearerAuthenticator {

    /**
     * The user the token proves, or an exception (any {@link RuntimeException}) when it is expired, forged,
     * malformed or cannot be checked: the CONNECT is then refused with an ERROR frame.
     */
    Principal authenticate(String token);
}
