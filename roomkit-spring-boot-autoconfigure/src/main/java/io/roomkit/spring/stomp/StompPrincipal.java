package io.roomkit.spring.stomp;

import java.security.Principal;
import java.util.regex.Pattern;

/**
 * A user named by the CONNECT frame's {@code login} header, accepted only with
 * {@code roomkit.websocket.trust-client-login=true}. Names are 1 to 64 letters, digits, {@code _ . @ -}.
 */
public record StompPrincipal(String name) implements Principal {

    private static final Pattern VALID = Pattern.compile("[\\p{L}\\p{N}_.@-]{1,64}");

    public static boolean isValidName(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    @Override
    public String getName() {
        return name;
    }
}
