package io.roomkit.sample.browser;

import org.springframework.context.ApplicationListener;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.messaging.SessionConnectedEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets a test play the network: close a user's WebSocket sessions from the server side, and refuse new
 * connections for a while (each one is closed as soon as it opens, before STOMP sees it).
 */
public class ConnectionControl implements WebSocketMessageBrokerConfigurer, ApplicationListener<SessionConnectedEvent> {

    private final Map<String, WebSocketSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, String> users = new ConcurrentHashMap<>();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private volatile boolean refusing;

    @Override
    public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
        registration.addDecoratorFactory(Tracking::new);
    }

    @Override
    public void onApplicationEvent(SessionConnectedEvent event) {
        String sessionId = (String) event.getMessage().getHeaders().get("simpSessionId");
        if (sessionId != null && event.getUser() != null) {
            users.put(sessionId, event.getUser().getName());
        }
    }

    /** Closes every open STOMP session of the user; returns how many. */
    public int drop(String user) {
        List<WebSocketSession> open = sessionsOf(user).stream().filter(WebSocketSession::isOpen).toList();
        for (WebSocketSession session : open) {
            try {
                session.close(CloseStatus.SERVICE_RESTARTED);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return open.size();
    }

    /** The user's sessions that the application has not finished closing (presence and typing are settled). */
    public List<WebSocketSession> sessionsOf(String user) {
        return sessions.values().stream().filter(session -> user.equals(users.get(session.getId()))).toList();
    }

    public void refuseNewConnections(boolean refuse) {
        this.refusing = refuse;
    }

    private final class Tracking extends WebSocketHandlerDecorator {

        Tracking(WebSocketHandler delegate) {
            super(delegate);
        }

        @Override
        public void afterConnectionEstablished(WebSocketSession session) throws Exception {
            if (refusing) {
                refused.add(session.getId());
                session.close(CloseStatus.SERVICE_RESTARTED);
                return;
            }
            sessions.put(session.getId(), session);
            super.afterConnectionEstablished(session);
        }

        @Override
        public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) throws Exception {
            if (!refused.contains(session.getId())) {
                super.handleMessage(session, message);
            }
        }

        @Override
        public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
            if (refused.remove(session.getId())) {
                return;
            }
            try {
                super.afterConnectionClosed(session, closeStatus);
            }
            finally {
                sessions.remove(session.getId());
                users.remove(session.getId());
            }
        }
    }
}
