package io.roomkit.spring.stomp.security;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import io.roomkit.RoomKit;
import io.roomkit.model.EventQuery;
import io.roomkit.model.RoomEvent;
import io.roomkit.spring.stomp.StompTestClient;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.web.socket.WebSocketHttpHeaders;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.function.Predicate;

import static io.roomkit.spring.stomp.StompTestClient.await;

/** Clients of the {@code SecuredChatApplication}: signed in over HTTP, or carrying a JWT. */
abstract class SecuredStompSupport {

    @LocalServerPort
    int port;

    @Autowired
    RoomKit kit;

    /** The application's token key pair (its JwtDecoder trusts the public key). */
    @Autowired
    KeyPair tokenKeys;

    final String room = "room-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<StompTestClient> clients = new ArrayList<>();

    @AfterEach
    void disconnect() {
        clients.forEach(StompTestClient::close);
    }

    /** Connects with a signed-in session's cookie and, when {@code withCsrf}, its CSRF token. */
    StompTestClient connect(HttpSession session, boolean withCsrf) throws Exception {
        return keep(StompTestClient.connect(port, handshake(session), connectHeaders(session, withCsrf, null)));
    }

    /** Connects without cookies, with {@code Authorization: Bearer <token>}. */
    StompTestClient connectWithToken(String token) throws Exception {
        return keep(StompTestClient.connect(port, new WebSocketHttpHeaders(), connectHeaders(null, false, token)));
    }

    private StompTestClient keep(StompTestClient client) {
        clients.add(client);
        return client;
    }

    static WebSocketHttpHeaders handshake(HttpSession session) {
        WebSocketHttpHeaders headers = new WebSocketHttpHeaders();
        if (session != null) {
            headers.add("Cookie", session.cookie());
        }
        return headers;
    }

    static StompHeaders connectHeaders(HttpSession session, boolean withCsrf, String token) {
        StompHeaders headers = new StompHeaders();
        if (withCsrf) {
            headers.add(session.csrfHeader(), session.csrfToken());
        }
        if (token != null) {
            headers.add("Authorization", "Bearer " + token);
        }
        return headers;
    }

    /** A token for {@code subject} signed with the application's key, valid for five minutes. */
    String token(String subject) {
        return token(subject, tokenKeys, Instant.now().plus(Duration.ofMinutes(5)));
    }

    static String token(String subject, KeyPair keys, Instant expiresAt) {
        RSAKey key = new RSAKey.Builder((RSAPublicKey) keys.getPublic())
                .privateKey((RSAPrivateKey) keys.getPrivate()).build();
        NimbusJwtEncoder encoder = new NimbusJwtEncoder(
                new ImmutableJWKSet<>(new JWKSet(key)));
        JwtClaimsSet claims = JwtClaimsSet.builder().subject(subject).issuedAt(expiresAt.minus(Duration.ofHours(1)))
                .expiresAt(expiresAt).build();
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).build(), claims))
                .getTokenValue();
    }

    static KeyPair otherKeys() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    String events() {
        return "/topic/rooms." + room + ".events";
    }

    String app(String action) {
        return "/app/rooms." + room + "." + action;
    }

    /** Waits for the history reply, so that every frame the client sent before has been handled. */
    Map<String, Object> sync(StompTestClient client) throws InterruptedException {
        return await(client.subscribe("/app/rooms." + room + ".history"), reply -> true);
    }

    /** Sends a message with identity fields naming {@code impostor}, and waits for its event. */
    Map<String, Object> postAs(StompTestClient client, BlockingQueue<Map<String, Object>> events, String text,
            String impostor) throws InterruptedException {
        client.send(app("messages"), Map.of("content", text, "user_id", impostor, "sender_id", impostor,
                "participant_id", impostor, "channel_id", "ws-" + impostor,
                "source", Map.of("participant_id", impostor, "channel_id", "ws-" + impostor)));
        return await(events, text(text));
    }

    static Predicate<Map<String, Object>> text(String body) {
        return event -> "message".equals(event.get("type")) && event.get("content") instanceof Map<?, ?> content
                && body.equals(content.get("body"));
    }

    List<RoomEvent> stored() {
        return kit.getRoom(room).isPresent() ? kit.events(room, EventQuery.latest(200)) : List.of();
    }
}
