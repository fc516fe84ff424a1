package io.roomkit.spring.stomp;

import io.roomkit.hook.Hook;
import io.roomkit.hook.HookResult;
import io.roomkit.hook.HookTrigger;
import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;
import io.roomkit.pipeline.NonBlocking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.simp.SimpMessageSendingOperations;

/**
 * Sends every delivered persistent event, once, to its room's topic {@code /topic/rooms.<roomId>.events}.
 * It runs as an {@code AFTER_BROADCAST} hook, so topics see a room's events in index order, and the sender's
 * own tabs see their event too (clients tell them apart by {@code id}). Handing a message to the broker does not
 * block, so it is {@link NonBlocking}: writers deliver to it on their own thread.
 */
public class StompEventBroadcaster implements Hook, NonBlocking {

    /** The hook's name. */
    public static final String NAME = "roomkit-stomp-events";

    private static final Logger log = LoggerFactory.getLogger(StompEventBroadcaster.class);

    private final SimpMessageSendingOperations broker;

    public StompEventBroadcaster(SimpMessageSendingOperations broker) {
        this.broker = broker;
    }

    @Override
    public HookTrigger trigger() {
        return HookTrigger.AFTER_BROADCAST;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public HookResult handle(RoomEvent event, RoomContext context) {
        try {
            broker.convertAndSend(StompDestinations.eventsTopic(event.roomId()), (Object) event.toMap());
        }
        catch (MessagingException ex) {
            log.warn("Could not hand event {} of room {} to the broker; clients catch up with after_index",
                    event.id(), event.roomId(), ex);
        }
        return HookResult.allow();
    }
}
