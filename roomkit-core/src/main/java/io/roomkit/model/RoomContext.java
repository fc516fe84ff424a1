package io.roomkit.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * What hooks and channels see of a room while an event is processed: the room, its bindings and its
 * participants, read under the room lock, and on demand its most recent messages.
 */
public final class RoomContext {

    private final Room room;
    private final List<ChannelBinding> bindings;
    private final Supplier<List<Participant>> participantSource;
    private final IntFunction<List<RoomEvent>> recentMessages;
    private volatile List<Participant> participants;

    public RoomContext(Room room, List<ChannelBinding> bindings, List<Participant> participants,
            IntFunction<List<RoomEvent>> recentMessages) {
        this(room, bindings, () -> participants, recentMessages);
        this.participants = List.copyOf(participants);
    }

    /**
     * A context whose participants are read on first use: most events (plain messages without hooks that ask)
     * never need them, and with a database store each read is a round trip.
     */
    public RoomContext(Room room, List<ChannelBinding> bindings, Supplier<List<Participant>> participants,
            IntFunction<List<RoomEvent>> recentMessages) {
        this.room = Objects.requireNonNull(room, "room");
        this.bindings = List.copyOf(bindings);
        this.participantSource = Objects.requireNonNull(participants, "participants");
        this.recentMessages = recentMessages;
    }

    public Room room() {
        return room;
    }

    public List<ChannelBinding> bindings() {
        return bindings;
    }

    public List<Participant> participants() {
        List<Participant> loaded = participants;
        if (loaded == null) {
            synchronized (this) {
                loaded = participants;
                if (loaded == null) {
                    loaded = List.copyOf(participantSource.get());
                    participants = loaded;
                }
            }
        }
        return loaded;
    }

    public Optional<ChannelBinding> binding(String channelId) {
        return bindings.stream().filter(binding -> binding.channelId().equals(channelId)).findFirst();
    }

    public Optional<Participant> participant(String participantId) {
        return participants().stream().filter(participant -> participant.id().equals(participantId)).findFirst();
    }

    /** The newest {@code limit} {@code MESSAGE} events of the room, oldest first, read from the store now. */
    public List<RoomEvent> recentMessages(int limit) {
        return recentMessages.apply(limit);
    }
}
