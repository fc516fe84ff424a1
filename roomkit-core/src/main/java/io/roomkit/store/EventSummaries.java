package io.roomkit.store;

import io.roomkit.model.EventType;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.ThreadSummary;

import java.util.List;
import java.util.Map;

/**
 * Adds to a page of events what is read with it rather than stored in it: each thread root's
 * {@link ThreadSummary}. One store call per page, none for a page without messages.
 */
public final class EventSummaries {

    private EventSummaries() {
    }

    /** {@code page} with the summaries of its messages; the events are otherwise unchanged and in order. */
    public static List<RoomEvent> addTo(ConversationStore store, String roomId, List<RoomEvent> page) {
        List<String> roots = page.stream().filter(EventSummaries::mayHaveReplies).map(RoomEvent::id).toList();
        if (roots.isEmpty()) {
            return page;
        }
        Map<String, ThreadSummary> threads = store.threadSummaries(roomId, roots);
        if (threads.isEmpty()) {
            return page;
        }
        return page.stream().map(event -> threads.containsKey(event.id())
                ? event.withSummaries(event.reactions(), threads.get(event.id())) : event).toList();
    }

    /** Threads are flat: only a top-level message can be a root. */
    private static boolean mayHaveReplies(RoomEvent event) {
        return event.type() == EventType.MESSAGE && event.parentEventId() == null;
    }
}
