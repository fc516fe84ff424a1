package io.roomkit.spring.support;

import io.roomkit.model.RandomIds;
import io.roomkit.model.RoomEvent;
import io.roomkit.realtime.ChannelPattern;
import io.roomkit.spring.listener.RoomPatterns;
import io.roomkit.store.ConversationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The followers of a {@link io.roomkit.spring.listener.ClusterEventFeed}: each gets every persistent event of its
 * rooms once, in index order per room ({@link OrderedRoomEvents}), from whatever the transport and this node's
 * own writes offer. A room named by id is followed from its last stored index when the follow starts; a room
 * matched by a pattern from the first of its events this node hears.
 */
public final class FollowedRooms {

    /** How long {@link #follow} waits for the rooms it names to be anchored. */
    static final Duration ANCHOR_WAIT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(FollowedRooms.class);

    private final String name;
    private final Supplier<ConversationStore> store;
    private final Duration gapWait;
    private final Executor executor;
    private final ScheduledExecutorService timers;
    private final Map<String, Follower> followers = new ConcurrentHashMap<>();

    public FollowedRooms(String name, Supplier<ConversationStore> store, Duration gapWait, Executor executor,
            ScheduledExecutorService timers) {
        this.name = name;
        this.store = store;
        this.gapWait = gapWait;
        this.executor = executor;
        this.timers = timers;
    }

    /** A follow: its rooms, its ordered deliveries and the transport subscriptions its owner made for it. */
    public record Follower(String handle, RoomPatterns rooms, OrderedRoomEvents events, List<String> subscriptions) {

        void offer(RoomEvent event) {
            if (rooms.matches(event.roomId())) {
                events.offer(event);
            }
        }
    }

    /**
     * Starts a follow; {@code subscribe} is called (on this thread) for each of the rooms' patterns and returns a
     * transport subscription kept on the follower, then the rooms named by id are anchored (waited for, bounded).
     */
    public Follower follow(RoomPatterns rooms, Consumer<RoomEvent> listener,
            BiFunction<String, OrderedRoomEvents, String> subscribe) {
        OrderedRoomEvents events = new OrderedRoomEvents(name, store.get(), event -> {
            if (rooms.matches(event.roomId())) {
                listener.accept(event);
            }
        }, gapWait, true, executor, timers);
        Follower follower = new Follower(RandomIds.next(), rooms, events, new CopyOnWriteArrayList<>());
        followers.put(follower.handle(), follower);
        for (String pattern : rooms.patterns()) {
            String subscription = subscribe.apply(pattern, events);
            if (subscription != null) {
                follower.subscriptions().add(subscription);
            }
            if (!ChannelPattern.isPattern(pattern)) {
                events.open(pattern, () -> {
                });
            }
        }
        for (String pattern : rooms.patterns()) {
            try {
                events.anchored(pattern).get(ANCHOR_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            catch (ExecutionException | TimeoutException ex) {
                log.warn("{}: room {} is followed from its first event: its last index could not be read in time",
                        name, pattern);
            }
        }
        return follower;
    }

    /** Ends a follow; null when the handle is unknown. The caller releases the follower's subscriptions. */
    public Follower unfollow(String handle) {
        return followers.remove(handle);
    }

    /** An event this node stored or heard: to every follower whose rooms match. */
    public void offer(RoomEvent event) {
        followers.values().forEach(follower -> follower.offer(event));
    }

    /** Checks every followed room against the store. */
    public void repairAll() {
        followers.values().forEach(follower -> follower.events().repairAll());
    }

    /** Whether anyone follows. */
    public boolean isEmpty() {
        return followers.isEmpty();
    }

    /** The current follows. */
    public List<Follower> all() {
        return List.copyOf(followers.values());
    }
}
