package io.roomkit.spring.stomp;

import io.roomkit.RoomKitException;
import io.roomkit.concurrent.DaemonThreads;
import io.roomkit.concurrent.ElasticExecutor;
import io.roomkit.hook.Hook;
import io.roomkit.hook.HookResult;
import io.roomkit.hook.HookTrigger;
import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;
import io.roomkit.pipeline.NonBlocking;
import io.roomkit.spring.listener.ClusterEventFeed;
import io.roomkit.spring.listener.RoomPatterns;
import io.roomkit.spring.support.FollowedRooms;
import io.roomkit.store.ConversationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Behind the RabbitMQ relay, the {@link ClusterEventFeed} of {@code @RoomEventListener(scope = NODE)} persistent
 * listeners: the node's own writes (as an {@code AFTER_BROADCAST} hook) and every node's writes as the broker
 * hands them back ({@link RelayEventSubscriber#ALL_EVENTS}, subscribed with the first follow), in index order
 * per room and once each, gaps (a frame lost across a broker restart, or reordered between two writer nodes)
 * filled from the store.
 */
public class RelayEventFeed implements ClusterEventFeed, Hook, NonBlocking, DisposableBean {

    /** The hook's name. */
    public static final String NAME = "roomkit-relay-event-feed";

    /** How long the first follow waits for the broker to confirm the events subscription. */
    private static final Duration SUBSCRIBE_WAIT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(RelayEventFeed.class);

    private final RelayEventSubscriber subscriber;
    private final ElasticExecutor executor = new ElasticExecutor("roomkit-relay-events");
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("roomkit-relay-events-timer-"));
    private final FollowedRooms followed;

    public RelayEventFeed(RelayEventSubscriber subscriber, ObjectProvider<ConversationStore> store,
            Duration gapWait) {
        this.subscriber = subscriber;
        this.followed = new FollowedRooms("relay events -> listener", store::getObject, gapWait, executor, timers);
    }

    @Override
    public String follow(RoomPatterns rooms, Consumer<RoomEvent> listener) {
        try {
            subscriber.subscribePersistentEvents(this::receive).get(SUBSCRIBE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException ex) {
            log.warn("The broker did not confirm the subscription to every room's events within {}; events stored "
                    + "on other nodes reach this node's listeners once it does (gaps are read from the store)",
                    SUBSCRIBE_WAIT);
        }
        return followed.follow(rooms, listener, (pattern, events) -> null).handle();
    }

    @Override
    public boolean unfollow(String handle) {
        return followed.unfollow(handle) != null;
    }

    private void receive(Map<String, Object> frame) {
        RoomEvent event;
        try {
            event = RoomEvent.fromMap(frame);
        }
        catch (RoomKitException | ClassCastException ex) {
            log.warn("Dropped a malformed persistent event from the broker: {}", ex.getMessage());
            return;
        }
        followed.offer(event);
    }

    /** Checks every followed room against the store (after the broker connection comes back). */
    public void repairAll() {
        followed.repairAll();
    }

    @Override
    public HookTrigger trigger() {
        return HookTrigger.AFTER_BROADCAST;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public HookResult handle(RoomEvent event, RoomContext context) {
        if (!followed.isEmpty()) {
            followed.offer(event);
        }
        return HookResult.allow();
    }

    @Override
    public void destroy() {
        timers.shutdownNow();
        executor.close();
    }
}
