package io.roomkit.spring.presence;

import io.roomkit.RoomKit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is in which room, counted by STOMP sessions: a user is present in a room while at least one of their
 * sessions (tabs, devices, on any node when the {@link PresenceStore} is shared) subscribes to one of its
 * topics. The first
 * session publishes PRESENCE_ONLINE, the last one to unsubscribe or disconnect publishes PRESENCE_OFFLINE (and
 * TYPING_STOP if the user was typing) — once, however often Spring reports the same disconnect.
 * <p>
 * The changes of one session are serialised (a lock per session, striped): a SUBSCRIBE that Spring hands over
 * while the same session's disconnect is being processed either joins before the disconnect, which then takes
 * it back, or sees the session ended and does nothing. Its presence events are published under the same lock,
 * so that they are in order (publishing hands the event to the realtime backend and never waits).
 * <p>
 * With a {@link PresenceCoalescer}, arrivals and departures in rooms above its size are announced as one
 * presence diff per room and window instead (see there); status changes are always announced alone.
 */
public class PresenceTracker {

    /** Disconnected sessions remembered, so that a SUBSCRIBE queued behind the disconnect cannot revive them. */
    static final int ENDED_SESSIONS_REMEMBERED = 10_000;

    /** Locks that serialise the changes of one session; striped so that sessions need no lock object each. */
    private static final int STRIPES = 64;

    private final Object[] stripes = new Object[STRIPES];
    private final RoomKit kit;
    private final TypingTracker typing;
    private final PresenceStore store;
    private final PresenceCoalescer coalescer;
    private final Map<String, Map<String, String>> subscriptions = new ConcurrentHashMap<>();
    private final Set<String> ended = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > ENDED_SESSIONS_REMEMBERED;
        }
    }));

    public PresenceTracker(RoomKit kit, TypingTracker typing) {
        this(kit, typing, new LocalPresenceStore());
    }

    /** A tracker that announces every arrival and departure alone, whatever the room's size. */
    public PresenceTracker(RoomKit kit, TypingTracker typing, PresenceStore store) {
        this(kit, typing, store, null);
    }

    /**
     * A tracker that hands the arrivals and departures of large rooms to {@code coalescer} (built on the same
     * store), or announces each alone when it is {@code null}.
     */
    public PresenceTracker(RoomKit kit, TypingTracker typing, PresenceStore store, PresenceCoalescer coalescer) {
        this.kit = kit;
        this.typing = typing;
        this.store = store;
        this.coalescer = coalescer;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    private Object lockOf(String sessionId) {
        return stripes[Math.floorMod(sessionId.hashCode(), STRIPES)];
    }

    /** A session of {@code userId} subscribed to the room; ignored once the session has disconnected. */
    public void join(String sessionId, String userId, String roomId) {
        subscribed(sessionId, null, userId, roomId);
    }

    /** A session subscribed to one of the room's topics under {@code subscriptionId}. */
    public void subscribed(String sessionId, String subscriptionId, String userId, String roomId) {
        synchronized (lockOf(sessionId)) {
            if (ended.contains(sessionId)) {
                return;
            }
            if (subscriptionId != null) {
                subscriptions.computeIfAbsent(sessionId, id -> new ConcurrentHashMap<>()).put(subscriptionId, roomId);
            }
            if (store.join(sessionId, userId, roomId)) {
                announce(roomId, userId, "online");
            }
        }
    }

    /**
     * A session unsubscribed; when it no longer subscribes to any topic of that room, the user leaves the room
     * (PRESENCE_OFFLINE if it was their last session there).
     */
    public void unsubscribed(String sessionId, String subscriptionId, String userId) {
        synchronized (lockOf(sessionId)) {
            Map<String, String> rooms = subscriptions.get(sessionId);
            String roomId = rooms == null || subscriptionId == null ? null : rooms.remove(subscriptionId);
            if (roomId != null && !rooms.containsValue(roomId) && store.leave(sessionId, roomId)) {
                left(userId, List.of(roomId));
            }
        }
    }

    /** The user set a status ({@code online}, {@code away}, or any custom one) in the room. */
    public void status(String userId, String roomId, String status) {
        store.status(userId, roomId, status);
        kit.publishPresence(roomId, userId, status);
    }

    /** The session disconnected; idempotent. */
    public void disconnect(String sessionId) {
        synchronized (lockOf(sessionId)) {
            ended.add(sessionId);
            subscriptions.remove(sessionId);
            PresenceStore.Departure departure = store.disconnect(sessionId);
            if (departure != null) {
                left(departure.userId(), departure.roomsLeft());
            }
        }
    }

    /** The user is gone from these rooms (their last session there ended, here or on a dead node). */
    public void left(String userId, List<String> rooms) {
        typing.stopAll(userId, Set.copyOf(rooms));
        rooms.forEach(roomId -> announce(roomId, userId, "offline"));
    }

    /** A user's own event in a small room; in a large one, part of the room's next presence diff. */
    private void announce(String roomId, String userId, String status) {
        if (coalescer == null || !coalescer.offer(roomId, userId)) {
            kit.publishPresence(roomId, userId, status);
        }
    }

    /** Users present in the room with their status, ordered by user id. */
    public List<Map<String, Object>> snapshot(String roomId) {
        List<Map<String, Object>> snapshot = new ArrayList<>();
        new TreeMap<>(store.present(roomId)).forEach((userId, status) -> snapshot.add(Map.of("user_id", userId,
                "status", status)));
        return snapshot;
    }

    /** Sessions with subscriptions tracked here, for tests: none once every session has disconnected. */
    int trackedSessions() {
        return subscriptions.size();
    }

    public boolean isPresent(String userId, String roomId) {
        return store.present(roomId).containsKey(userId);
    }
}
