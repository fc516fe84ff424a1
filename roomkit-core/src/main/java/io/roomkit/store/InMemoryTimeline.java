package io.roomkit.store;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKitException;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventType;
import io.roomkit.model.Room;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.ThreadSummary;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The events of one room of the {@link InMemoryConversationStore}, in index order, with the indexes that answer
 * the store's reads without a scan: events by id and by idempotency key, the EDITs of each message, the replies
 * of each thread. An event's position in the list is its index (gapless, from 0).
 * <p>
 * Not thread-safe: the store calls it only under the monitor of the {@link InMemoryRoom} that holds it.
 */
final class InMemoryTimeline {

    private final List<RoomEvent> events = new ArrayList<>();
    private final Map<String, Integer> positions = new HashMap<>();
    private final Map<String, String> idempotencyKeys = new HashMap<>();
    private final Map<String, List<String>> editsByTarget = new HashMap<>();
    /** Positions of each thread's replies, ascending. */
    private final Map<String, List<Integer>> repliesByRoot = new HashMap<>();

    // ---- writes ------------------------------------------------------------------------------------

    /**
     * Applies {@code commit} whole or not at all: every check runs before the first change, so a refused commit
     * leaves the timeline as it was. {@code room} is the room as stored, whose status may refuse the event.
     */
    RoomEvent commit(EventCommit commit, Room room) {
        checkCommittable(commit, room);
        RoomEvent draft = commit.event();
        String edited = commit.editedEventId();
        RoomEvent event = edited == null ? draft
                : commit.eventReplacing(events.get(positions.get(edited)).content());
        for (RoomEvent replacement : commit.replacements()) {
            int position = positions.get(replacement.id());
            events.set(position, replacement.toBuilder().index(position).build());
        }
        redactLateEdits(commit);
        return append(event);
    }

    private void checkCommittable(EventCommit commit, Room room) {
        RoomEvent draft = commit.event();
        String key = draft.idempotencyKey();
        if (key != null && idempotencyKeys.containsKey(key)) {
            throw new RoomKitException(ErrorCodes.DUPLICATE_IDEMPOTENCY_KEY,
                    "Room '" + draft.roomId() + "' already has an event with idempotency key '" + key + "'");
        }
        if (positions.containsKey(draft.id())) {
            throw new RoomKitException(ErrorCodes.EVENT_EXISTS,
                    "Room '" + draft.roomId() + "' already has an event with id '" + draft.id() + "'");
        }
        if (room.refusesEvents()) {
            throw new RoomKitException(ErrorCodes.ROOM_CLOSED, "Room '" + draft.roomId() + "' is closed");
        }
        for (RoomEvent replacement : commit.replacements()) {
            Integer position = positions.get(replacement.id());
            if (position == null) {
                throw new RoomKitException(ErrorCodes.EVENT_NOT_FOUND,
                        "Cannot replace unknown event '" + replacement.id() + "'");
            }
            if (events.get(position).isDeleted()) {
                // checked by the pipeline before the commit; a concurrent delete may have come since
                throw new RoomKitException(draft.type() == EventType.DELETE ? ErrorCodes.ALREADY_DELETED
                        : ErrorCodes.TARGET_DELETED, "Event '" + replacement.id() + "' of room '"
                                + draft.roomId() + "' was deleted by a concurrent write");
            }
        }
    }

    /** The EDITs of a message being deleted that the commit's replacements do not cover get its tombstone too. */
    private void redactLateEdits(EventCommit commit) {
        for (RoomEvent deletion : commit.deletions()) {
            for (String editId : editsByTarget.getOrDefault(deletion.id(), List.of())) {
                int position = positions.get(editId);
                RoomEvent redacted = commit.redactingLateEdit(events.get(position), deletion);
                if (redacted != null) {
                    events.set(position, redacted);
                }
            }
        }
    }

    /** Stores {@code event} at the next index and indexes it by id, idempotency key, edit target and thread. */
    private RoomEvent append(RoomEvent event) {
        RoomEvent stored = event.toBuilder().index(events.size()).build();
        positions.put(stored.id(), events.size());
        events.add(stored);
        if (stored.idempotencyKey() != null) {
            idempotencyKeys.put(stored.idempotencyKey(), stored.id());
        }
        String target = stored.targetEventId();
        if (stored.type() == EventType.EDIT && target != null) {
            editsByTarget.computeIfAbsent(target, ignored -> new ArrayList<>()).add(stored.id());
        }
        if (stored.parentEventId() != null) {
            repliesByRoot.computeIfAbsent(stored.parentEventId(), ignored -> new ArrayList<>())
                    .add((int) stored.index());
        }
        return stored;
    }

    // ---- reads -------------------------------------------------------------------------------------

    Optional<RoomEvent> event(String eventId) {
        return Optional.ofNullable(positions.get(eventId)).map(events::get);
    }

    Optional<RoomEvent> eventWithIdempotencyKey(String idempotencyKey) {
        return Optional.ofNullable(idempotencyKeys.get(idempotencyKey)).map(id -> events.get(positions.get(id)));
    }

    /** The event at {@code index}; {@code index} must be below {@link #size()}. */
    RoomEvent eventAt(int index) {
        return events.get(index);
    }

    int size() {
        return events.size();
    }

    OptionalLong latestIndex() {
        return events.isEmpty() ? OptionalLong.empty() : OptionalLong.of(events.size() - 1);
    }

    /** The EDIT events of a message, oldest first. */
    List<RoomEvent> edits(String eventId) {
        return editsByTarget.getOrDefault(eventId, List.of()).stream().map(id -> events.get(positions.get(id)))
                .toList();
    }

    List<RoomEvent> page(EventQuery query) {
        return query.threadRootId() == null ? page(events, query) : threadPage(query);
    }

    /** A thread's page from its replies' positions, without reading the rest of the room. */
    private List<RoomEvent> threadPage(EventQuery query) {
        List<RoomEvent> replies = new ArrayList<>();
        for (int position : repliesByRoot.getOrDefault(query.threadRootId(), List.of())) {
            replies.add(events.get(position));
        }
        return page(replies, query, false);
    }

    Map<String, ThreadSummary> threadSummaries(Collection<String> rootEventIds) {
        Map<String, ThreadSummary> summaries = new LinkedHashMap<>();
        for (String root : rootEventIds) {
            ThreadReplies replies = new ThreadReplies();
            repliesByRoot.getOrDefault(root, List.of()).forEach(position -> replies.add(events.get(position)));
            replies.summary().ifPresent(summary -> summaries.put(root, summary));
        }
        return summaries;
    }

    /** Positions equal indices (gapless, from 0), so the cursor bounds are list positions. */
    private static List<RoomEvent> page(List<RoomEvent> events, EventQuery query) {
        return page(events, query, true);
    }

    /**
     * The page of {@code events} (ascending by index); when {@code positionIsIndex}, the cursors are used as list
     * positions to skip ahead, otherwise every event is matched against them.
     */
    private static List<RoomEvent> page(List<RoomEvent> events, EventQuery query, boolean positionIsIndex) {
        List<RoomEvent> page = new ArrayList<>();
        if (!positionIsIndex) {
            List<RoomEvent> matching = events.stream().filter(query::matches).toList();
            int from = query.fromNewest() ? Math.max(0, matching.size() - query.limit()) : 0;
            return new ArrayList<>(matching.subList(from, Math.min(matching.size(), from + query.limit())));
        }
        if (query.fromNewest()) {
            long end = query.beforeIndex() == null ? events.size() : Math.min(query.beforeIndex(), events.size());
            for (int i = (int) end - 1; i >= 0 && page.size() < query.limit(); i--) {
                if (query.matches(events.get(i))) {
                    page.add(events.get(i));
                }
            }
            Collections.reverse(page);
        }
        else {
            long start = Math.max(0, query.afterIndex() + 1);
            for (long i = start; i < events.size() && page.size() < query.limit(); i++) {
                if (query.matches(events.get((int) i))) {
                    page.add(events.get((int) i));
                }
            }
        }
        return page;
    }
}
