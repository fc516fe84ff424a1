package io.roomkit.spring.stomp;

import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.RealtimeBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.simp.SimpMessageSendingOperations;

/**
 * Forwards the ephemeral events of a backend that is not the STOMP broker itself (Redis) to the rooms'
 * STOMP topics, so that browsers on every node see every node's events. One pattern subscription
 * ({@code room:*}) for all rooms; it runs for the life of the context.
 */
public class RealtimeToStompBridge implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RealtimeToStompBridge.class);

    private final RealtimeBackend realtime;
    private final SimpMessageSendingOperations broker;
    private volatile String subscription;

    public RealtimeToStompBridge(RealtimeBackend realtime, SimpMessageSendingOperations broker) {
        this.realtime = realtime;
        this.broker = broker;
    }

    @Override
    public void start() {
        subscription = realtime.subscribe(RealtimeBackend.roomChannel("*"), this::forward);
    }

    private void forward(EphemeralEvent event) {
        try {
            broker.convertAndSend(StompDestinations.ephemeralTopic(event.roomId()), (Object) event.toMap());
        }
        catch (MessagingException ex) {
            log.warn("Could not forward {} event {} of room {} to STOMP clients", event.type().value(), event.id(),
                    event.roomId(), ex);
        }
    }

    @Override
    public void stop() {
        String current = subscription;
        subscription = null;
        if (current != null) {
            realtime.unsubscribe(current);
        }
    }

    @Override
    public boolean isRunning() {
        return subscription != null;
    }

    /** Before the listener registry (default phase), so that clients see events from the start. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1;
    }
}
