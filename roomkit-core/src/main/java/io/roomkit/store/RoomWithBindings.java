package io.roomkit.store;

import io.roomkit.model.ChannelBinding;
import io.roomkit.model.Room;

import java.util.List;
import java.util.Objects;

/**
 * A room and its bindings in attach order, read together by {@link ConversationStore#getRoomWithBindings}.
 *
 * @param room     the room
 * @param bindings its bindings in attach order
 */
public record RoomWithBindings(Room room, List<ChannelBinding> bindings) {

    public RoomWithBindings {
        Objects.requireNonNull(room, "room");
        bindings = List.copyOf(bindings);
    }
}
