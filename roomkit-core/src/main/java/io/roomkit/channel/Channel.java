package io.roomkit.channel;

import io.roomkit.model.ChannelBinding;
import io.roomkit.model.ChannelCategory;
import io.roomkit.model.ChannelType;
import io.roomkit.model.EventSource;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;
import io.roomkit.realtime.RealtimeBackend;

import java.util.List;

/**
 * A way in and out of rooms: a WebSocket user, an AI model, a webhook, an SMS gateway. Register a channel
 * with {@code RoomKit.registerChannel} and attach it to rooms; the pipeline then calls
 * <ul>
 * <li>{@link #handleInbound} to turn a message that arrived on this channel into an event,</li>
 * <li>{@link #deliver} (transport channels) to hand it every event of its rooms that others sent,</li>
 * <li>{@link #onEvent} (intelligence channels) to let it answer such an event.</li>
 * </ul>
 * Implementations must be thread-safe: events of different rooms are delivered concurrently.
 */
public interface Channel {

    /** Unique id of the channel within a kit, for example {@code ws-alice}. */
    String id();

    ChannelType type();

    default ChannelCategory category() {
        return ChannelCategory.TRANSPORT;
    }

    default ChannelCapabilities capabilities() {
        return ChannelCapabilities.basic();
    }

    /**
     * Builds the event for a message that arrived on this channel. The default takes the sender as the
     * participant and copies type, content, metadata, thread and idempotency key.
     */
    default RoomEvent handleInbound(InboundMessage message, RoomContext context) {
        return RoomEvent.builder().roomId(context.room().id()).type(message.eventType())
                .source(new EventSource(id(), type(), message.senderId(), message.externalId()))
                .content(message.content()).metadata(message.metadata()).parentEventId(message.parentEventId())
                .idempotencyKey(message.idempotencyKey()).build();
    }

    /**
     * Hands a stored event of a room this channel is bound to (with read access) to its recipients.
     * Called for transport channels, in index order per room. An exception is logged and does not
     * affect other channels or the stored event.
     */
    default void deliver(RoomEvent event, ChannelBinding binding, RoomContext context) throws Exception {
    }

    /**
     * Lets an intelligence channel answer an event. Returned events (built with this channel as source)
     * re-enter the pipeline as responses, one AI hop deeper; an empty list means no answer.
     */
    default List<RoomEvent> onEvent(RoomEvent event, ChannelBinding binding, RoomContext context) throws Exception {
        return List.of();
    }

    /**
     * Called once when the channel is registered with a kit, with the kit's realtime backend (an AI channel
     * publishes its tool-call and thinking events there).
     */
    default void onRegistered(RealtimeBackend realtime) {
    }

    /** Releases the channel's resources when the kit closes. */
    default void close() {
    }
}
