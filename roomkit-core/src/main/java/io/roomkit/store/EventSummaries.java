package io.roomkit.store;

import io.roomkit.model.EventType;
import io.roomkit.model.ReactionSummary;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.ThreadSummary;

import java.util.List;
import java.util.Map;

/**
 * Adds to a page of events what is read with it rather than stored in it: each event's reactions and each
 * thread root's {@link ThreadSummary}. Two store calls per page at most, none for a page without messages;
 * only messages take reactions.
 */
public final class EventSummaries {

    private EventSummaries() {
    }

    /** {@code page} with the summaries of its messages; the events are otherwise unchanged and in order. */
    public static List<RoomEvent> addTo(ConversationStore store, String roomId, List<RoomEvent> page) {
        List<String> messages = page.stream().filter(event -> event.type() == EventType.MESSAGE && !event.isDeleted())
                .map(RoomEvent::id).toList();
        List<String> roots = page.stream().filter(EventSummaries::mayHaveReplies).map(RoomEvent::id).toList();
        Map<String, Map<String, ReactionSummary>> reactions = messages.isEmpty() ? Map.of()
                : store.reactionSummaries(roomId, messages);
        Map<String, ThreadSummary> threads = roots.isEmpty() ? Map.of() : store.threadSummaries(roomId, roots);
        if (reactions.isEmpty() && threads.isEmpty()) {
            return page;
        }
        return page.stream().map(event -> reactions.containsKey(event.id()) || threads.containsKey(event.id())
                ? event.withSummaries(reactions.getOrDefault(event.id(), Map.of()), threads.get(event.id()))
                : event).toList();
    }

    /** Threads are flat: only a top-level message can be a root (a deleted root keeps its thread). */
    private static boolean mayHaveReplies(RoomEvent event) {
        return event.type() == EventType.MESSAGE && event.parentEventId() == null;
    }
}
