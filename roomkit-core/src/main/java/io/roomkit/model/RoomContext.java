package io.roomkit.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * What hooks and channels see of a room while an event is processed: the room, its bindings and its
 * participants, read under the room lock, and on demand its most recent messages.
 */
public final class RoomContext {

    private final Room room;
    private final List<ChannelBinding> bindings;
    private final List<Participant> participants;
    private final IntFunction<List<RoomEvent>> recentMessages;

    public RoomContext(Room room, List<ChannelBinding> bindings, List<Participant> participants,
            IntFunction<List<RoomEvent>> recentMessages) {
        this.room = Objects.requireNonNull(room, "room");
        this.bindings = List.copyOf(bindings);
        this.participants = List.copyOf(participants);
        this.recentMessages = recentMessages;
    }

    public Room room() {
        return room;
    }

    public List<ChannelBinding> bindings() {
        return bindings;
    }

    public List<Participant> participants() {
        return participants;
    }

    public Optional<ChannelBinding> binding(String channelId) {
        return bindings.stream().filter(binding -> binding.channelId().equals(channelId)).findFirst();
    }

    public Optional<Participant> participant(String participantId) {
        return participants.stream().filter(participant -> participant.id().equals(participantId)).findFirst();
    }

    /** The newest {@code limit} {@code MESSAGE} events of the room, oldest first, read from the store now. */
    public List<RoomEvent> recentMessages(int limit) {
        return recentMessages.apply(limit);
    }
}
