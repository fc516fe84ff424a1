package io.roomkit.model;

import io.roomkit.InvalidInputException;

import java.util.EnumSet;
import java.util.Set;

/**
 * A page of a room's timeline. Every page is returned in ascending index order, whichever end it was
 * taken from, so that it can be appended to or prepended to a view as it is.
 * <ul>
 * <li>{@link #latest(int)}: the newest {@code limit} events;</li>
 * <li>{@link #after(long, int)}: the first {@code limit} events with an index above the cursor (catch-up);</li>
 * <li>{@link #before(long, int)}: the last {@code limit} events with an index below the cursor (scrolling back).</li>
 * <li>{@link #thread(String, int)}: the newest {@code limit} replies of a thread; the same cursors work within a
 * thread ({@code EventQuery.after(index, limit).inThread(rootEventId)}).</li>
 * </ul>
 *
 * @param afterIndex   lower exclusive bound, or {@code null}
 * @param beforeIndex  upper exclusive bound, or {@code null}
 * @param limit        1 to {@value #MAX_LIMIT}
 * @param types        the event types to return; empty for every type
 * @param threadRootId only the replies of this thread root (events whose {@code parentEventId} it is), or
 *                     {@code null} for the whole room
 */
public record EventQuery(Long afterIndex, Long beforeIndex, int limit, Set<EventType> types, String threadRootId) {

    /** Largest page. */
    public static final int MAX_LIMIT = 1000;

    public EventQuery {
        if (afterIndex != null && beforeIndex != null) {
            throw InvalidInputException.argument("afterIndex and beforeIndex are mutually exclusive");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw InvalidInputException.argument("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        types = types == null || types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
        if (threadRootId != null && threadRootId.isBlank()) {
            throw InvalidInputException.argument("threadRootId must not be blank");
        }
    }

    /** A page of the whole room. */
    public EventQuery(Long afterIndex, Long beforeIndex, int limit, Set<EventType> types) {
        this(afterIndex, beforeIndex, limit, types, null);
    }

    /** The newest {@code limit} replies of the thread whose root is {@code rootEventId}. */
    public static EventQuery thread(String rootEventId, int limit) {
        return latest(limit).inThread(rootEventId);
    }

    /** This query restricted to the replies of the thread whose root is {@code rootEventId}. */
    public EventQuery inThread(String rootEventId) {
        if (rootEventId == null) {
            throw InvalidInputException.argument("rootEventId is required");
        }
        return new EventQuery(afterIndex, beforeIndex, limit, types, rootEventId);
    }

    /** The newest {@code limit} events. */
    public static EventQuery latest(int limit) {
        return new EventQuery(null, null, limit, Set.of());
    }

    /** The oldest {@code limit} events with an index greater than {@code index}. */
    public static EventQuery after(long index, int limit) {
        return new EventQuery(index, null, limit, Set.of());
    }

    /** The newest {@code limit} events with an index less than {@code index}. */
    public static EventQuery before(long index, int limit) {
        return new EventQuery(null, index, limit, Set.of());
    }

    /** This query restricted to the given types. */
    public EventQuery ofTypes(EventType first, EventType... more) {
        return new EventQuery(afterIndex, beforeIndex, limit, EnumSet.of(first, more), threadRootId);
    }

    /** Whether the page is taken from the newest end of the selected range. */
    public boolean fromNewest() {
        return afterIndex == null;
    }

    /** Whether {@code event} falls within the bounds, types and thread of this query (the limit aside). */
    public boolean matches(RoomEvent event) {
        return (afterIndex == null || event.index() > afterIndex)
                && (beforeIndex == null || event.index() < beforeIndex)
                && (types.isEmpty() || types.contains(event.type()))
                && (threadRootId == null || threadRootId.equals(event.parentEventId()));
    }
}
