package io.roomkit.spring.stomp;

import io.roomkit.RoomKitException;
import io.roomkit.concurrent.DaemonThreads;
import io.roomkit.concurrent.ElasticExecutor;
import io.roomkit.hook.HookResult;
import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;
import io.roomkit.spring.listener.ClusterEventFeed;
import io.roomkit.spring.listener.RoomPatterns;
import io.roomkit.spring.redis.RedisRealtimeBackend;
import io.roomkit.spring.redis.PythonCompatibleJson;
import io.roomkit.spring.redis.RedisAvailability;
import io.roomkit.spring.support.FollowedRooms;
import io.roomkit.spring.support.OrderedRoomEvents;
import io.roomkit.store.ConversationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.simp.SimpMessageSendingOperations;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Persistent events across the nodes of the Redis topology ({@code roomkit.realtime.type=redis}). Replaces the
 * direct topic broadcast of {@link StompEventBroadcaster}: each event this node commits is published on
 * {@code <prefix>:events:room:<roomId>} (the JSON of {@code RoomEvent.toMap()}) and handed to this node's own
 * ordered delivery; every node delivers the events of the rooms its STOMP sessions subscribe to
 * ({@code /topic/rooms.<roomId>.events}) to those subscribers once each, in index order, filling gaps (a lost
 * or late pub/sub message) from the store ({@link OrderedRoomEvents}).
 * <p>
 * The node subscribes a room's Redis channel while one of its STOMP sessions holds the room's events topic (the
 * interceptor's holder count) and releases it with the last; the Redis subscriptions are the backend's, shared
 * and released as for ephemeral events. Publishing goes through the backend's publisher thread and
 * {@link RedisAvailability}, so a slow or absent Redis never blocks a writer: the event is logged as not sent,
 * health goes DOWN, and when Redis answers again every followed room is checked against the store.
 * <p>
 * It is also the {@link ClusterEventFeed} of {@code @RoomEventListener(scope = NODE)} persistent listeners.
 */
public class RedisEventRelay extends StompEventBroadcaster implements ClusterEventFeed, SmartLifecycle, DisposableBean {

    /** Logical channel (under the backend's prefix) of a room's persistent events. */
    public static String eventsChannel(String roomId) {
        return "events:room:" + roomId;
    }

    private static final Logger log = LoggerFactory.getLogger(RedisEventRelay.class);
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private final RedisRealtimeBackend backend;
    private final ObjectProvider<ConversationStore> store;
    private final SimpMessageSendingOperations broker;
    private final ObjectProvider<RoomKitStompInterceptor> interceptor;
    private final Optional<RedisAvailability> availability;
    private final Duration gapWait;
    private final JsonMapper json = PythonCompatibleJson.mapper();
    private final ElasticExecutor executor = new ElasticExecutor("roomkit-events");
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("roomkit-events-timer-"));
    private final Map<String, Link> links = new HashMap<>();
    private final FollowedRooms followed;
    private volatile OrderedRoomEvents topics;
    private volatile Predicate<String> publishFilter = payload -> true;
    private volatile boolean running;

    public RedisEventRelay(RedisRealtimeBackend backend, ObjectProvider<ConversationStore> store,
            SimpMessageSendingOperations broker, ObjectProvider<RoomKitStompInterceptor> interceptor,
            Optional<RedisAvailability> availability, Duration gapWait) {
        super(broker);
        this.backend = backend;
        this.store = store;
        this.broker = broker;
        this.interceptor = interceptor;
        this.availability = availability;
        this.gapWait = gapWait;
        this.followed = new FollowedRooms("Redis events -> listener", store::getObject, gapWait, executor, timers);
        availability.ifPresent(redis -> redis.onRecovery(this::repairAll));
    }

    @Override
    public void start() {
        topics = new OrderedRoomEvents("Redis events -> STOMP", store.getObject(), this::toTopic, gapWait, false,
                executor, timers);
        running = true;
        RoomKitStompInterceptor guard = interceptor.getIfAvailable();
        if (guard != null) {
            guard.watchDestinations(this::holdersChanged);
        }
    }

    @Override
    public void stop() {
        running = false;
        List<String> toRelease = new ArrayList<>();
        synchronized (links) {
            links.values().forEach(link -> {
                link.closed = true;
                if (link.subscription != null) {
                    toRelease.add(link.subscription);
                }
            });
            links.clear();
        }
        toRelease.forEach(backend::unsubscribe);
        followed.all().forEach(follower -> unfollow(follower.handle()));
    }

    /** The threads go with the context; a stopped context may start again. */
    @Override
    public void destroy() {
        timers.shutdownNow();
        executor.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the listener registry and the web server, so that the first subscriber is already watched. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1;
    }

    /**
     * On the writer's thread, in the room's index order: hands the event to Redis's publisher thread and to this
     * node's ordered deliveries. Never blocks.
     */
    @Override
    public HookResult handle(RoomEvent event, RoomContext context) {
        String payload = json.writeValueAsString(event.toMap());
        if (publishFilter.test(payload)) {
            backend.publishPayload(eventsChannel(event.roomId()), payload, this::guarded);
        }
        OrderedRoomEvents current = topics;
        if (current != null) {
            current.offer(event);
        }
        followed.offer(event);
        return HookResult.allow();
    }

    private void guarded(Runnable send) {
        if (availability.isEmpty()) {
            send.run();
            return;
        }
        if (!availability.get().isAvailable()) {
            throw new IllegalStateException("Redis is marked unreachable");
        }
        availability.get().run("publish a persistent event", send);
    }

    /** From the interceptor: subscribe or release the room's Redis channel to match the current holders. */
    private void holdersChanged(String destination) {
        StompDestinations.parse(destination).filter(parsed -> parsed.topic() && "events".equals(parsed.action()))
                .ifPresent(parsed -> reconcile(parsed.roomId()));
    }

    /**
     * The Redis link and the ordered delivery of a room are opened and closed together under {@code links}
     * (neither calls application code, and the Redis calls happen outside it), and the holder count is read
     * under it too, so that two sessions' interleaved changes end in the state their holders ask for.
     */
    private void reconcile(String roomId) {
        RoomKitStompInterceptor guard = interceptor.getIfAvailable();
        String release = null;
        synchronized (links) {
            // read under the lock: whoever reconciles last sees the holders' final count
            boolean wanted = running && guard != null && guard.isHeld(StompDestinations.eventsTopic(roomId));
            Link link = links.get(roomId);
            if (wanted && link == null) {
                Link opened = new Link(roomId);
                links.put(roomId, opened);
                topics.open(roomId, () -> connect(opened));
            }
            else if (!wanted && link != null) {
                links.remove(roomId);
                link.closed = true;
                release = link.subscription;
                topics.close(roomId);
            }
        }
        if (release != null) {
            backend.unsubscribe(release);
        }
    }

    /** Runs on the delivery executor: waits for Redis's confirmation there, never on a STOMP thread. */
    private void connect(Link link) {
        String subscription = backend.subscribePayloads(eventsChannel(link.roomId), payload -> receive(payload,
                topics));
        boolean release;
        synchronized (links) {
            release = link.closed;
            if (!release) {
                link.subscription = subscription;
            }
        }
        if (release) {
            backend.unsubscribe(subscription);
        }
    }

    private void receive(String payload, OrderedRoomEvents into) {
        RoomEvent event;
        try {
            event = RoomEvent.fromMap(json.readValue(payload, MAP));
        }
        catch (JacksonException | RoomKitException ex) {
            log.warn("Dropped a malformed persistent event from Redis: {}", ex.getMessage());
            return;
        }
        into.offer(event);
    }

    private void toTopic(RoomEvent event) {
        try {
            broker.convertAndSend(StompDestinations.eventsTopic(event.roomId()), (Object) event.toMap());
        }
        catch (MessagingException ex) {
            log.warn("Could not hand event {} of room {} to the broker; clients catch up with after_index",
                    event.id(), event.roomId(), ex);
        }
    }

    /** Checks every followed room against the store: events lost while Redis was away are delivered now. */
    public void repairAll() {
        OrderedRoomEvents current = topics;
        if (current != null) {
            current.repairAll();
        }
        followed.repairAll();
    }

    /** Whether this node follows the room's events for its STOMP subscribers, anchored and subscribed. */
    public boolean isFollowing(String roomId) {
        OrderedRoomEvents current = topics;
        synchronized (links) {
            Link link = links.get(roomId);
            if (link == null || link.subscription == null) {
                return false;
            }
        }
        return current != null && current.isFollowing(roomId);
    }

    /**
     * Fault injection, for tests: a payload (the event's JSON) the filter refuses is not published on Redis, as
     * if pub/sub had lost it.
     */
    public void publishFilter(Predicate<String> filter) {
        this.publishFilter = filter;
    }

    @Override
    public String follow(RoomPatterns rooms, Consumer<RoomEvent> listener) {
        return followed.follow(rooms, listener, (pattern, events) -> backend.subscribePayloads(
                eventsChannel(pattern), payload -> receive(payload, events))).handle();
    }

    @Override
    public boolean unfollow(String handle) {
        FollowedRooms.Follower follower = followed.unfollow(handle);
        if (follower == null) {
            return false;
        }
        follower.subscriptions().forEach(backend::unsubscribe);
        return true;
    }

    /** A room's Redis subscription for STOMP subscribers; guarded by {@code links}. */
    private static final class Link {

        private final String roomId;
        private String subscription;
        private boolean closed;

        private Link(String roomId) {
            this.roomId = roomId;
        }
    }

}
