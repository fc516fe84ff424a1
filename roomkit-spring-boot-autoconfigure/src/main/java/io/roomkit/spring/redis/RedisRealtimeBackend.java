package io.roomkit.spring.redis;

import io.roomkit.model.RandomIds;
import io.roomkit.realtime.ChannelPattern;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralListener;
import io.roomkit.concurrent.DaemonThreads;
import io.roomkit.realtime.LocalSubscriptions;
import io.roomkit.realtime.QueuedSubscription;
import io.roomkit.realtime.RealtimeBackend;
import io.roomkit.realtime.RealtimeStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.data.redis.listener.Topic;
import org.springframework.core.task.SyncTaskExecutor;
import tools.jackson.databind.json.JsonMapper;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A {@link RealtimeBackend} on Redis pub/sub, wire-compatible with the Python RoomKit: channel
 * {@code <prefix>:room:<roomId>}, payload the JSON of {@code to_dict}. Every node that shares the Redis
 * receives every event, its own included (through the Redis round trip).
 * <p>
 * Each logical channel with local subscribers has one Redis subscription ({@code PSUBSCRIBE} for {@code *}
 * patterns), released when its last local subscriber leaves; each local subscriber has the same bounded,
 * drop-oldest queue as {@code InMemoryRealtime}. {@link #subscribe} returns once Redis has confirmed the
 * subscription (or after 5 s, with a warning). The listener container reconnects by itself after Redis
 * restarts; events published while it is away are lost, as pub/sub promises nothing more.
 */
public class RedisRealtimeBackend implements RealtimeBackend, RealtimeStats {

    /** Events that may wait for the publisher thread before the oldest is dropped. */
    public static final int PUBLISH_QUEUE = 10_000;

    /** How long {@link #subscribe} waits for Redis to confirm. */
    public static final long SUBSCRIBE_TIMEOUT_MS = 5000;

    private static final Logger log = LoggerFactory.getLogger(RedisRealtimeBackend.class);

    private final String prefix;
    private final StringRedisTemplate redis;
    private final RedisMessageListenerContainer container;
    private final JsonMapper json = PythonCompatibleJson.mapper();
    private final LocalSubscriptions subscriptions;
    private final Map<String, RedisChannel> channels = new HashMap<>();
    private final Map<String, PayloadSubscription> payloadsById = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor publisher;
    private volatile boolean closed;

    public RedisRealtimeBackend(RedisConnectionFactory connectionFactory, String prefix, int maxQueueSize) {
        this.prefix = prefix;
        this.subscriptions = new LocalSubscriptions("roomkit-redis", maxQueueSize);
        this.redis = new StringRedisTemplate(connectionFactory);
        this.container = new RedisMessageListenerContainer();
        container.setConnectionFactory(connectionFactory);
        container.setRecoveryInterval(1000);
        // Listeners only enqueue; running them on the subscription thread keeps Redis's order.
        container.setTaskExecutor(new SyncTaskExecutor());
        container.afterPropertiesSet();
        container.start();
        this.publisher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(PUBLISH_QUEUE), DaemonThreads.named("roomkit-redis-publisher-"),
                (task, executor) -> {
                    if (executor.isShutdown()) {
                        return;
                    }
                    subscriptions.countDropped();
                    executor.getQueue().poll();
                    executor.execute(task);
                });
    }

    /**
     * Hands the event to the publisher thread and returns: a Redis that is slow or away never blocks the
     * caller. One thread keeps this node's publish order; when {@value #PUBLISH_QUEUE} events wait, the oldest
     * is dropped.
     */
    @Override
    public void publish(String channel, EphemeralEvent event) {
        if (closed) {
            return;
        }
        String payload = json.writeValueAsString(event.toMap());
        publisher.execute(() -> send(channel, event, payload));
    }

    private void send(String channel, EphemeralEvent event, String payload) {
        try {
            redis.convertAndSend(redisName(channel), payload);
            subscriptions.countPublished();
        }
        catch (RuntimeException ex) {
            log.warn("Could not publish {} event {} on Redis channel {}: {}", event.type().value(), event.id(),
                    redisName(channel), ex.getMessage());
        }
    }

    /**
     * Publishes a payload of another kind than an ephemeral event (persistent events) on
     * {@code <prefix>:<channel>}, through the same publisher thread: never blocks the caller. {@code guard} runs
     * the Redis call (bounded, marking Redis down when it fails); a payload that could not be sent is logged.
     */
    public void publishPayload(String channel, String payload, Consumer<Runnable> guard) {
        if (closed) {
            return;
        }
        publisher.execute(() -> {
            try {
                guard.accept(() -> {
                    redis.convertAndSend(redisName(channel), payload);
                    subscriptions.countPublished();
                });
            }
            catch (RuntimeException ex) {
                log.warn("Could not publish on Redis channel {}: {}", redisName(channel), ex.getMessage());
            }
        });
    }

    /**
     * Subscribes {@code consumer} to the raw payloads of {@code <prefix>:<channel>} (a {@code *} pattern
     * allowed), sharing the channel's one Redis subscription and its release with the last subscriber, like
     * {@link #subscribe}. The consumer runs on the Redis subscription thread, in Redis's order: it must only hand
     * the payload on. Returns once Redis has confirmed (or after {@value #SUBSCRIBE_TIMEOUT_MS} ms, with a
     * warning); {@link #unsubscribe} ends it.
     */
    public String subscribePayloads(String channel, Consumer<String> consumer) {
        String id = RandomIds.next();
        PayloadSubscription subscription = new PayloadSubscription(channel, consumer);
        RedisChannel redisChannel;
        synchronized (channels) {
            if (closed) {
                throw LocalSubscriptions.closedError();
            }
            redisChannel = channels.computeIfAbsent(channel, this::openChannel);
            redisChannel.add(subscription);
            payloadsById.put(id, subscription);
        }
        redisChannel.awaitConfirmation(SUBSCRIBE_TIMEOUT_MS);
        return id;
    }

    @Override
    public String subscribe(String channel, EphemeralListener listener) {
        RedisChannel redisChannel;
        QueuedSubscription subscription;
        synchronized (channels) {
            if (closed) {
                throw LocalSubscriptions.closedError();
            }
            redisChannel = channels.computeIfAbsent(channel, this::openChannel);
            subscription = subscriptions.open(channel, listener);
            redisChannel.add(subscription);
        }
        redisChannel.awaitConfirmation(SUBSCRIBE_TIMEOUT_MS);
        return subscription.id();
    }

    @Override
    public boolean unsubscribe(String subscriptionId) {
        PayloadSubscription payloads = payloadsById.remove(subscriptionId);
        if (payloads != null) {
            release(payloads.channel(), payloads);
            return true;
        }
        QueuedSubscription subscription = subscriptions.remove(subscriptionId);
        if (subscription == null) {
            return false;
        }
        release(subscription.channel(), subscription);
        return true;
    }

    /** Removes a local subscription from its channel; the last one leaving releases the Redis subscription. */
    private void release(String channel, Object subscription) {
        synchronized (channels) {
            RedisChannel redisChannel = channels.get(channel);
            if (redisChannel != null) {
                if (redisChannel.remove(subscription)) {
                    channels.remove(channel);
                    removeListener(redisChannel);
                }
            }
        }
    }

    @Override
    public void close() {
        synchronized (channels) {
            if (closed) {
                return;
            }
            closed = true;
        }
        subscriptions.ids().forEach(this::unsubscribe);
        List.copyOf(payloadsById.keySet()).forEach(this::unsubscribe);
        publisher.shutdownNow();
        try {
            container.stop();
            container.destroy();
        }
        catch (Exception ex) {
            log.debug("Redis listener container did not stop cleanly", ex);
        }
        subscriptions.close();
    }

    @Override
    public long publishedCount() {
        return subscriptions.publishedCount();
    }

    @Override
    public long droppedCount() {
        return subscriptions.droppedCount();
    }

    @Override
    public int subscriptionCount() {
        return subscriptions.count() + payloadsById.size();
    }

    /** Open when not closed, the listener container runs and Redis answers a PING. */
    @Override
    public boolean isOpen() {
        return !closed && container.isRunning() && ping();
    }

    /** Whether Redis answers a PING now. */
    public boolean ping() {
        try {
            return redis.execute(connection -> connection.ping(), true) != null;
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    /** Logical channels with a Redis subscription, for tests. */
    int redisSubscriptionCount() {
        synchronized (channels) {
            return channels.size();
        }
    }

    private String redisName(String channel) {
        return prefix + ":" + channel;
    }

    private RedisChannel openChannel(String channel) {
        Topic topic = ChannelPattern.isPattern(channel) ? new PatternTopic(redisName(channel))
                : new ChannelTopic(redisName(channel));
        RedisChannel redisChannel = new RedisChannel(topic, json);
        container.addMessageListener(redisChannel, topic);
        return redisChannel;
    }

    private void removeListener(RedisChannel redisChannel) {
        try {
            container.removeMessageListener(redisChannel, redisChannel.topic());
        }
        catch (RuntimeException ex) {
            log.warn("Could not unsubscribe from {}", redisChannel.topic().getTopic(), ex);
        }
    }

}
