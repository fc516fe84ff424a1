package io.roomkit.spring.stomp;

import io.roomkit.concurrent.ElasticExecutor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.task.TaskExecutor;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The STOMP endpoint and broker of RoomKit: the endpoint path and allowed origins from properties, {@code /app}
 * for client frames, a simple broker (or, with {@code roomkit.websocket.relay.enabled}, a relay to RabbitMQ's
 * STOMP plugin) for {@code /topic} and {@code /queue} with heartbeats, per-session order
 * preserved both ways, and transport limits so that a slow or hostile client cannot hurt the others.
 * Collaborators are looked up lazily: Spring builds this configurer before the beans it serves.
 */
public class RoomKitStompConfigurer implements WebSocketMessageBrokerConfigurer {

    /**
     * Largest STOMP frame the transport accepts, in bytes and in characters. A larger one ends the session:
     * the container closes it (1009, message too big) or, when the frame is within the limit in characters but
     * not in bytes, Spring sends an ERROR frame and closes it.
     */
    public static final int MESSAGE_SIZE_LIMIT = 128 * 1024;
    /** How long a send to one session may take before the session is closed. */
    public static final int SEND_TIME_LIMIT_MS = 10_000;
    /** How much may queue for one session before it is closed as a slow consumer. */
    public static final int SEND_BUFFER_SIZE_LIMIT = 1024 * 1024;
    /** Heartbeats, both ways, in milliseconds. */
    public static final long HEARTBEAT_MS = 10_000;

    private final String endpoint;
    private final List<String> allowedOrigins;
    private final StompRelaySettings relay;
    private final ObjectProvider<RoomKitStompInterceptor> interceptor;
    private final ObjectProvider<TaskScheduler> scheduler;
    private final ObjectProvider<ElasticExecutor> outboundExecutor;
    private volatile int[] bufferSizes;

    public RoomKitStompConfigurer(String endpoint, List<String> allowedOrigins, StompRelaySettings relay,
            ObjectProvider<RoomKitStompInterceptor> interceptor, ObjectProvider<TaskScheduler> scheduler,
            ObjectProvider<ElasticExecutor> outboundExecutor) {
        this.endpoint = endpoint;
        this.allowedOrigins = allowedOrigins;
        this.relay = relay;
        this.interceptor = interceptor;
        this.scheduler = scheduler;
        this.outboundExecutor = outboundExecutor;
    }

    @Override
    public void registerStompEndpoints(StompEndpointRegistry registry) {
        registry.addEndpoint(endpoint).setAllowedOriginPatterns(allowedOrigins.toArray(String[]::new));
        registry.setPreserveReceiveOrder(true);
    }

    @Override
    public void configureMessageBroker(MessageBrokerRegistry registry) {
        registry.setApplicationDestinationPrefixes(StompDestinations.APP_PREFIX);
        if (relay.enabled()) {
            // virtual host "/" explicitly: without it Spring sends the relay host name, which RabbitMQ refuses
            registry.enableStompBrokerRelay("/topic", "/queue").setRelayHost(relay.host())
                    .setRelayPort(relay.port()).setClientLogin(relay.login()).setClientPasscode(relay.passcode())
                    .setSystemLogin(relay.login()).setSystemPasscode(relay.passcode())
                    .setVirtualHost(relay.virtualHost()).setSystemHeartbeatSendInterval(HEARTBEAT_MS)
                    .setSystemHeartbeatReceiveInterval(HEARTBEAT_MS).setTaskScheduler(scheduler.getObject());
        }
        else {
            registry.enableSimpleBroker("/topic", "/queue")
                    .setHeartbeatValue(new long[] { HEARTBEAT_MS, HEARTBEAT_MS }).setTaskScheduler(scheduler.getObject());
        }
        registry.setPreservePublishOrder(true);
    }

    @Override
    public void configureClientInboundChannel(ChannelRegistration registration) {
        registration.interceptors(new LazyInterceptor(interceptor));
    }

    /**
     * An elastic pool for sending to clients: a client that stops reading holds one thread in a blocking write
     * until {@link #SEND_TIME_LIMIT_MS}, so a fixed pool shared with other work would let a handful of stalled
     * clients starve everyone.
     */
    @Override
    public void configureClientOutboundChannel(ChannelRegistration registration) {
        ElasticExecutor executor = outboundExecutor.getObject();
        // a TaskExecutor view, which Spring's broker statistics bean asks for by type
        registration.executor((TaskExecutor) executor::execute);
    }

    /**
     * The executor of {@link #configureClientOutboundChannel}: 4 threads at rest, up to 128 while clients that
     * stop reading hold threads in blocking writes (see {@link ElasticExecutor}).
     */
    public static ElasticExecutor outboundExecutor() {
        return new ElasticExecutor("roomkit-stomp-out", 4, 128, ElasticExecutor.DEFAULT_CHECK_PERIOD);
    }

    /**
     * Sizes each session's buffers for incoming text (characters) and binary (bytes) messages, instead of the
     * 16,640 characters Spring's STOMP support gives every session (see {@link SessionBufferSizes}).
     */
    public void bufferSizes(int textSize, int binarySize) {
        this.bufferSizes = new int[] { textSize, binarySize };
    }

    @Override
    public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
        registration.setMessageSizeLimit(MESSAGE_SIZE_LIMIT).setSendTimeLimit(SEND_TIME_LIMIT_MS)
                .setSendBufferSizeLimit(SEND_BUFFER_SIZE_LIMIT)
                // inner first: CloseAfterDisconnect must see the whole messages WholeFrameLimit joins
                .addDecoratorFactory(CloseAfterDisconnect::new).addDecoratorFactory(WholeFrameLimit::new);
        int[] sizes = bufferSizes;
        if (sizes != null) {
            registration.addDecoratorFactory(handler -> new SessionBufferSizes(handler, sizes[0], sizes[1]));
        }
    }

    /**
     * Lets a session send a whole frame of up to {@link #MESSAGE_SIZE_LIMIT}: Spring only raises the container's
     * per-message buffer to 16 KiB, and the container closes a session (1009) whose message is larger, so without
     * this a 16,000-character text with escapes or multi-byte JSON ended the session. The container hands over a
     * larger message in parts, which are joined here, so each session keeps only the container's small buffer
     * (raising the container's limit instead costs every session a buffer of the full size, 256 KiB of heap
     * per connection); a message over the limit closes the session with 1009, as the container would.
     */
    private static final class WholeFrameLimit extends WebSocketHandlerDecorator {

        private final Map<String, StringBuilder> partialText = new ConcurrentHashMap<>();
        private final Map<String, ByteArrayOutputStream> partialBinary = new ConcurrentHashMap<>();

        WholeFrameLimit(WebSocketHandler delegate) {
            super(delegate);
        }

        @Override
        public boolean supportsPartialMessages() {
            return true;
        }

        @Override
        public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) throws Exception {
            if (!session.isOpen()) {
                return;
            }
            if (message instanceof TextMessage text) {
                handleText(session, text);
            }
            else if (message instanceof BinaryMessage binary) {
                handleBinary(session, binary);
            }
            else {
                super.handleMessage(session, message);
            }
        }

        private void handleText(WebSocketSession session, TextMessage text) throws Exception {
            StringBuilder parts = partialText.get(session.getId());
            if (parts == null && text.isLast()) {
                super.handleMessage(session, text);
                return;
            }
            if (parts == null) {
                parts = new StringBuilder();
                partialText.put(session.getId(), parts);
            }
            parts.append(text.getPayload());
            if (parts.length() > MESSAGE_SIZE_LIMIT) {
                tooBig(session);
            }
            else if (text.isLast()) {
                partialText.remove(session.getId());
                super.handleMessage(session, new TextMessage(parts.toString()));
            }
        }

        private void handleBinary(WebSocketSession session, BinaryMessage binary) throws Exception {
            ByteArrayOutputStream parts = partialBinary.get(session.getId());
            if (parts == null && binary.isLast()) {
                super.handleMessage(session, binary);
                return;
            }
            if (parts == null) {
                parts = new ByteArrayOutputStream();
                partialBinary.put(session.getId(), parts);
            }
            ByteBuffer payload = binary.getPayload();
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            parts.write(bytes);
            if (parts.size() > MESSAGE_SIZE_LIMIT) {
                tooBig(session);
            }
            else if (binary.isLast()) {
                partialBinary.remove(session.getId());
                super.handleMessage(session, new BinaryMessage(parts.toByteArray()));
            }
        }

        private void tooBig(WebSocketSession session) throws IOException {
            forget(session);
            session.close(CloseStatus.TOO_BIG_TO_PROCESS);
        }

        private void forget(WebSocketSession session) {
            partialText.remove(session.getId());
            partialBinary.remove(session.getId());
        }

        @Override
        public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
            forget(session);
            super.afterConnectionClosed(session, closeStatus);
        }
    }

    /** Resolves the interceptor on the first frame, when every bean exists. */
    private record LazyInterceptor(ObjectProvider<RoomKitStompInterceptor> target) implements ChannelInterceptor {

        @Override
        public Message<?> preSend(Message<?> message, MessageChannel channel) {
            return target.getObject().preSend(message, channel);
        }
    }
}
