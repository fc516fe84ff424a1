package io.roomkit.spring.stomp;

import io.roomkit.ErrorCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageSendingOperations;
import org.springframework.messaging.simp.SimpMessageType;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reports a refused client frame on {@code /user/queue/errors} as {@code {code, message, destination}} to the
 * STOMP session that sent it, and logs it. The connection stays open and nothing else happens.
 * <p>
 * The error is addressed to the session, not to the user: a user with several tabs gets it in the tab that
 * sent the frame only, and Spring resolves the user destination to one target, which it must (with publish
 * order preserved, a message resolved to several sessions fails for all but one of them with "Expected
 * mutable SimpMessageHeaderAccessor").
 */
public class StompErrors {

    /** A destination that is not part of the protocol, or a query string where only history takes one. */
    public static final String UNKNOWN_DESTINATION = "unknown_destination";
    /** A SUBSCRIBE to a destination (or with a subscription id) the session already holds. */
    public static final String ALREADY_SUBSCRIBED = "already_subscribed";
    /** A payload that is not a JSON object. */
    public static final String INVALID_JSON = "invalid_json";
    /** The server failed for a reason of its own; logged with the cause. */
    public static final String INTERNAL_ERROR = "internal_error";

    private static final Logger log = LoggerFactory.getLogger(StompErrors.class);

    private final SimpMessageSendingOperations messaging;

    public StompErrors(SimpMessageSendingOperations messaging) {
        this.messaging = messaging;
    }

    /**
     * Sends the error to session {@code sessionId} of {@code user}; without a session id (a frame that did not
     * come from a client session) it is only logged.
     */
    public void send(Principal user, String sessionId, String code, String message, String destination) {
        send(user, sessionId, code, message, destination, Map.of());
    }

    /**
     * Like {@link #send(Principal, String, String, String, String)}, with {@code details} added to the payload
     * (such as {@code retry_after_ms}; a {@code null} value is sent as JSON {@code null}). Rate-limit refusals are
     * logged at DEBUG only: a flooding client would otherwise write a log line per frame (the limiter logs the
     * first refusal of a run).
     */
    public void send(Principal user, String sessionId, String code, String message, String destination,
            Map<String, Object> details) {
        String who = user == null ? "anonymous" : user.getName();
        if (ErrorCodes.RATE_LIMITED.equals(code)) {
            log.debug("Refused STOMP frame from {} to {}: {} ({})", who, destination, code, message);
        }
        else {
            log.info("Refused STOMP frame from {} to {}: {} ({})", who, destination, code, message);
        }
        if (user == null || sessionId == null) {
            return;
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("code", code);
        payload.put("message", message);
        payload.put("destination", destination);
        payload.putAll(details);
        messaging.convertAndSendToUser(user.getName(), StompDestinations.ERRORS, payload, toSession(sessionId));
    }

    private static Map<String, Object> toSession(String sessionId) {
        SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
        headers.setSessionId(sessionId);
        headers.setLeaveMutable(true);
        return headers.getMessageHeaders();
    }
}
