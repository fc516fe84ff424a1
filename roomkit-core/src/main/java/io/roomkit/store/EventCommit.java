package io.roomkit.store;

import io.roomkit.model.RoomEvent;

import java.util.List;
import java.util.Objects;

/**
 * One atomic write of the pipeline: a new event that gets the room's next index, and the replacements of
 * existing events that go with it (the target of an edit, or a deleted message and its redacted edits).
 * A store applies all of it or none of it.
 *
 * @param event        the new event; its index is ignored and assigned by the store
 * @param replacements existing events of the same room to overwrite by id, keeping their index
 */
public record EventCommit(RoomEvent event, List<RoomEvent> replacements) {

    public EventCommit {
        Objects.requireNonNull(event, "event");
        replacements = replacements == null ? List.of() : List.copyOf(replacements);
        for (RoomEvent replacement : replacements) {
            if (!replacement.roomId().equals(event.roomId())) {
                throw new IllegalArgumentException("replacement " + replacement.id() + " is of another room");
            }
        }
    }

    /** A commit of one new event. */
    public static EventCommit of(RoomEvent event) {
        return new EventCommit(event, List.of());
    }
}
