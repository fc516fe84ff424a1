package io.roomkit.spring.listener;

import io.roomkit.RoomKit;
import io.roomkit.hook.Hook;
import io.roomkit.hook.HookTrigger;
import io.roomkit.model.RoomEvent;
import io.roomkit.realtime.EphemeralEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds every {@link RoomEventListener} endpoint and connects them to the {@link RoomKit}: subscribed when the
 * context starts (or, for beans created later, when they register), unsubscribed when it stops. Ephemeral
 * listeners subscribe to the realtime backend, one subscription per room or pattern; persistent listeners are
 * {@code AFTER_BROADCAST} hooks (they fire on the node that stored the event), except
 * {@link ListenerScope#NODE} ones on a cluster node, which follow the {@link ClusterEventFeed}.
 */
public class RoomEventListenerRegistry implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RoomEventListenerRegistry.class);
    private static final String FEED_PREFIX = "feed:";

    private final ObjectProvider<RoomKit> kitProvider;
    private final ObjectProvider<ClusterEventFeed> feed;
    private final Map<String, RoomListenerEndpoint> endpoints = new ConcurrentHashMap<>();
    private final Map<String, List<String>> subscriptions = new ConcurrentHashMap<>();
    private volatile boolean running;

    public RoomEventListenerRegistry(ObjectProvider<RoomKit> kitProvider) {
        this(kitProvider, null);
    }

    /**
     * With {@code feed} (a cluster node's view of every node's persistent events), {@link ListenerScope#NODE}
     * persistent listeners receive the events stored on other nodes too; without one (a single node) they are
     * hooks like the others.
     */
    public RoomEventListenerRegistry(ObjectProvider<RoomKit> kitProvider, ObjectProvider<ClusterEventFeed> feed) {
        this.kitProvider = kitProvider;
        this.feed = feed;
    }

    /** Adds an endpoint; it is subscribed at once if the registry is running. */
    public synchronized void register(RoomListenerEndpoint endpoint) {
        if (endpoints.putIfAbsent(endpoint.id(), endpoint) != null) {
            throw new IllegalStateException("Two @RoomEventListener methods have the id '" + endpoint.id()
                    + "'; give them distinct ids");
        }
        if (running) {
            subscribe(endpoint);
        }
    }

    public Collection<RoomListenerEndpoint> endpoints() {
        return List.copyOf(endpoints.values());
    }

    public Optional<RoomListenerEndpoint> endpoint(String id) {
        return Optional.ofNullable(endpoints.get(id));
    }

    /** Whether the endpoint currently has subscriptions. */
    public boolean isSubscribed(String id) {
        return subscriptions.containsKey(id);
    }

    @Override
    public synchronized void start() {
        endpoints.values().forEach(this::subscribe);
        running = true;
    }

    @Override
    public synchronized void stop() {
        running = false;
        RoomKit kit = kitProvider.getIfAvailable();
        subscriptions.forEach((id, handles) -> unsubscribe(kit, endpoints.get(id), handles));
        subscriptions.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void subscribe(RoomListenerEndpoint endpoint) {
        RoomKit kit = kitProvider.getObject();
        List<String> handles = new ArrayList<>();
        if (endpoint.kind() == RoomListenerEndpoint.Kind.EPHEMERAL) {
            for (String room : endpoint.rooms().patterns()) {
                handles.add(kit.subscribeRoom(room, event -> deliver(endpoint, event)));
            }
        }
        else if (endpoint.everyNode() && clusterFeed() != null) {
            handles.add(FEED_PREFIX + clusterFeed().follow(endpoint.rooms(), event -> deliver(endpoint, event)));
        }
        else {
            String hookName = hookName(endpoint);
            kit.addHook(Hook.observer(HookTrigger.AFTER_BROADCAST, hookName, (event, context) -> deliver(endpoint,
                    event)));
            handles.add(hookName);
        }
        subscriptions.put(endpoint.id(), handles);
        log.debug("@RoomEventListener {} subscribed to {}", endpoint.id(), endpoint.rooms().patterns());
    }

    private static void deliver(RoomListenerEndpoint endpoint, EphemeralEvent event) {
        if (endpoint.accepts(event)) {
            endpoint.invoke(event);
        }
    }

    private static void deliver(RoomListenerEndpoint endpoint, RoomEvent event) {
        if (endpoint.accepts(event)) {
            endpoint.invoke(event);
        }
    }

    private ClusterEventFeed clusterFeed() {
        return feed == null ? null : feed.getIfAvailable();
    }

    private void unsubscribe(RoomKit kit, RoomListenerEndpoint endpoint, List<String> handles) {
        for (String handle : handles) {
            if (handle.startsWith(FEED_PREFIX)) {
                ClusterEventFeed current = clusterFeed();
                if (current != null) {
                    current.unfollow(handle.substring(FEED_PREFIX.length()));
                }
            }
            else if (kit == null) {
                continue;
            }
            else if (endpoint.kind() == RoomListenerEndpoint.Kind.EPHEMERAL) {
                kit.unsubscribeRoom(handle);
            }
            else {
                kit.removeHook(handle);
            }
        }
    }

    private static String hookName(RoomListenerEndpoint endpoint) {
        return "@RoomEventListener:" + endpoint.id();
    }
}
