package io.roomkit.spring.stomp;

import io.roomkit.RoomKit;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading helpers for the JSON frames that {@link StompTestClient} queues collect. */
final class Frames {

    private Frames() {
    }

    /** Subscribes to a history destination and returns its one reply. */
    static Map<String, Object> history(StompTestClient client, String destination) throws InterruptedException {
        return StompTestClient.await(client.subscribe(destination), reply -> true);
    }

    /** Takes frames up to and including the first matching {@code last}, within {@link StompTestClient#WAIT}. */
    static List<Map<String, Object>> takeUntil(BlockingQueue<Map<String, Object>> queue,
            Predicate<Map<String, Object>> last) throws InterruptedException {
        List<Map<String, Object>> taken = new ArrayList<>();
        long deadline = System.nanoTime() + StompTestClient.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Object> next = queue.poll(100, TimeUnit.MILLISECONDS);
            if (next != null) {
                taken.add(next);
                if (last.test(next)) {
                    return taken;
                }
            }
        }
        throw new AssertionError("no matching frame within " + StompTestClient.WAIT + "; got " + taken);
    }

    /** Takes the next {@code count} frames, within {@link StompTestClient#WAIT}. */
    static List<Map<String, Object>> take(BlockingQueue<Map<String, Object>> queue, int count)
            throws InterruptedException {
        List<Map<String, Object>> taken = new ArrayList<>();
        long deadline = System.nanoTime() + StompTestClient.WAIT.toNanos();
        while (taken.size() < count && System.nanoTime() < deadline) {
            Map<String, Object> next = queue.poll(100, TimeUnit.MILLISECONDS);
            if (next != null) {
                taken.add(next);
            }
        }
        assertThat(taken).as("frames received within " + StompTestClient.WAIT).hasSize(count);
        return taken;
    }

    /** Takes the next {@code count} frames matching {@code test}, dropping others, within {@link StompTestClient#WAIT}. */
    static List<Map<String, Object>> takeMatching(BlockingQueue<Map<String, Object>> queue,
            Predicate<Map<String, Object>> test, int count) throws InterruptedException {
        List<Map<String, Object>> taken = new ArrayList<>();
        long deadline = System.nanoTime() + StompTestClient.WAIT.toNanos();
        while (taken.size() < count && System.nanoTime() < deadline) {
            Map<String, Object> next = queue.poll(100, TimeUnit.MILLISECONDS);
            if (next != null && test.test(next)) {
                taken.add(next);
            }
        }
        assertThat(taken).as("matching frames received within " + StompTestClient.WAIT).hasSize(count);
        return taken;
    }

    /** Fails if a frame matching {@code test} arrives within {@code window}; other frames are dropped. */
    static void assertNoneWithin(BlockingQueue<Map<String, Object>> queue, Predicate<Map<String, Object>> test,
            Duration window) throws InterruptedException {
        long deadline = System.nanoTime() + window.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            Map<String, Object> next = queue.poll(left, TimeUnit.NANOSECONDS);
            assertThat(next != null && test.test(next)).as("unexpected frame %s", next).isFalse();
        }
    }

    /**
     * Publishes a CUSTOM ephemeral event that marks a point in the room's ephemeral stream: everything published
     * to the room before it reaches a subscriber before it. Returns a predicate that recognises it.
     */
    static Predicate<Map<String, Object>> mark(RoomKit kit, String roomId) {
        String marker = UUID.randomUUID().toString();
        kit.realtime().publishToRoom(roomId,
                EphemeralEvent.of(roomId, EphemeralEventType.CUSTOM, "test-marker", Map.of("marker", marker)));
        return frame -> "custom".equals(frame.get("type")) && frame.get("data") instanceof Map<?, ?> data
                && marker.equals(data.get("marker"));
    }

    /** An ephemeral or persistent event of {@code type} about or from {@code userId}. */
    static Predicate<Map<String, Object>> is(String type, String userId) {
        return frame -> type.equals(frame.get("type")) && Objects.equals(userId, frame.get("user_id"));
    }

    static long count(List<Map<String, Object>> frames, Predicate<Map<String, Object>> test) {
        return frames.stream().filter(test).count();
    }

    /** The {@code index} of each persistent event, in order. */
    @SuppressWarnings("unchecked")
    static List<Long> indices(Object events) {
        return ((List<Map<String, Object>>) events).stream().map(event -> ((Number) event.get("index")).longValue())
                .toList();
    }

    /** The text body of a persistent message event. */
    static String body(Map<String, Object> event) {
        return event.get("content") instanceof Map<?, ?> content ? (String) content.get("body") : null;
    }
}
