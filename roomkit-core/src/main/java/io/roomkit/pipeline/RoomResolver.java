package io.roomkit.pipeline;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKitException;
import io.roomkit.RoomNotFoundException;
import io.roomkit.channel.Channel;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventType;
import io.roomkit.model.Room;
import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomIds;
import io.roomkit.model.RoomStatus;
import io.roomkit.store.ConversationStore;
import io.roomkit.store.RoomWithBindings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Room resolution (DESIGN §3): the room a channel's message goes to, created and joined where the message calls
 * for it, and the {@link RoomContext} the rest of the write sees. Store work only: the one lock it takes (per
 * channel, while routing) is never held while code RoomKit does not own runs.
 */
final class RoomResolver {

    /** The pipeline's category, so that its log settings keep covering this step. */
    private static final Logger log = LoggerFactory.getLogger(InboundPipeline.class);

    private final ConversationStore store;
    private final ChannelRegistry channels;
    private final AutoAttachRules autoAttach;
    private final KeyedLocks routes = new KeyedLocks();

    RoomResolver(ConversationStore store, ChannelRegistry channels, AutoAttachRules autoAttach) {
        this.store = store;
        this.channels = channels;
        this.autoAttach = autoAttach;
    }

    /**
     * The one active room the channel is bound to; otherwise a new room with the channel attached. Serialised
     * per channel, so that concurrent first messages of a channel share one new room.
     */
    String routedRoom(Channel channel) {
        return routes.withLock(channel.id(), () -> findOrCreateRoutedRoom(channel));
    }

    private String findOrCreateRoutedRoom(Channel channel) {
        List<String> candidates = store.findRoomIdsByChannel(channel.id(), RoomStatus.ACTIVE, 2);
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        if (candidates.size() > 1) {
            log.debug("Channel {} is bound to several active rooms; creating a new room", channel.id());
        }
        String roomId = RoomIds.random();
        store.createRoom(Room.create(roomId));
        store.saveBinding(InboundPipeline.bindingFor(roomId, channel));
        return roomId;
    }

    /**
     * The context of {@code roomId} for a message of {@code channel}; empty when the room is closed or archived,
     * in which case nothing was created or bound. With {@code join} (an explicit room), a missing room is created
     * and the channel joins the room if it is not bound yet; this is folded into the reads the write needs
     * anyway, because each read is a round trip with a database store. Without, a missing room is
     * {@code room_not_found}.
     */
    Optional<RoomContext> enter(Channel channel, String roomId, boolean join) {
        RoomWithBindings state = store.getRoomWithBindings(roomId).orElse(null);
        if (state == null && !join) {
            throw new RoomNotFoundException(roomId);
        }
        Room room = state == null ? createRoomQuietly(roomId) : state.room();
        if (room.refusesEvents()) {
            return Optional.empty();
        }
        List<ChannelBinding> bindings = state == null ? List.of() : state.bindings();
        boolean bound = false;
        if (join && bindings.stream().noneMatch(binding -> binding.channelId().equals(channel.id()))) {
            ChannelBinding joined = store.saveBinding(InboundPipeline.bindingFor(roomId, channel));
            bindings = Stream.concat(bindings.stream(), Stream.of(joined)).toList();
            bound = true;
        }
        bound |= autoAttach.apply(roomId, bindings, store, channels);
        return Optional.of(bound ? contextOf(room) : contextOf(room, bindings));
    }

    /** Another writer may create the room first: its room is as good as ours. */
    private Room createRoomQuietly(String roomId) {
        try {
            return store.createRoom(Room.create(roomId));
        }
        catch (RoomKitException ex) {
            if (!ErrorCodes.ROOM_EXISTS.equals(ex.code())) {
                throw ex;
            }
            return store.getRoom(roomId).orElseThrow(() -> ex);
        }
    }

    /** The room's context with its bindings as stored now. */
    RoomContext contextOf(Room room) {
        return contextOf(room, store.listBindings(room.id()));
    }

    /** The room's context with {@code bindings}; participants and recent messages are read when asked for. */
    RoomContext contextOf(Room room, List<ChannelBinding> bindings) {
        return new RoomContext(room, bindings, () -> store.listParticipants(room.id()),
                limit -> store.listEvents(room.id(), EventQuery.latest(limit).ofTypes(EventType.MESSAGE)));
    }
}
