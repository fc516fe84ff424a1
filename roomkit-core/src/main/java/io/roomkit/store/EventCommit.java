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

    /** The replacements that delete a message (its tombstone): a store must redact that message's edits too. */
    public List<RoomEvent> deletions() {
        return replacements.stream().filter(RoomEvent::isDeleted).toList();
    }

    /**
     * {@code edit}, an edit of {@code deletion}'s message that this commit does not replace itself (one committed
     * after the pipeline read the message's edits), redacted with the deletion's tombstone; {@code null} when the
     * commit already covers it or it is not an edit. Stores apply it under the room's lock.
     */
    public RoomEvent redactingLateEdit(RoomEvent edit, RoomEvent deletion) {
        boolean covered = replacements.stream().anyMatch(replacement -> replacement.id().equals(edit.id()));
        if (covered || !(edit.content() instanceof EditContent content)) {
            return null;
        }
        return edit.toBuilder().content(content.redactedWith(deletion.content())).build();
    }

    /** A commit of one new event. */
    public static EventCommit of(RoomEvent event) {
        return new EventCommit(event, List.of());
    }
}
