package io.roomkit.realtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PatternSubscriptionTest {

    private final InMemoryRealtime realtime = new InMemoryRealtime();

    @AfterEach
    void close() {
        realtime.close();
    }

    @Test
    void patternMatchesRoomsThatAppearAfterTheSubscription() throws Exception {
        BlockingQueue<EphemeralEvent> received = new LinkedBlockingQueue<>();
        realtime.subscribeToRoom("support-*", received::add);

        realtime.publishToRoom("support-42", event("support-42"));
        realtime.publishToRoom("sales-1", event("sales-1"));
        realtime.publishToRoom("support-", event("support-"));

        assertThat(received.poll(10, TimeUnit.SECONDS).roomId()).isEqualTo("support-42");
        assertThat(received.poll(10, TimeUnit.SECONDS).roomId()).isEqualTo("support-");
        assertThat(received.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void unsubscribingAPatternStopsIt() throws Exception {
        BlockingQueue<EphemeralEvent> received = new LinkedBlockingQueue<>();
        String id = realtime.subscribeToRoom("*", received::add);

        assertThat(realtime.unsubscribe(id)).isTrue();
        realtime.publishToRoom("any", event("any"));

        assertThat(received.poll(200, TimeUnit.MILLISECONDS)).isNull();
        assertThat(realtime.subscriptionCount()).isZero();
    }

    @Test
    void patternsQuoteEverythingButTheStar() {
        ChannelPattern pattern = ChannelPattern.of("room:a.b*");

        assertThat(pattern.matches("room:a.b")).isTrue();
        assertThat(pattern.matches("room:a.bc")).isTrue();
        assertThat(pattern.matches("room:aXbc")).isFalse();
        assertThat(ChannelPattern.of("room:*-x-*").matches("room:1-x-2")).isTrue();
        assertThat(ChannelPattern.isPattern("room:plain")).isFalse();
    }

    private static EphemeralEvent event(String roomId) {
        return EphemeralEvent.of(roomId, EphemeralEventType.CUSTOM, "system", Map.of());
    }
}
