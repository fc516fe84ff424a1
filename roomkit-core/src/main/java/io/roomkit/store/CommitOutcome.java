package io.roomkit.store;

import io.roomkit.model.RoomEvent;

import java.util.Objects;

/**
 * What became of one commit of a {@link ConversationStore#commitAll} batch: the stored event, or the exception
 * that {@link ConversationStore#commit} would have thrown for it.
 *
 * @param stored  the stored event with its index, or {@code null} when the commit was refused
 * @param failure why the commit was refused, or {@code null} when it was stored
 */
public record CommitOutcome(RoomEvent stored, RuntimeException failure) {

    public CommitOutcome {
        if ((stored == null) == (failure == null)) {
            throw new IllegalArgumentException("a commit outcome is either a stored event or a failure");
        }
    }

    /** The commit was stored. */
    public static CommitOutcome stored(RoomEvent event) {
        return new CommitOutcome(Objects.requireNonNull(event, "event"), null);
    }

    /** The commit was refused and wrote nothing. */
    public static CommitOutcome failed(RuntimeException failure) {
        return new CommitOutcome(null, Objects.requireNonNull(failure, "failure"));
    }

    /** The stored event, or the failure thrown. */
    public RoomEvent orThrow() {
        if (failure != null) {
            throw failure;
        }
        return stored;
    }
}
