package io.roomkit.spring.redis;

import io.roomkit.RoomKitException;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.QueuedSubscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.listener.Topic;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Redis subscription ({@code SUBSCRIBE}, or {@code PSUBSCRIBE} for a pattern) and the local subscriptions it
 * feeds, in Redis's order: ephemeral listeners' queues get the decoded event, payload subscribers the raw JSON.
 * {@link RedisRealtimeBackend} adds and removes local subscriptions under its lock and releases the Redis
 * subscription with the last one.
 */
final class RedisChannel implements MessageListener, SubscriptionListener {

    private static final Logger log = LoggerFactory.getLogger(RedisChannel.class);
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private final Topic topic;
    private final JsonMapper json;
    private final List<QueuedSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private final List<PayloadSubscription> payloadSubscriptions = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> confirmed = new CompletableFuture<>();

    RedisChannel(Topic topic, JsonMapper json) {
        this.topic = topic;
        this.json = json;
    }

    Topic topic() {
        return topic;
    }

    void add(QueuedSubscription subscription) {
        subscriptions.add(subscription);
    }

    void add(PayloadSubscription subscription) {
        payloadSubscriptions.add(subscription);
    }

    /** Removes a local subscription of either kind; {@code true} when none is left. */
    boolean remove(Object subscription) {
        subscriptions.remove(subscription);
        payloadSubscriptions.remove(subscription);
        return subscriptions.isEmpty() && payloadSubscriptions.isEmpty();
    }

    /** Waits until Redis confirms the subscription, at most {@code timeoutMillis}; a late one is only logged. */
    void awaitConfirmation(long timeoutMillis) {
        try {
            confirmed.get(timeoutMillis, TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException ex) {
            log.warn("Redis did not confirm the subscription to {} within {} ms; events may be missed until it does",
                    topic.getTopic(), timeoutMillis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException ex) {
            log.warn("Subscription to {} failed", topic.getTopic(), ex.getCause());
        }
    }

    @Override
    public void onMessage(Message message, byte[] pattern) {
        if (!payloadSubscriptions.isEmpty()) {
            String payload = new String(message.getBody(), StandardCharsets.UTF_8);
            for (PayloadSubscription subscription : payloadSubscriptions) {
                subscription.accept(payload);
            }
        }
        if (subscriptions.isEmpty()) {
            return;
        }
        EphemeralEvent event;
        try {
            event = EphemeralEvent.fromMap(json.readValue(new String(message.getBody(), StandardCharsets.UTF_8),
                    MAP));
        }
        catch (JacksonException | RoomKitException ex) {
            log.warn("Dropped a malformed event on Redis channel {}: {}",
                    new String(message.getChannel(), StandardCharsets.UTF_8), ex.getMessage());
            return;
        }
        for (QueuedSubscription subscription : subscriptions) {
            subscription.offer(event);
        }
    }

    @Override
    public void onChannelSubscribed(byte[] channel, long count) {
        confirmed.complete(null);
    }

    @Override
    public void onPatternSubscribed(byte[] pattern, long count) {
        confirmed.complete(null);
    }
}
