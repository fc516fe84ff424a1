package io.roomkit.spring.stomp;

import io.roomkit.RoomKit;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralListener;
import io.roomkit.realtime.InMemoryRealtime;
import io.roomkit.realtime.RealtimeBackend;
import io.roomkit.realtime.RealtimeStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.simp.SimpMessageSendingOperations;

import java.util.function.BooleanSupplier;

/**
 * The {@link RealtimeBackend} of a STOMP application: a room's ephemeral events go to the broker topic
 * {@code /topic/rooms.<roomId>.ephemeral} as the reference JSON, and to server-side subscribers through
 * in-process queues. The broker comes first, so that a listener's reply can never reach clients before the
 * event it answers.
 * <p>
 * Behind a broker relay ({@link #relayed}) the node's subscribers are fed from the broker instead (through a
 * {@link RelayEventSubscriber} calling {@link #deliverLocally}), so that they see every node's events, once.
 */
public class StompRealtimeBackend implements RealtimeBackend, RealtimeStats {

    private static final Logger log = LoggerFactory.getLogger(StompRealtimeBackend.class);
    private static final String ROOM_CHANNEL_PREFIX = RealtimeBackend.roomChannel("");

    private final SimpMessageSendingOperations broker;
    private final InMemoryRealtime local;
    private final boolean relayed;
    private volatile BooleanSupplier brokerAvailable = () -> true;

    /** A backend on the in-process simple broker. */
    public StompRealtimeBackend(SimpMessageSendingOperations broker, int maxQueueSize) {
        this(broker, maxQueueSize, false);
    }

    private StompRealtimeBackend(SimpMessageSendingOperations broker, int maxQueueSize, boolean relayed) {
        this.broker = broker;
        this.local = new InMemoryRealtime(maxQueueSize);
        this.relayed = relayed;
    }

    /** A backend behind a broker relay: local subscribers get events through {@link #deliverLocally}. */
    public static StompRealtimeBackend relayed(SimpMessageSendingOperations broker, int maxQueueSize) {
        return new StompRealtimeBackend(broker, maxQueueSize, true);
    }

    /** Tells the backend how to know whether the broker is reachable, for health. */
    public void brokerAvailability(BooleanSupplier available) {
        this.brokerAvailable = available;
    }

    /** Hands an event that came back from the broker to this node's subscribers. */
    public void deliverLocally(EphemeralEvent event) {
        local.publish(RealtimeBackend.roomChannel(event.roomId()), event);
    }

    /** Hands a membership notice that came back from the broker to this node's subscribers. */
    public void deliverMembershipLocally(EphemeralEvent event) {
        local.publish(RoomKit.MEMBERSHIP_CHANNEL, event);
    }

    private void toBroker(String destination, EphemeralEvent event) {
        try {
            broker.convertAndSend(destination, (Object) event.toMap());
        }
        catch (MessagingException ex) {
            log.warn("Could not hand {} event {} of room {} to the broker", event.type().value(), event.id(),
                    event.roomId(), ex);
        }
    }

    public boolean isRelayed() {
        return relayed;
    }

    @Override
    public void publish(String channel, EphemeralEvent event) {
        if (local.isClosed()) {
            return;
        }
        if (relayed && RoomKit.MEMBERSHIP_CHANNEL.equals(channel)) {
            // every node must hear it: through the broker, which hands it back to this node's subscriber too
            toBroker(StompDestinations.MEMBERSHIP_TOPIC, event);
            return;
        }
        boolean roomChannel = channel.startsWith(ROOM_CHANNEL_PREFIX);
        if (roomChannel) {
            String roomId = channel.substring(ROOM_CHANNEL_PREFIX.length());
            try {
                broker.convertAndSend(StompDestinations.ephemeralTopic(roomId), (Object) event.toMap());
            }
            catch (MessagingException ex) {
                // at-most-once: a broker hiccup loses this event for STOMP clients, not for local listeners
                log.warn("Could not hand {} event {} of room {} to the broker", event.type().value(), event.id(),
                        roomId, ex);
            }
        }
        if (!relayed || !roomChannel) {
            local.publish(channel, event);
        }
    }

    @Override
    public String subscribe(String channel, EphemeralListener listener) {
        return local.subscribe(channel, listener);
    }

    @Override
    public boolean unsubscribe(String subscriptionId) {
        return local.unsubscribe(subscriptionId);
    }

    @Override
    public void close() {
        local.close();
    }

    @Override
    public long publishedCount() {
        return local.publishedCount();
    }

    @Override
    public long droppedCount() {
        return local.droppedCount();
    }

    @Override
    public int subscriptionCount() {
        return local.subscriptionCount();
    }

    @Override
    public boolean isOpen() {
        return local.isOpen() && brokerAvailable.getAsBoolean();
    }
}
