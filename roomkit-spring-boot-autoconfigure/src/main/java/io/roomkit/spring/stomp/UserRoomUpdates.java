package io.roomkit.spring.stomp;

import io.roomkit.RoomKit;
import io.roomkit.hook.Hook;
import io.roomkit.hook.HookTrigger;
import io.roomkit.model.EventType;
import io.roomkit.model.Participant;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.SystemContent;
import io.roomkit.spring.listener.ClusterEventFeed;
import io.roomkit.spring.listener.RoomPatterns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.simp.SimpMessageSendingOperations;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;
import org.springframework.web.socket.messaging.SessionSubscribeEvent;
import org.springframework.web.socket.messaging.SessionUnsubscribeEvent;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The per-user room updates of {@code /user/queue/rooms}: a user who subscribes gets, for every room they are an
 * active participant of, {@code {room_id, unread, mentions, latest_index}} at once and again whenever those change
 * (a message, a deletion, their own read marker, joining), and {@code {room_id, removed: true}} when they leave or
 * are removed or banned. A client keeps its room list and badges right without subscribing to every room.
 * <p>
 * Changes are gathered for one window ({@code roomkit.websocket.room-updates}) and then read from the store on
 * this component's own thread, for the users subscribed on this node only; an update equal to the last one sent
 * to that user for that room is not sent again. On a cluster the node learns of every room's events from the
 * {@link ClusterEventFeed}; on a single node from an {@code AFTER_BROADCAST} observer.
 */
public class UserRoomUpdates implements SmartLifecycle {

    /** The user destination, as the client subscribes to it. */
    public static final String USER_DESTINATION = "/user/queue/rooms";
    /** The destination given to {@link SimpMessageSendingOperations#convertAndSendToUser}. */
    public static final String DESTINATION = "/queue/rooms";

    private static final Logger log = LoggerFactory.getLogger(UserRoomUpdates.class);
    private static final String HOOK_NAME = "roomkit-user-room-updates";
    private static final Set<String> LEAVING = Set.of(SystemContent.PARTICIPANT_LEFT,
            SystemContent.PARTICIPANT_REMOVED, SystemContent.PARTICIPANT_BANNED);

    private final RoomKit kit;
    private final SimpMessageSendingOperations messaging;
    private final Duration window;
    private final Supplier<ClusterEventFeed> feed;

    /** Subscription ids to {@link #USER_DESTINATION} by session, with the session's user. */
    private final Map<String, Map<String, String>> subscriptionsBySession = new ConcurrentHashMap<>();
    /** How many subscriptions each user holds on this node. */
    private final Map<String, Integer> holders = new ConcurrentHashMap<>();

    private final Set<String> dirtyRooms = ConcurrentHashMap.newKeySet();
    private final Set<UserRoom> dirtyUserRooms = ConcurrentHashMap.newKeySet();
    private final Set<UserRoom> removals = ConcurrentHashMap.newKeySet();
    private final Set<String> snapshots = ConcurrentHashMap.newKeySet();
    /** What was last sent per user and room: written by the flush thread, forgotten when the user goes. */
    private final Map<UserRoom, Map<String, Object>> lastSent = new ConcurrentHashMap<>();

    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private ScheduledExecutorService flusher;
    private String followHandle;
    private volatile boolean running;

    /**
     * @param feed the cluster's persistent events, or a supplier of {@code null} on a single node
     */
    public UserRoomUpdates(RoomKit kit, SimpMessageSendingOperations messaging, Duration window,
            Supplier<ClusterEventFeed> feed) {
        this.kit = kit;
        this.messaging = messaging;
        this.window = window;
        this.feed = feed;
    }

    // ---- subscriptions ------------------------------------------------------------------------------

    @EventListener
    public void onSubscribe(SessionSubscribeEvent event) {
        StompHeaderAccessor accessor = StompHeaderAccessor.wrap(event.getMessage());
        if (!USER_DESTINATION.equals(accessor.getDestination()) || event.getUser() == null) {
            return;
        }
        String user = event.getUser().getName();
        subscriptionsBySession.computeIfAbsent(accessor.getSessionId(), session -> new ConcurrentHashMap<>())
                .put(accessor.getSubscriptionId(), user);
        holders.merge(user, 1, Integer::sum);
        snapshots.add(user);
        scheduleFlush();
    }

    @EventListener
    public void onUnsubscribe(SessionUnsubscribeEvent event) {
        StompHeaderAccessor accessor = StompHeaderAccessor.wrap(event.getMessage());
        Map<String, String> subscriptions = subscriptionsBySession.get(accessor.getSessionId());
        String user = subscriptions == null ? null : subscriptions.remove(accessor.getSubscriptionId());
        if (user != null) {
            release(user);
        }
    }

    @EventListener
    public void onDisconnect(SessionDisconnectEvent event) {
        Map<String, String> subscriptions = subscriptionsBySession.remove(event.getSessionId());
        if (subscriptions != null) {
            subscriptions.values().forEach(this::release);
        }
    }

    private void release(String user) {
        Integer left = holders.computeIfPresent(user, (name, count) -> count > 1 ? count - 1 : null);
        if (left == null) {
            lastSent.keySet().removeIf(key -> key.user().equals(user));
        }
    }

    /** Whether a session of this node subscribes to {@code user}'s room updates. */
    public boolean isWatched(String user) {
        return holders.containsKey(user);
    }

    // ---- what changes the counts --------------------------------------------------------------------

    /** A persistent event was stored in its room (on this node or, on a cluster, any node). */
    public void eventStored(RoomEvent event) {
        if (holders.isEmpty()) {
            return;
        }
        if (event.type() == EventType.MESSAGE || event.type() == EventType.DELETE) {
            dirtyRooms.add(event.roomId());
            scheduleFlush();
        }
        else if (event.type() == EventType.SYSTEM && event.content() instanceof SystemContent system
                && system.data().get("user_id") instanceof String user && isWatched(user)) {
            if (SystemContent.PARTICIPANT_JOINED.equals(system.code())) {
                dirtyUserRooms.add(new UserRoom(user, event.roomId()));
                scheduleFlush();
            }
            else if (LEAVING.contains(system.code())) {
                removals.add(new UserRoom(user, event.roomId()));
                scheduleFlush();
            }
        }
    }

    /** {@code user}'s read marker in the room moved (read on this node). */
    public void readMoved(String user, String roomId) {
        if (isWatched(user)) {
            dirtyUserRooms.add(new UserRoom(user, roomId));
            scheduleFlush();
        }
    }

    // ---- sending --------------------------------------------------------------------------------------

    private void scheduleFlush() {
        ScheduledExecutorService current = flusher;
        if (current != null && running && flushScheduled.compareAndSet(false, true)) {
            try {
                current.schedule(this::flush, window.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (RuntimeException stopped) {
                flushScheduled.set(false);
            }
        }
    }

    /** Reads and sends what the window gathered; runs on the flusher thread only. */
    void flush() {
        flushScheduled.set(false);
        for (String user : drain(snapshots)) {
            safely(() -> kit.roomsOf(user).forEach(room -> safely(() -> send(new UserRoom(user, room), true))));
        }
        drain(removals).forEach(key -> safely(() -> sendRemoved(key)));
        for (String roomId : drain(dirtyRooms)) {
            safely(() -> {
                Long latestIndex = latestIndex(roomId); // one read for every member of the room
                for (Participant member : kit.store().listParticipants(roomId)) {
                    if (member.isActive() && isWatched(member.id())) {
                        safely(() -> sendCounts(new UserRoom(member.id(), roomId), latestIndex, false));
                    }
                }
            });
        }
        drain(dirtyUserRooms).forEach(key -> safely(() -> send(key, false)));
    }

    /** A room that went away or a store that did not answer costs its own updates only; the next change retries. */
    private static void safely(Runnable work) {
        try {
            work.run();
        }
        catch (RuntimeException ex) {
            log.warn("Room updates could not be read: {}", ex.toString());
        }
    }

    /** The user's counts in the room, if the user is still an active member of it. */
    private void send(UserRoom key, boolean always) {
        if (!isWatched(key.user()) || kit.store().getParticipant(key.roomId(), key.user())
                .filter(Participant::isActive).isEmpty()) {
            return;
        }
        sendCounts(key, latestIndex(key.roomId()), always);
    }

    /**
     * The counts of a user known to be an active member, read from the store directly: the room was just read
     * through its membership, so the facade's existence checks would only read it again.
     */
    private void sendCounts(UserRoom key, Long latestIndex, boolean always) {
        String channelId = UserChannel.idOf(key.user());
        Map<String, Object> update = new LinkedHashMap<>();
        update.put("room_id", key.roomId());
        update.put("unread", kit.store().countUnread(key.roomId(), channelId));
        update.put("mentions", kit.store().countUnreadMentions(key.roomId(), channelId, key.user()));
        update.put("latest_index", latestIndex);
        if (always || !update.equals(lastSent.get(key))) {
            if (isWatched(key.user())) { // a user who went meanwhile leaves nothing behind
                lastSent.put(key, update);
            }
            messaging.convertAndSendToUser(key.user(), DESTINATION, update);
        }
    }

    private Long latestIndex(String roomId) {
        return kit.store().latestIndex(roomId).stream().boxed().findFirst().orElse(null);
    }

    private void sendRemoved(UserRoom key) {
        lastSent.remove(key);
        if (isWatched(key.user())) {
            messaging.convertAndSendToUser(key.user(), DESTINATION, Map.of("room_id", key.roomId(), "removed", true));
        }
    }

    private static <T> List<T> drain(Set<T> pending) {
        List<T> taken = List.copyOf(pending);
        taken.forEach(pending::remove);
        return taken;
    }

    // ---- lifecycle ----------------------------------------------------------------------------------

    @Override
    public void start() {
        flusher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "roomkit-room-updates");
            thread.setDaemon(true);
            return thread;
        });
        ClusterEventFeed cluster = feed.get();
        if (cluster != null) {
            followHandle = cluster.follow(new RoomPatterns(List.of("*")), this::eventStored);
        }
        else {
            kit.addHook(Hook.observer(HookTrigger.AFTER_BROADCAST, HOOK_NAME, (event, context) -> eventStored(event)));
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        ClusterEventFeed cluster = feed.get();
        if (followHandle != null && cluster != null) {
            cluster.unfollow(followHandle);
        }
        else {
            kit.removeHook(HOOK_NAME);
        }
        flusher.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** A user's view of one room. */
    private record UserRoom(String user, String roomId) {
    }
}
