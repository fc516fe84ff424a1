package io.roomkit.spring.stomp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.simp.SimpMessageSendingOperations;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reports a refused client frame to its sender on {@code /user/queue/errors} as {@code {code, message,
 * destination}}, and logs it. The connection stays open and nothing else happens.
 */
public class StompErrors {

    private static final Logger log = LoggerFactory.getLogger(StompErrors.class);

    private final SimpMessageSendingOperations messaging;

    public StompErrors(SimpMessageSendingOperations messaging) {
        this.messaging = messaging;
    }

    public void send(Principal user, String code, String message, String destination) {
        log.info("Refused STOMP frame from {} to {}: {} ({})", user == null ? "anonymous" : user.getName(),
                destination, code, message);
        if (user == null) {
            return;
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("code", code);
        payload.put("message", message);
        payload.put("destination", destination);
        messaging.convertAndSendToUser(user.getName(), StompDestinations.ERRORS, (Object) payload);
    }
}
