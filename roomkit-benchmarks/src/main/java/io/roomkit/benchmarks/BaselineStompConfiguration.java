package io.roomkit.benchmarks;

import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.handler.annotation.DestinationVariable;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.stereotype.Controller;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

import java.security.Principal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load tool's baseline: what an application would write with plain Spring STOMP instead of RoomKit. The
 * simple broker, the same endpoint and destinations as RoomKit, a tiny controller that turns each frame into an
 * event map (the same fields RoomKit sends) and hands it to a {@link SimpMessagingTemplate}; nothing is stored.
 * The user comes from the CONNECT frame's {@code login} header, like RoomKit's {@code trust-client-login}, and
 * frames keep their order per session both ways, as with RoomKit, so both servers give the same guarantees.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocketMessageBroker
public class BaselineStompConfiguration implements WebSocketMessageBrokerConfigurer {

    @Override
    public void registerStompEndpoints(StompEndpointRegistry registry) {
        registry.addEndpoint("/roomkit/ws");
        registry.setPreserveReceiveOrder(true);
    }

    @Override
    public void configureMessageBroker(MessageBrokerRegistry registry) {
        registry.setApplicationDestinationPrefixes("/app");
        registry.enableSimpleBroker("/topic", "/queue");
        registry.setPreservePublishOrder(true);
    }

    @Override
    public void configureClientInboundChannel(ChannelRegistration registration) {
        registration.interceptors(new LoginHeaderIdentity());
    }

    /** The user named by the CONNECT frame's login header. */
    static final class LoginHeaderIdentity implements ChannelInterceptor {

        @Override
        public Message<?> preSend(Message<?> message, MessageChannel channel) {
            StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
            if (accessor != null && accessor.getCommand() == StompCommand.CONNECT && accessor.getLogin() != null) {
                String login = accessor.getLogin();
                accessor.setUser(new User(login));
            }
            return message;
        }
    }

    record User(String name) implements Principal {

        @Override
        public String getName() {
            return name;
        }
    }

    /** Relays typing frames and messages to the room's topics as event maps; registered as a nested component. */
    @Controller
    static class RelayController {

        private final SimpMessagingTemplate template;
        private final Map<String, AtomicLong> indices = new ConcurrentHashMap<>();

        RelayController(SimpMessagingTemplate template) {
            this.template = template;
        }

        @MessageMapping("rooms.{roomId}.typing")
        public void typing(@DestinationVariable String roomId, @Payload Map<String, Object> payload, Principal user) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("id", UUID.randomUUID().toString().replace("-", ""));
            event.put("room_id", roomId);
            event.put("type", Boolean.TRUE.equals(payload.get("typing")) ? "typing_start" : "typing_stop");
            event.put("user_id", user.getName());
            event.put("channel_id", null);
            event.put("data", Map.of());
            event.put("timestamp", Instant.now().toString());
            template.convertAndSend("/topic/rooms." + roomId + ".ephemeral", (Object) event);
        }

        @MessageMapping("rooms.{roomId}.messages")
        public void message(@DestinationVariable String roomId, @Payload Map<String, Object> payload,
                Principal user) {
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("channel_id", "ws-" + user.getName());
            source.put("channel_type", "websocket");
            source.put("participant_id", user.getName());
            source.put("external_id", null);
            Map<String, Object> content = new LinkedHashMap<>();
            content.put("type", "text");
            content.put("body", String.valueOf(payload.get("content")));
            content.put("language", null);
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("id", UUID.randomUUID().toString().replace("-", ""));
            event.put("room_id", roomId);
            event.put("index", indices.computeIfAbsent(roomId, id -> new AtomicLong()).getAndIncrement());
            event.put("type", "message");
            event.put("source", source);
            event.put("content", content);
            event.put("status", "delivered");
            event.put("metadata", Map.of());
            event.put("created_at", Instant.now().toString());
            template.convertAndSend("/topic/rooms." + roomId + ".events", (Object) event);
        }
    }
}
