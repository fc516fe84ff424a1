package io.roomkit.pipeline;

import io.roomkit.channel.Channel;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.ChannelCategory;
import io.roomkit.model.ChannelType;
import io.roomkit.model.EventSource;
import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** An intelligence channel that answers every event it is shown, and records what it was shown. */
class FakeAiChannel implements Channel {

    private final String id;
    private final List<RoomEvent> seen = new ArrayList<>();
    private volatile Function<RoomEvent, String> parentOf = trigger -> null;

    FakeAiChannel(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ChannelType type() {
        return ChannelType.AI;
    }

    @Override
    public ChannelCategory category() {
        return ChannelCategory.INTELLIGENCE;
    }

    /** Makes each reply name {@code parentOf(trigger)} as its parent (none by default). */
    void replyParent(Function<RoomEvent, String> parentOf) {
        this.parentOf = parentOf;
    }

    @Override
    public List<RoomEvent> onEvent(RoomEvent event, ChannelBinding binding, RoomContext context) {
        synchronized (seen) {
            seen.add(event);
        }
        return List.of(RoomEvent.builder().roomId(event.roomId()).source(new EventSource(id, ChannelType.AI, id))
                .content(new TextContent(id + " answers " + event.id())).parentEventId(parentOf.apply(event))
                .build());
    }

    List<RoomEvent> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }
}
