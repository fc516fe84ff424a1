package io.roomkit.store;

import io.roomkit.model.Ban;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.Participant;
import io.roomkit.model.Room;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything the {@link InMemoryConversationStore} keeps for one room. Guarded by its own monitor: the store
 * holds it for every read and write of the room, so that each SPI call is atomic and rooms do not contend
 * with each other; nothing here locks.
 */
final class InMemoryRoom {

    /** The order rooms were created in, which listings follow. */
    final long sequence;
    Room room;
    /** Set when the room is deleted, so that a writer that found it just before fails as if it were gone. */
    boolean deleted;
    final Map<String, ChannelBinding> bindings = new LinkedHashMap<>();
    final Map<String, Participant> participants = new LinkedHashMap<>();
    final Map<String, Ban> bans = new LinkedHashMap<>();
    final InMemoryTimeline timeline = new InMemoryTimeline();
    final InMemoryReactions reactions = new InMemoryReactions();
    final InMemoryReadMarkers readMarkers = new InMemoryReadMarkers();

    InMemoryRoom(Room room, long sequence) {
        this.room = room;
        this.sequence = sequence;
    }
}
