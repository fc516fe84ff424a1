package io.roomkit.spring.stomp;

import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.AbstractMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import org.springframework.util.MimeTypeUtils;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** A real STOMP-over-WebSocket client, as a browser would drive the protocol, for tests. */
public final class StompTestClient implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(10);
    /** Shared by the test clients: it only times out RECEIPT frames that never come. */
    private static final ThreadPoolTaskScheduler RECEIPT_SCHEDULER = receiptScheduler();
    /** Largest frame the client reads, as a browser would: a full history page can exceed the 8 KiB default. */
    public static final int MAX_INBOUND_BYTES = 4 * 1024 * 1024;
    private static final int LARGE_BUFFER = 512 * 1024;

    private final StompSession session;
    private final WebSocketStompClient client;
    private BlockingQueue<Map<String, Object>> errors;

    private StompTestClient(WebSocketStompClient client, StompSession session) {
        this.client = client;
        this.session = session;
    }

    /** Connects as {@code login} (trusted login header) and subscribes to {@code /user/queue/errors}. */
    public static StompTestClient connect(int port, String login) throws Exception {
        return connect(port, login, MAX_INBOUND_BYTES);
    }

    /** Connects with a read buffer of {@code inboundBytes}: the largest frame, and how much it reads ahead. */
    public static StompTestClient connect(int port, String login, int inboundBytes) throws Exception {
        WebSocketStompClient client = new WebSocketStompClient(new StandardWebSocketClient(container(inboundBytes)));
        client.setMessageConverter(new JacksonJsonMessageConverter());
        client.setTaskScheduler(RECEIPT_SCHEDULER); // receipts time out on it
        client.setInboundMessageSizeLimit(inboundBytes);
        StompHeaders connect = new StompHeaders();
        if (login != null) {
            connect.setLogin(login);
        }
        StompSession session = client.connectAsync("ws://localhost:" + port + "/roomkit/ws",
                new WebSocketHttpHeaders(), connect, new StompSessionHandlerAdapter() {
                }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        StompTestClient testClient = new StompTestClient(client, session);
        testClient.errors = testClient.subscribe("/user/queue/errors");
        return testClient;
    }

    private static ThreadPoolTaskScheduler receiptScheduler() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setThreadNamePrefix("stomp-test-receipts-");
        scheduler.setDaemon(true);
        scheduler.initialize();
        return scheduler;
    }

    private static WebSocketContainer container(int inboundBytes) {
        WebSocketContainer container = ContainerProvider.getWebSocketContainer();
        container.setDefaultMaxTextMessageBufferSize(inboundBytes);
        container.setDefaultMaxBinaryMessageBufferSize(inboundBytes);
        return container;
    }

    /**
     * Connects like {@link #connect(int, String)}, with a converter that sends {@code byte[]} payloads as they
     * are (on a client from {@code connect}, {@link #sendRaw} goes through Jackson, which sends the bytes as a
     * base64 JSON string), and with WebSocket buffers large enough to receive frames of the server's size limit
     * (a client from {@code connect} is closed by its container when a frame over 8 KiB arrives).
     */
    public static StompTestClient connectRaw(int port, String login) throws Exception {
        WebSocketContainer container = ContainerProvider.getWebSocketContainer();
        container.setDefaultMaxTextMessageBufferSize(LARGE_BUFFER);
        container.setDefaultMaxBinaryMessageBufferSize(LARGE_BUFFER);
        WebSocketStompClient client = new WebSocketStompClient(new StandardWebSocketClient(container));
        client.setInboundMessageSizeLimit(LARGE_BUFFER);
        client.setMessageConverter(new CompositeMessageConverter(List.of(new RawJsonBytes(),
                new JacksonJsonMessageConverter())));
        StompHeaders connect = new StompHeaders();
        if (login != null) {
            connect.setLogin(login);
        }
        StompSession session = client.connectAsync("ws://localhost:" + port + "/roomkit/ws",
                new WebSocketHttpHeaders(), connect, new StompSessionHandlerAdapter() {
                }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        StompTestClient testClient = new StompTestClient(client, session);
        testClient.errors = testClient.subscribe("/user/queue/errors");
        return testClient;
    }

    /**
     * Connects with the handshake headers {@code handshake} (a session cookie) and the CONNECT headers
     * {@code connect} (a CSRF token, an {@code Authorization} header), and subscribes to {@code /user/queue/errors}.
     */
    public static StompTestClient connect(int port, WebSocketHttpHeaders handshake, StompHeaders connect)
            throws Exception {
        WebSocketStompClient client = new WebSocketStompClient(
                new StandardWebSocketClient(container(MAX_INBOUND_BYTES)));
        client.setMessageConverter(new JacksonJsonMessageConverter());
        client.setTaskScheduler(RECEIPT_SCHEDULER); // receipts time out on it
        client.setInboundMessageSizeLimit(MAX_INBOUND_BYTES);
        StompSession session = client.connectAsync("ws://localhost:" + port + "/roomkit/ws", handshake, connect,
                new StompSessionHandlerAdapter() {
                }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        StompTestClient testClient = new StompTestClient(client, session);
        testClient.errors = testClient.subscribe("/user/queue/errors");
        return testClient;
    }

    /** Passes {@code byte[]} payloads with a JSON content type through unchanged. */
    private static final class RawJsonBytes extends AbstractMessageConverter {

        RawJsonBytes() {
            super(MimeTypeUtils.APPLICATION_JSON);
        }

        @Override
        protected boolean supports(Class<?> clazz) {
            return byte[].class == clazz;
        }

        @Override
        protected Object convertFromInternal(Message<?> message, Class<?> targetClass, Object conversionHint) {
            return message.getPayload();
        }

        @Override
        protected Object convertToInternal(Object payload, MessageHeaders headers, Object conversionHint) {
            return payload;
        }
    }

    /**
     * Attempts a CONNECT that the server should refuse, and returns what happened, in order, until the connection
     * ended or {@link #WAIT} passed: {@code "ERROR <message>"} for an ERROR frame, {@code "CONNECTED"} if the
     * server accepted it, {@code "closed"} when the connection was lost or the connect failed.
     */
    public static List<String> refusedConnect(int port, String login) throws Exception {
        StompHeaders connect = new StompHeaders();
        if (login != null) {
            connect.setLogin(login);
        }
        return refusedConnect(port, new WebSocketHttpHeaders(), connect);
    }

    /** Like {@link #refusedConnect(int, String)}, with handshake headers and CONNECT headers of the caller's. */
    public static List<String> refusedConnect(int port, WebSocketHttpHeaders handshake, StompHeaders connect)
            throws Exception {
        WebSocketStompClient client = new WebSocketStompClient(new StandardWebSocketClient());
        client.setMessageConverter(new JacksonJsonMessageConverter());
        client.setTaskScheduler(RECEIPT_SCHEDULER); // receipts time out on it
        BlockingQueue<String> happened = new LinkedBlockingQueue<>();
        try {
            client.connectAsync("ws://localhost:" + port + "/roomkit/ws", handshake, connect,
                    new StompSessionHandlerAdapter() {
                        @Override
                        public void handleFrame(StompHeaders headers, Object payload) {
                            happened.add("ERROR " + headers.getFirst("message"));
                        }

                        @Override
                        public void handleException(StompSession session, StompCommand command,
                                StompHeaders headers, byte[] payload, Throwable exception) {
                            happened.add(command == StompCommand.ERROR ? "ERROR " + headers.getFirst("message")
                                    : "client failure " + exception);
                        }

                        @Override
                        public void handleTransportError(StompSession session, Throwable exception) {
                            happened.add("closed");
                        }
                    }).whenComplete((session, failure) -> happened.add(failure == null ? "CONNECTED" : "closed"));
            List<String> answers = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!answers.contains("closed") && System.nanoTime() < deadline) {
                String next = happened.poll(100, TimeUnit.MILLISECONDS);
                if (next != null) {
                    answers.add(next);
                }
            }
            return answers;
        }
        finally {
            client.stop();
        }
    }

    /** Subscribes, collecting the JSON objects arriving there into {@code into}; returns the subscription. */
    public StompSession.Subscription subscribe(String destination, BlockingQueue<Map<String, Object>> into) {
        return session.subscribe(destination, new StompFrameHandler() {
            @Override
            public Type getPayloadType(StompHeaders headers) {
                return Map.class;
            }

            @Override
            @SuppressWarnings("unchecked")
            public void handleFrame(StompHeaders headers, Object payload) {
                into.add((Map<String, Object>) payload);
            }
        });
    }

    /**
     * Subscribes with a {@code receipt} header and returns once the RECEIPT frame has come: on a node with a broker
     * relay, the broker then has the subscription, so everything published from now on reaches it.
     */
    public BlockingQueue<Map<String, Object>> subscribeConfirmed(String destination) throws InterruptedException {
        BlockingQueue<Map<String, Object>> received = new LinkedBlockingQueue<>();
        StompHeaders headers = new StompHeaders();
        headers.setDestination(destination);
        headers.setReceipt("subscribed-" + UUID.randomUUID());
        CountDownLatch receipt = new CountDownLatch(1);
        session.subscribe(headers, new StompFrameHandler() {
            @Override
            public Type getPayloadType(StompHeaders frameHeaders) {
                return Map.class;
            }

            @Override
            @SuppressWarnings("unchecked")
            public void handleFrame(StompHeaders frameHeaders, Object payload) {
                received.add((Map<String, Object>) payload);
            }
        }).addReceiptTask(receipt::countDown);
        if (!receipt.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("No RECEIPT for the subscription to " + destination + " within " + WAIT);
        }
        return received;
    }

    /** Subscribes and returns the queue that collects the JSON objects arriving there. */
    public BlockingQueue<Map<String, Object>> subscribe(String destination) {
        BlockingQueue<Map<String, Object>> received = new LinkedBlockingQueue<>();
        session.subscribe(destination, new StompFrameHandler() {
            @Override
            public Type getPayloadType(StompHeaders headers) {
                return Map.class;
            }

            @Override
            @SuppressWarnings("unchecked")
            public void handleFrame(StompHeaders headers, Object payload) {
                received.add((Map<String, Object>) payload);
            }
        });
        return received;
    }

    public void send(String destination, Object payload) {
        session.send(destination, payload);
    }

    /** Sends raw bytes with a JSON content type, for malformed payloads. */
    public void sendRaw(String destination, String body) {
        StompHeaders headers = new StompHeaders();
        headers.setDestination(destination);
        headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
        session.send(headers, body.getBytes(StandardCharsets.UTF_8));
    }

    /** The next error reported to this user, within {@link #WAIT}. */
    public Map<String, Object> nextError() throws InterruptedException {
        Map<String, Object> error = errors.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(error).as("an error on /user/queue/errors").isNotNull();
        return error;
    }

    public BlockingQueue<Map<String, Object>> errorQueue() {
        return errors;
    }

    public boolean isConnected() {
        return session.isConnected();
    }

    public StompSession session() {
        return session;
    }

    /** Waits for the first message in {@code queue} matching {@code test}, skipping others. */
    public static Map<String, Object> await(BlockingQueue<Map<String, Object>> queue,
            Predicate<Map<String, Object>> test) throws InterruptedException {
        return await(queue, test, WAIT);
    }

    /** Like {@link #await(BlockingQueue, Predicate)}, waiting at most {@code wait}. */
    public static Map<String, Object> await(BlockingQueue<Map<String, Object>> queue,
            Predicate<Map<String, Object>> test, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Object> next = queue.poll(100, TimeUnit.MILLISECONDS);
            if (next != null && test.test(next)) {
                return next;
            }
        }
        throw new AssertionError("no matching message within " + wait);
    }

    @Override
    public void close() {
        try {
            if (session.isConnected()) {
                session.disconnect();
            }
        }
        catch (MessagingException ex) {
            // the server closed the session between the check and the DISCONNECT (a client it dropped as too slow)
        }
        client.stop();
    }
}
