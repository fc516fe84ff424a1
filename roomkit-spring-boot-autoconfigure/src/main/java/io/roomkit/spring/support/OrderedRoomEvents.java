package io.roomkit.spring.support;

import io.roomkit.model.EventQuery;
import io.roomkit.model.RoomEvent;
import io.roomkit.store.ConversationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Delivers the persistent events of the rooms a node follows to one consumer, each event once and in index
 * order, whatever order and however often they arrive (this node's own writes, a cluster transport that may
 * reorder or lose them). An event whose index is past the next one expected is held; if the missing ones do not
 * arrive within the gap wait, they are read from the {@link ConversationStore} (events after the last delivered
 * index), which holds every committed event of the room without gaps.
 * <p>
 * A room is followed from an anchor: {@link #open} reads the room's last stored index and delivers what comes
 * after it; with {@code followUnknownRooms}, a room first heard of through an event is anchored at the lowest
 * index that arrived within the gap wait. Events arriving before the anchor is known are held.
 * <p>
 * No lock is held while the consumer runs: a room's events are handed to it by one task at a time on
 * {@code executor}, which the consumer may block (it then delays only later deliveries). Store reads run on
 * {@code executor} too, never on the thread that offers an event.
 */
public final class OrderedRoomEvents {

    /** Largest page read from the store at once to fill a gap. */
    static final int PAGE = EventQuery.MAX_LIMIT;

    private static final Logger log = LoggerFactory.getLogger(OrderedRoomEvents.class);
    private static final long UNKNOWN = -1;

    private final String name;
    private final ConversationStore store;
    private final Consumer<RoomEvent> consumer;
    private final Duration gapWait;
    private final boolean followUnknownRooms;
    private final Executor executor;
    private final ScheduledExecutorService timers;
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();

    /**
     * @param name               for log lines
     * @param store              where gaps are filled from
     * @param consumer           receives each room's events once, in index order
     * @param gapWait            how long a later event is held for the missing ones before the store is asked
     * @param followUnknownRooms whether an event of a room that was not {@linkplain #open opened} starts following it
     * @param executor           runs deliveries and store reads
     * @param timers             schedules gap waits (its tasks only hand work to {@code executor})
     */
    public OrderedRoomEvents(String name, ConversationStore store, Consumer<RoomEvent> consumer, Duration gapWait,
            boolean followUnknownRooms, Executor executor, ScheduledExecutorService timers) {
        this.name = name;
        this.store = store;
        this.consumer = consumer;
        this.gapWait = gapWait;
        this.followUnknownRooms = followUnknownRooms;
        this.executor = executor;
        this.timers = timers;
    }

    /**
     * Follows {@code roomId} from now: reads its last stored index, runs {@code connect} (subscribing the
     * transport), then delivers every event stored after that index (from the store first, then as they arrive).
     * Runs on the executor; a room already followed is left as it is. False when it was already followed.
     */
    public boolean open(String roomId, Runnable connect) {
        Room room = new Room(roomId);
        if (rooms.putIfAbsent(roomId, room) != null) {
            return false;
        }
        executor.execute(() -> anchor(room, connect));
        return true;
    }

    /** Stops following the room; events held for it are dropped. */
    public void close(String roomId) {
        Room room = rooms.remove(roomId);
        if (room != null) {
            synchronized (room) {
                room.closed = true;
                room.held.clear();
            }
        }
    }

    /** Whether the room is followed and its anchor is known, so that every later event will be delivered. */
    public boolean isFollowing(String roomId) {
        Room room = rooms.get(roomId);
        if (room == null) {
            return false;
        }
        synchronized (room) {
            return room.next != UNKNOWN;
        }
    }

    /**
     * Completes once the room's anchor is known (at once for a room not followed), so that a caller who must not
     * miss the next event can wait for it.
     */
    public CompletableFuture<Void> anchored(String roomId) {
        Room room = rooms.get(roomId);
        return room == null ? CompletableFuture.completedFuture(null) : room.anchored;
    }

    /** Takes an event from any source, on any thread; never blocks beyond a short lock and never runs the consumer. */
    public void offer(RoomEvent event) {
        Room room = rooms.get(event.roomId());
        if (room == null) {
            if (!followUnknownRooms) {
                return;
            }
            Room created = new Room(event.roomId());
            room = rooms.putIfAbsent(event.roomId(), created);
            if (room == null) {
                room = created;
                Room toAnchor = created;
                timers.schedule(() -> executor.execute(() -> anchorAtLowestHeld(toAnchor)), gapWait.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
        hold(room, List.of(event));
    }

    /** Checks every followed room against the store (after a transport outage, events may be missing at the end). */
    public void repairAll() {
        rooms.values().forEach(room -> executor.execute(() -> fill(room)));
    }

    private void hold(Room room, List<RoomEvent> events) {
        boolean drain;
        synchronized (room) {
            if (room.closed) {
                return;
            }
            for (RoomEvent event : events) {
                if (room.next == UNKNOWN || event.index() >= room.next) {
                    room.held.putIfAbsent(event.index(), event);
                }
            }
            drain = room.next != UNKNOWN && !room.draining && !room.held.isEmpty();
            if (drain) {
                room.draining = true;
            }
        }
        if (drain) {
            executor.execute(() -> drain(room));
        }
    }

    /** One task per room at a time hands the contiguous events to the consumer, outside the room's lock. */
    private void drain(Room room) {
        while (true) {
            List<RoomEvent> ready = new ArrayList<>();
            synchronized (room) {
                while (!room.closed && !room.held.isEmpty() && room.held.firstKey() == room.next) {
                    ready.add(room.held.pollFirstEntry().getValue());
                    room.next++;
                }
                if (ready.isEmpty()) {
                    room.draining = false;
                    if (!room.closed && !room.held.isEmpty() && !room.fillScheduled) {
                        room.fillScheduled = true;
                        timers.schedule(() -> executor.execute(() -> fill(room)), gapWait.toMillis(),
                                TimeUnit.MILLISECONDS);
                    }
                    return;
                }
            }
            for (RoomEvent event : ready) {
                try {
                    consumer.accept(event);
                }
                catch (RuntimeException ex) {
                    log.warn("{}: delivering event {} of room {} failed", name, event.id(), event.roomId(), ex);
                }
            }
        }
    }

    private void anchor(Room room, Runnable connect) {
        long last;
        try {
            List<RoomEvent> latest = store.listEvents(room.roomId, EventQuery.latest(1));
            last = latest.isEmpty() ? -1 : latest.get(latest.size() - 1).index();
        }
        catch (RuntimeException ex) {
            log.warn("{}: cannot read the last index of room {} ({}); retrying in {}", name, room.roomId,
                    ex.getMessage(), gapWait);
            timers.schedule(() -> executor.execute(() -> anchor(room, connect)), gapWait.toMillis(),
                    TimeUnit.MILLISECONDS);
            return;
        }
        try {
            connect.run();
        }
        catch (RuntimeException ex) {
            log.warn("{}: connecting room {} failed; its events are read from the store when later ones arrive",
                    name, room.roomId, ex);
        }
        setAnchor(room, last + 1);
        // whatever was stored between the index read and the transport's subscription
        fill(room);
    }

    private void anchorAtLowestHeld(Room room) {
        long lowest;
        synchronized (room) {
            if (room.closed || room.next != UNKNOWN || room.held.isEmpty()) {
                return;
            }
            lowest = room.held.firstKey();
        }
        setAnchor(room, lowest);
    }

    private void setAnchor(Room room, long next) {
        synchronized (room) {
            if (room.closed || room.next != UNKNOWN) {
                return;
            }
            room.next = next;
            room.held.headMap(next).clear();
        }
        room.anchored.complete(null);
        hold(room, List.of());
    }

    /** Reads what follows the last delivered index from the store, up to the lowest held index (or the end). */
    private void fill(Room room) {
        long after;
        long until;
        synchronized (room) {
            room.fillScheduled = false;
            if (room.closed || room.next == UNKNOWN) {
                return;
            }
            after = room.next - 1;
            until = room.held.isEmpty() ? Long.MAX_VALUE : room.held.firstKey();
        }
        if (until == after + 1) {
            return;
        }
        try {
            List<RoomEvent> page;
            do {
                page = store.listEvents(room.roomId, EventQuery.after(after, PAGE));
                if (!page.isEmpty()) {
                    log.debug("{}: read events {}..{} of room {} from the store", name, page.get(0).index(),
                            page.get(page.size() - 1).index(), room.roomId);
                    hold(room, page);
                    after = page.get(page.size() - 1).index();
                }
            }
            while (page.size() == PAGE && after + 1 < until);
        }
        catch (RuntimeException ex) {
            log.warn("{}: cannot read the missing events of room {} from the store ({}); retrying in {}", name,
                    room.roomId, ex.getMessage(), gapWait);
            synchronized (room) {
                if (room.fillScheduled) {
                    return;
                }
                room.fillScheduled = true;
            }
            timers.schedule(() -> executor.execute(() -> fill(room)), gapWait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** What one followed room is waiting for. Guarded by itself. */
    private static final class Room {

        private final String roomId;
        private final TreeMap<Long, RoomEvent> held = new TreeMap<>();
        private final CompletableFuture<Void> anchored = new CompletableFuture<>();
        private long next = UNKNOWN;
        private boolean draining;
        private boolean fillScheduled;
        private boolean closed;

        private Room(String roomId) {
            this.roomId = roomId;
        }
    }
}
