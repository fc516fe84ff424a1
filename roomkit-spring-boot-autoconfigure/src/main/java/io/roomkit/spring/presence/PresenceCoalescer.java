package io.roomkit.spring.presence;

import io.roomkit.RoomKit;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Announces arrivals and departures in large rooms as one presence diff per room and window instead of one
 * event per user, so that connecting N users to a room costs about N deliveries per window rather than N².
 * <p>
 * The diff is an ephemeral {@code custom} event with an empty {@code user_id} and
 * {@code data = {kind: "presence_diff", online: [{user_id, status}], offline: [user_id]}}, which a Python
 * RoomKit node reads like any custom event. It is built from the store's state when the window closes, not from
 * the changes themselves: a change marks its user, the flush reads who of the marked users is present now. So a
 * client that applies the diffs in order over a snapshot (the history reply's {@code presence}) converges to
 * the true set, whatever the order in which threads or nodes reported their changes, because every change is
 * followed by a flush that reads the state after it.
 * <p>
 * The window grows with the room: {@code window × (online / coalesceAbove)} (whole multiples), at most {@code maxWindow}, so
 * that a room costs about the same number of presence deliveries per second whatever its size (below
 * {@code maxWindow}). The flush runs on the scheduler once per room and window (not once per change), one flush
 * of a room at a time, and publishes with no lock held. A diff is checked against the store one window later
 * and corrected if another node's diff overtook it, so that the nodes of a cluster converge too.
 */
public final class PresenceCoalescer {

    /** {@code data.kind} of a presence diff. */
    public static final String KIND = "presence_diff";

    private static final Logger log = LoggerFactory.getLogger(PresenceCoalescer.class);

    private final RoomKit kit;
    private final PresenceStore store;
    private final TaskScheduler scheduler;
    private final int coalesceAbove;
    private final Duration window;
    private final Duration maxWindow;
    private final Map<String, Pending> rooms = new ConcurrentHashMap<>();

    /**
     * @param coalesceAbove rooms with more users online than this get diffs; smaller ones per-user events
     * @param window        the window of a room of up to {@code 2 × coalesceAbove} users
     * @param maxWindow     the longest window, however large the room
     */
    public PresenceCoalescer(RoomKit kit, PresenceStore store, TaskScheduler scheduler, int coalesceAbove,
            Duration window, Duration maxWindow) {
        if (coalesceAbove < 0 || window.isNegative() || window.isZero() || maxWindow.compareTo(window) < 0) {
            throw new IllegalArgumentException("coalesceAbove must be >= 0 and 0 < window <= maxWindow");
        }
        this.kit = kit;
        this.store = store;
        this.scheduler = scheduler;
        this.coalesceAbove = coalesceAbove;
        this.window = window;
        this.maxWindow = maxWindow;
    }

    /**
     * Takes the arrival or departure of a user that the store has already recorded: true when the room is large
     * enough for a diff, or has a diff to come (it is then announced at the end of the room's window), false when
     * the caller should announce it alone, as in a small room. A room with a diff to come takes every change until
     * that diff is out, so that no user's own event can be overtaken by an older diff.
     */
    public boolean offer(String roomId, String userId) {
        int online = rooms.containsKey(roomId) ? coalesceAbove + 1 : store.size(roomId);
        if (online <= coalesceAbove) {
            return false;
        }
        while (true) {
            Pending pending = rooms.computeIfAbsent(roomId, id -> new Pending());
            boolean schedule;
            synchronized (pending) {
                if (pending.retired) {
                    continue; // its last flush just ended; the map holds (or will hold) a fresh one
                }
                pending.users.add(userId);
                schedule = !pending.scheduled;
                pending.scheduled = true;
            }
            if (schedule) {
                schedule(roomId, pending, online);
            }
            return true;
        }
    }

    /** The room's window for {@code online} users. */
    Duration windowFor(int online) {
        long windows = Math.max(1, online / Math.max(1, coalesceAbove));
        Duration scaled = window.multipliedBy(windows);
        return scaled.compareTo(maxWindow) > 0 ? maxWindow : scaled;
    }

    private void schedule(String roomId, Pending pending, int online) {
        try {
            scheduler.schedule(() -> flush(roomId, pending), scheduler.getClock().instant().plus(windowFor(online)));
        }
        catch (RuntimeException ex) {
            // the scheduler is shutting down with the application: nobody is left to tell
            log.debug("Presence diff of room {} not scheduled", roomId, ex);
            retire(roomId, pending);
        }
    }

    /**
     * Publishes the marked users' state as read now, and re-reads the users of the previous diff: on a cluster
     * another node may have published a newer state of one of them before this node's older diff went out, so a
     * diff is confirmed one window later and corrected when the store says otherwise. A room is forgotten when a
     * window ends with nothing marked and nothing to correct.
     */
    private void flush(String roomId, Pending pending) {
        Set<String> marked;
        synchronized (pending) {
            marked = pending.users;
            pending.users = new HashSet<>();
        }
        int online = coalesceAbove + 1;
        try {
            Map<String, String> present = store.present(roomId);
            online = present.size();
            Map<String, String> diff = new TreeMap<>();
            marked.forEach(userId -> diff.put(userId, present.get(userId)));
            pending.unconfirmed.forEach((userId, said) -> {
                if (!marked.contains(userId) && !Objects.equals(said, present.get(userId))) {
                    diff.put(userId, present.get(userId));
                }
            });
            if (!diff.isEmpty()) {
                publish(roomId, diff);
            }
            pending.unconfirmed = diff;
        }
        catch (RuntimeException ex) {
            log.warn("Could not publish the presence diff of room {}: {}", roomId, ex.getMessage());
            synchronized (pending) {
                pending.users.addAll(marked); // again at the end of the next window
            }
        }
        synchronized (pending) {
            if (pending.users.isEmpty() && pending.unconfirmed.isEmpty()) {
                pending.retired = true;
                rooms.remove(roomId, pending);
                return;
            }
        }
        schedule(roomId, pending, online);
    }

    /** {@code diff} maps user ids to their status, or to {@code null} for users who are gone. */
    private void publish(String roomId, Map<String, String> diff) {
        List<Map<String, Object>> online = new ArrayList<>();
        List<String> offline = new ArrayList<>();
        diff.forEach((userId, status) -> {
            if (status == null) {
                offline.add(userId);
            }
            else {
                online.add(Map.of("user_id", userId, "status", status));
            }
        });
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("kind", KIND);
        data.put("online", online);
        data.put("offline", offline);
        kit.realtime().publishToRoom(roomId, EphemeralEvent.of(roomId, EphemeralEventType.CUSTOM, "", data));
    }

    private void retire(String roomId, Pending pending) {
        synchronized (pending) {
            pending.retired = true;
            rooms.remove(roomId, pending);
        }
    }

    /** Rooms with a flush to come, for tests: none once every window has closed. */
    int pendingRooms() {
        return rooms.size();
    }

    /** The users of one room marked since its last flush; guarded by itself. */
    private static final class Pending {

        private Set<String> users = new HashSet<>();
        /** The previous diff (user id to status, null when gone), checked by the next flush; flushes only. */
        private Map<String, String> unconfirmed = Map.of();
        private boolean scheduled;
        private boolean retired;
    }
}
