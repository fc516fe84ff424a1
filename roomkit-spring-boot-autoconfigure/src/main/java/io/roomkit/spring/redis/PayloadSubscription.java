package io.roomkit.spring.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/**
 * A subscriber of a Redis channel's raw payloads (persistent events), fed on the Redis subscription thread; a
 * consumer that throws is logged and keeps its subscription.
 */
final class PayloadSubscription {

    private static final Logger log = LoggerFactory.getLogger(PayloadSubscription.class);

    private final String channel;
    private final Consumer<String> consumer;

    PayloadSubscription(String channel, Consumer<String> consumer) {
        this.channel = channel;
        this.consumer = consumer;
    }

    String channel() {
        return channel;
    }

    void accept(String payload) {
        try {
            consumer.accept(payload);
        }
        catch (RuntimeException ex) {
            log.warn("A subscriber of Redis channel {} failed on a payload", channel, ex);
        }
    }
}
