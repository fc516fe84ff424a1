package io.roomkit.realtime;

import io.roomkit.concurrent.ElasticExecutor;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The in-process {@link RealtimeBackend}: each subscription has a bounded queue (default
 * {@value #DEFAULT_MAX_QUEUE_SIZE}) that drops the oldest event when full, so a publisher never blocks;
 * events reach a subscription in publish order; a listener that throws keeps its subscription. All
 * subscriptions share one small {@link ElasticExecutor} ({@link LocalSubscriptions}).
 */
public class InMemoryRealtime implements RealtimeBackend, RealtimeStats {

    /** Default capacity of each subscription's queue. */
    public static final int DEFAULT_MAX_QUEUE_SIZE = 100;

    private static final String ROOM_CHANNEL_PREFIX = RealtimeBackend.roomChannel("");

    private final LocalSubscriptions subscriptions;
    private final Map<String, List<QueuedSubscription>> byChannel = new ConcurrentHashMap<>();
    /**
     * The subscription lists of the room channels again, by room id, so that {@link #publishToRoom} needs no
     * channel string (building and hashing one cost a tenth of a new event's publish). Changed only inside
     * {@code byChannel}'s compute calls for the room's channel, so both maps hold the same list.
     */
    private final Map<String, List<QueuedSubscription>> byRoom = new ConcurrentHashMap<>();
    private final List<PatternSubscription> patterns = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public InMemoryRealtime() {
        this(DEFAULT_MAX_QUEUE_SIZE);
    }

    /** @param maxQueueSize capacity of each subscription's queue, at least 1 */
    public InMemoryRealtime(int maxQueueSize) {
        this.subscriptions = new LocalSubscriptions("roomkit-realtime", maxQueueSize);
    }

    @Override
    public void publish(String channel, EphemeralEvent event) {
        if (closed) {
            return;
        }
        subscriptions.countPublished();
        offerAll(byChannel.get(channel), event);
        for (PatternSubscription subscription : patterns) {
            if (subscription.pattern().matches(channel)) {
                subscription.queue().offer(event);
            }
        }
    }

    @Override
    public void publishToRoom(String roomId, EphemeralEvent event) {
        if (!patterns.isEmpty()) {
            // patterns match channel names
            publish(RealtimeBackend.roomChannel(roomId), event);
            return;
        }
        if (closed) {
            return;
        }
        subscriptions.countPublished();
        offerAll(byRoom.get(roomId), event);
    }

    private static void offerAll(List<QueuedSubscription> channelSubscriptions, EphemeralEvent event) {
        if (channelSubscriptions != null) {
            for (QueuedSubscription subscription : channelSubscriptions) {
                subscription.offer(event);
            }
        }
    }

    @Override
    public String subscribe(String channel, EphemeralListener listener) {
        if (closed) {
            throw LocalSubscriptions.closedError();
        }
        QueuedSubscription subscription = subscriptions.open(channel, listener);
        String id = subscription.id();
        if (ChannelPattern.isPattern(channel)) {
            patterns.add(new PatternSubscription(ChannelPattern.of(channel), subscription));
        }
        else {
            addToChannel(channel, subscription);
        }
        if (closed) {
            unsubscribe(id);
            throw LocalSubscriptions.closedError();
        }
        return id;
    }

    private void addToChannel(String channel, QueuedSubscription subscription) {
        // add inside compute: an unsubscribe that empties the channel removes the list under the same bin lock
        byChannel.compute(channel, (key, existing) -> {
            List<QueuedSubscription> list = existing == null ? new CopyOnWriteArrayList<>() : existing;
            list.add(subscription);
            String roomId = roomIdOf(key);
            if (existing == null && roomId != null) {
                byRoom.put(roomId, list);
            }
            return list;
        });
    }

    @Override
    public boolean unsubscribe(String subscriptionId) {
        QueuedSubscription subscription = subscriptions.remove(subscriptionId);
        if (subscription == null) {
            return false;
        }
        patterns.removeIf(pattern -> pattern.queue() == subscription);
        byChannel.computeIfPresent(subscription.channel(), (channel, channelSubscriptions) -> {
            channelSubscriptions.remove(subscription);
            if (!channelSubscriptions.isEmpty()) {
                return channelSubscriptions;
            }
            String roomId = roomIdOf(channel);
            if (roomId != null) {
                byRoom.remove(roomId, channelSubscriptions);
            }
            return null;
        });
        return true;
    }

    @Override
    public void close() {
        closed = true;
        subscriptions.ids().forEach(this::unsubscribe);
        subscriptions.close();
    }

    /** The room id of a room channel ({@code room:<roomId>}), else {@code null}. */
    private static String roomIdOf(String channel) {
        return channel.startsWith(ROOM_CHANNEL_PREFIX) ? channel.substring(ROOM_CHANNEL_PREFIX.length()) : null;
    }

    /** Capacity of each subscription's queue. */
    public int maxQueueSize() {
        return subscriptions.maxQueueSize();
    }

    @Override
    public int subscriptionCount() {
        return subscriptions.count();
    }

    @Override
    public long publishedCount() {
        return subscriptions.publishedCount();
    }

    @Override
    public long droppedCount() {
        return subscriptions.droppedCount();
    }

    /** Threads currently running listeners. */
    public int listenerThreadCount() {
        return subscriptions.threadCount();
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    /** A subscription whose channel is a pattern. */
    private record PatternSubscription(ChannelPattern pattern, QueuedSubscription queue) {
    }
}
