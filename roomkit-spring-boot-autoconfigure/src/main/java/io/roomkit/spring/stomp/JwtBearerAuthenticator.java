package io.roomkit.spring.stomp;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;

import java.security.Principal;

/**
 * Checks a bearer JWT exactly as the application's resource server checks one on HTTP: with its
 * {@link JwtDecoder} (signature, expiry and the validators it was built with) and its
 * {@link JwtAuthenticationConverter} when it has one (Spring Boot defines one for
 * {@code spring.security.oauth2.resourceserver.jwt.principal-claim-name} and the authority properties). The user
 * is the resulting {@code JwtAuthenticationToken}, named after the token's {@code sub} claim by default.
 * <p>
 * The decoder is looked up on the first CONNECT that carries a token, so its bean may come from any
 * configuration; without one, tokens are refused.
 */
public class JwtBearerAuthenticator implements StompBearerAuthenticator {

    private final ObjectProvider<JwtDecoder> decoder;
    private final ObjectProvider<JwtAuthenticationConverter> converter;
    private volatile JwtAuthenticationProvider provider;

    public JwtBearerAuthenticator(ObjectProvider<JwtDecoder> decoder,
            ObjectProvider<JwtAuthenticationConverter> converter) {
        this.decoder = decoder;
        this.converter = converter;
    }

    @Override
    public Principal authenticate(String token) {
        Authentication authentication = provider().authenticate(new BearerTokenAuthenticationToken(token));
        if (!(authentication instanceof AbstractAuthenticationToken) || !authentication.isAuthenticated()) {
            throw new IllegalStateException("The JWT converter returned no authenticated user");
        }
        return authentication;
    }

    private JwtAuthenticationProvider provider() {
        JwtAuthenticationProvider current = provider;
        if (current == null) {
            JwtDecoder jwtDecoder = decoder.getIfUnique();
            if (jwtDecoder == null) {
                throw new IllegalStateException("Bearer tokens are not accepted: the application has no (single) "
                        + "JwtDecoder bean");
            }
            current = new JwtAuthenticationProvider(jwtDecoder);
            JwtAuthenticationConverter jwtConverter = converter.getIfUnique();
            if (jwtConverter != null) {
                current.setJwtAuthenticationConverter(jwtConverter);
            }
            provider = current;
        }
        return current;
    }
}
