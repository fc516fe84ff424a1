package io.roomkit.realtime;

import io.roomkit.ErrorCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry the realtime backends share: ids, queues, counters. */
class LocalSubscriptionsTest {

    private final LocalSubscriptions subscriptions = new LocalSubscriptions("test-local", 2);

    @AfterEach
    void close() {
        subscriptions.close();
    }

    @Test
    void eachOpenedSubscriptionHasItsOwnIdUntilItIsRemoved() {
        QueuedSubscription first = subscriptions.open("room:a", event -> {
        });
        QueuedSubscription second = subscriptions.open("room:a", event -> {
        });

        assertThat(first.id()).isNotEqualTo(second.id());
        assertThat(subscriptions.ids()).containsExactlyInAnyOrder(first.id(), second.id());
        assertThat(subscriptions.count()).isEqualTo(2);

        assertThat(subscriptions.remove(first.id())).isSameAs(first);
        assertThat(subscriptions.remove(first.id())).isNull();
        assertThat(subscriptions.ids()).containsExactly(second.id());
    }

    @Test
    void aRemovedSubscriptionQueuesNothingMore() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        List<EphemeralEvent> seen = new CopyOnWriteArrayList<>();
        QueuedSubscription subscription = subscriptions.open("room:a", event -> {
            seen.add(event);
            entered.countDown();
            release.await();
        });
        subscription.offer(typing("alice"));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        subscriptions.remove(subscription.id());
        // the listener is held: a subscription still taking events would overflow its queue of 2 and count drops
        for (int i = 0; i < 5; i++) {
            subscription.offer(typing("bob-" + i));
        }

        assertThat(subscriptions.droppedCount()).as("events dropped by a removed subscription").isZero();
        release.countDown();
        assertThat(seen).extracting(EphemeralEvent::userId).containsExactly("alice");
    }

    @Test
    void overflowingAQueueCountsDroppedEvents() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        QueuedSubscription blocked = subscriptions.open("room:a", event -> {
            entered.countDown();
            release.await();
        });
        blocked.offer(typing("u0"));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 5; i++) {
            blocked.offer(typing("u" + i));
        }
        subscriptions.countDropped();

        assertThat(subscriptions.droppedCount()).as("3 over the queue of 2, and 1 counted by the backend")
                .isEqualTo(4);
        release.countDown();
    }

    @Test
    void publishedEventsAreCountedByTheBackend() {
        subscriptions.countPublished();
        subscriptions.countPublished();

        assertThat(subscriptions.publishedCount()).isEqualTo(2);
    }

    @Test
    void theQueueMustHoldAtLeastOneEvent() {
        assertThatThrownBy(() -> new LocalSubscriptions("test-zero", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }

    @Test
    void theClosedErrorHasTheStableCode() {
        assertThat(LocalSubscriptions.closedError().code()).isEqualTo(ErrorCodes.REALTIME_CLOSED);
    }

    private static EphemeralEvent typing(String userId) {
        return EphemeralEvent.of("a", EphemeralEventType.TYPING_START, userId, java.util.Map.of());
    }
}
