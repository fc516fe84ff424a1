package io.roomkit.spring.stomp;

import io.roomkit.RoomKitException;
import io.roomkit.realtime.EphemeralEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.simp.stomp.ReactorNettyTcpStompClient;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.TaskScheduler;

import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * With a broker relay, the node's own view of every node's ephemeral events: one STOMP connection to the
 * broker subscribed to {@code /topic/rooms.*.ephemeral}, feeding the node's server-side subscribers
 * ({@code subscribeRoom}, {@code @RoomEventListener}), so that each receives every event of the cluster once,
 * in each publisher's order. Reconnects by itself when the broker goes away.
 */
public class RelayEventSubscriber implements SmartLifecycle {

    /** The RabbitMQ topic pattern of every room's ephemeral topic. */
    public static final String ALL_EPHEMERAL = "/topic/rooms.*.ephemeral";

    /** The RabbitMQ topic pattern of every room's persistent events topic. */
    public static final String ALL_EVENTS = "/topic/rooms.*.events";

    private static final Logger log = LoggerFactory.getLogger(RelayEventSubscriber.class);
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(2);

    private final ReactorNettyTcpStompClient client;
    private final StompHeaders connectHeaders = new StompHeaders();
    private final Consumer<EphemeralEvent> localDelivery;
    private final Consumer<EphemeralEvent> membershipDelivery;
    private final TaskScheduler scheduler;
    private volatile boolean running;
    private volatile StompSession session;
    private final AtomicBoolean reconnectPending = new AtomicBoolean();
    private volatile Consumer<Map<String, Object>> persistentDelivery;
    private final CompletableFuture<Void> persistentSubscribed = new CompletableFuture<>();
    private final AtomicBoolean persistentFirst = new AtomicBoolean();

    public RelayEventSubscriber(String host, int port, String login, String passcode, String virtualHost,
            Consumer<EphemeralEvent> localDelivery, TaskScheduler scheduler) {
        this(host, port, login, passcode, virtualHost, localDelivery, event -> {
        }, scheduler);
    }

    /**
     * Also subscribed to {@link StompDestinations#MEMBERSHIP_TOPIC}, whose membership notices go to
     * {@code membershipDelivery}.
     */
    public RelayEventSubscriber(String host, int port, String login, String passcode, String virtualHost,
            Consumer<EphemeralEvent> localDelivery, Consumer<EphemeralEvent> membershipDelivery,
            TaskScheduler scheduler) {
        this.membershipDelivery = membershipDelivery;
        this.client = new ReactorNettyTcpStompClient(host, port);
        this.client.setMessageConverter(new JacksonJsonMessageConverter());
        this.client.setTaskScheduler(scheduler);
        this.connectHeaders.setLogin(login);
        this.connectHeaders.setPasscode(passcode);
        this.connectHeaders.setHost(virtualHost);
        this.localDelivery = localDelivery;
        this.scheduler = scheduler;
    }

    @Override
    public void start() {
        running = true;
        connect();
    }

    /**
     * Also subscribes {@link #ALL_EVENTS} from now on (and after each reconnect), handing every persistent event
     * frame of the cluster to {@code delivery}; for listeners that fire on every node. The future completes when
     * the broker has confirmed the first subscription.
     */
    public CompletableFuture<Void> subscribePersistentEvents(Consumer<Map<String, Object>> delivery) {
        if (!persistentFirst.compareAndSet(false, true)) {
            return persistentSubscribed;
        }
        persistentDelivery = delivery;
        StompSession current = session;
        // a connection made before the line above subscribes here; one made after, in afterConnected
        if (current != null && current.isConnected()) {
            subscribePersistent(current, delivery);
        }
        return persistentSubscribed;
    }

    /** Subscribes with a receipt: the broker's RECEIPT says the subscription is bound. */
    private void subscribePersistent(StompSession connected, Consumer<Map<String, Object>> delivery) {
        StompHeaders headers = new StompHeaders();
        headers.setDestination(ALL_EVENTS);
        headers.setReceipt(UUID.randomUUID().toString());
        CompletableFuture<Void> subscribed = persistentSubscribed;
        connected.subscribe(headers, new StompFrameHandler() {
            @Override
            public Type getPayloadType(StompHeaders headers) {
                return Map.class;
            }

            @Override
            @SuppressWarnings("unchecked")
            public void handleFrame(StompHeaders headers, Object payload) {
                if (payload instanceof Map<?, ?> map) {
                    delivery.accept((Map<String, Object>) map);
                }
            }
        }).addReceiptTask(() -> subscribed.complete(null));
    }

    /** Whether the subscription to the broker is live. */
    public boolean isConnected() {
        StompSession current = session;
        return current != null && current.isConnected();
    }

    private void connect() {
        reconnectPending.set(false);
        if (!running) {
            return;
        }
        client.connectAsync(connectHeaders, new Handler()).whenComplete((connected, failure) -> {
            if (failure != null) {
                log.warn("Cannot reach the STOMP broker for cluster events ({}); retrying in {}",
                        failure.getMessage(), RECONNECT_DELAY);
                scheduleReconnect();
            }
        });
    }

    /** Spring reports a failed connect twice (future and transport error); only one retry may follow. */
    private void scheduleReconnect() {
        if (running && reconnectPending.compareAndSet(false, true)) {
            scheduler.schedule(this::connect, Instant.now().plus(RECONNECT_DELAY));
        }
    }

    @Override
    public void stop() {
        running = false;
        StompSession current = session;
        session = null;
        if (current != null && current.isConnected()) {
            current.disconnect();
        }
        client.shutdown();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the listener registry (default phase), so that listeners see cluster events from the start. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1;
    }

    /** Hands the ephemeral events of one broker subscription to a consumer; malformed frames are dropped. */
    private static final class EventFrames implements StompFrameHandler {

        private final Consumer<EphemeralEvent> consumer;
        private final String what;

        EventFrames(Consumer<EphemeralEvent> consumer, String what) {
            this.consumer = consumer;
            this.what = what;
        }

        @Override
        public Type getPayloadType(StompHeaders headers) {
            return Map.class;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void handleFrame(StompHeaders headers, Object payload) {
            try {
                consumer.accept(EphemeralEvent.fromMap((Map<String, Object>) payload));
            }
            catch (RoomKitException | ClassCastException ex) {
                log.warn("Dropped a malformed {} from the broker: {}", what, ex.getMessage());
            }
        }
    }

    private final class Handler extends StompSessionHandlerAdapter {

        @Override
        public void afterConnected(StompSession connected, StompHeaders headers) {
            session = connected;
            connected.subscribe(ALL_EPHEMERAL, new EventFrames(localDelivery, "event"));
            connected.subscribe(StompDestinations.MEMBERSHIP_TOPIC, new EventFrames(membershipDelivery,
                    "membership notice"));
            Consumer<Map<String, Object>> persistent = persistentDelivery;
            if (persistent != null) {
                subscribePersistent(connected, persistent);
            }
            log.info("Receiving cluster-wide ephemeral events through the broker");
        }

        @Override
        public void handleException(StompSession failed, StompCommand command, StompHeaders headers, byte[] payload,
                Throwable exception) {
            log.warn("Error on the cluster event subscription", exception);
        }

        @Override
        public void handleTransportError(StompSession failed, Throwable exception) {
            log.warn("Lost the cluster event subscription ({}); reconnecting", exception.getMessage());
            session = null;
            scheduleReconnect();
        }
    }
}
