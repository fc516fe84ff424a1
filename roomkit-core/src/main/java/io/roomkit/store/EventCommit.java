package io.roomkit.store;

import io.roomkit.model.EditContent;
import io.roomkit.model.EventContent;
import io.roomkit.model.EventType;
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

    /**
     * The message this commit's event edits, when it is an {@link EventType#EDIT} that replaces its target:
     * the store passes that message's content as stored, before the replacement, to {@link #eventReplacing}.
     */
    public String editedEventId() {
        if (event.type() == EventType.EDIT && event.content() instanceof EditContent edit
                && replacements.stream().anyMatch(replacement -> replacement.id().equals(edit.targetEventId()))) {
            return edit.targetEventId();
        }
        return null;
    }

    /**
     * The event to store: an edit records {@code stored}, the edited message's content when the commit is applied
     * (under the room's lock, so concurrent edits each record the version they really replaced), as its
     * {@link EditContent#previousContent}; any other event is returned as it is.
     */
    public RoomEvent eventReplacing(EventContent stored) {
        if (editedEventId() == null) {
            return event;
        }
        return event.toBuilder().content(((EditContent) event.content()).replacing(stored)).build();
    }

    /** A commit of one new event. */
    public static EventCommit of(RoomEvent event) {
        return new EventCommit(event, List.of());
    }
}
