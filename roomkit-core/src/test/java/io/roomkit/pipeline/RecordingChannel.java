package io.roomkit.pipeline;

import io.roomkit.channel.Channel;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.ChannelType;
import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;

import java.util.ArrayList;
import java.util.List;

/** A transport channel that records every event delivered to it; optionally throws after recording. */
public class RecordingChannel implements Channel {

    private final String id;
    private final ChannelType type;
    private final List<RoomEvent> delivered = new ArrayList<>();
    private volatile boolean failing;

    RecordingChannel(String id) {
        this(id, ChannelType.WEBSOCKET);
    }

    RecordingChannel(String id, ChannelType type) {
        this.id = id;
        this.type = type;
    }

    /** A channel whose every delivery throws (the event is still recorded). */
    static RecordingChannel failing(String id) {
        RecordingChannel channel = new RecordingChannel(id);
        channel.failing = true;
        return channel;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ChannelType type() {
        return type;
    }

    @Override
    public void deliver(RoomEvent event, ChannelBinding binding, RoomContext context) {
        synchronized (delivered) {
            delivered.add(event);
        }
        if (failing) {
            throw new IllegalStateException("delivery to " + id + " failed on purpose");
        }
    }

    List<RoomEvent> delivered() {
        synchronized (delivered) {
            return List.copyOf(delivered);
        }
    }

    List<RoomEvent> deliveredIn(String roomId) {
        return delivered().stream().filter(event -> event.roomId().equals(roomId)).toList();
    }

    List<String> deliveredIds() {
        return delivered().stream().map(RoomEvent::id).toList();
    }

    boolean received(String eventId) {
        return deliveredIds().contains(eventId);
    }
}
