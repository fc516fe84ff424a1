package io.roomkit.spring.support;

import io.roomkit.RoomKit;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.RoomEvent;
import io.roomkit.testing.HangWatchdog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.BlockingQueue;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ordered, gap-filling delivery of persistent events that the Redis topology uses: events offered out of
 * order, twice, or not at all reach the consumer once each in index order, the missing ones read from the store.
 */
class OrderedRoomEventsTest {

    private final RoomKit kit = new RoomKit();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final BlockingQueue<RoomEvent> delivered = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        executor.shutdownNow();
        timers.shutdownNow();
        kit.close();
    }

    private OrderedRoomEvents ordered(boolean followUnknownRooms) {
        return new OrderedRoomEvents("test", kit.store(), delivered::add, Duration.ofMillis(20), followUnknownRooms,
                executor, timers);
    }

    private List<RoomEvent> write(String room, int count) {
        kit.registerChannelIfAbsent(new WebSocketChannel("ws-alice"));
        if (kit.getRoom(room).isEmpty()) {
            kit.createRoom(room);
        }
        List<RoomEvent> written = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            written.add(kit.processInbound(InboundMessage.text("ws-alice", "alice", "m" + i), room).event());
        }
        return written;
    }

    private List<Long> take(int count) throws InterruptedException {
        List<Long> indices = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            indices.add(delivered.take().index());
        }
        return indices;
    }

    @Test
    void eventsOfferedOutOfOrderTwiceOrNotAtAllArriveOnceInIndexOrder() throws Exception {
        write("room-1", 5);
        OrderedRoomEvents events = ordered(false);
        CountDownLatch connected = new CountDownLatch(1);
        events.open("room-1", connected::countDown);
        connected.await();
        List<RoomEvent> later = write("room-1", 5);

        HangWatchdog.within(Duration.ofSeconds(60), "ordered delivery", () -> {
            events.offer(later.get(4));
            events.offer(later.get(2));
            events.offer(later.get(0));
            events.offer(later.get(2));
            // indices 6 and 8 never arrive: they come from the store
            assertThat(take(5)).containsExactly(5L, 6L, 7L, 8L, 9L);
            events.offer(later.get(1));
            List<RoomEvent> last = write("room-1", 1);
            events.offer(last.get(0));
            assertThat(take(1)).as("the repeat of 6 is dropped, 10 follows").containsExactly(10L);
            return null;
        });
        assertThat(delivered).isEmpty();
    }

    @Test
    void aLostLastEventIsDeliveredByTheRepairAfterAnOutage() throws Exception {
        OrderedRoomEvents events = ordered(false);
        CountDownLatch connected = new CountDownLatch(1);
        kit.createRoom("room-2");
        events.open("room-2", connected::countDown);
        connected.await();
        List<RoomEvent> written = write("room-2", 2);
        events.offer(written.get(0));
        HangWatchdog.within(Duration.ofSeconds(60), "repair", () -> {
            assertThat(take(1)).containsExactly(0L);
            events.repairAll();
            assertThat(take(1)).containsExactly(1L);
            return null;
        });
    }

    @Test
    void aRoomFirstHeardOfThroughItsEventsIsFollowedFromTheLowestIndexThatArrivedWithinTheWait() throws Exception {
        List<RoomEvent> written = write("room-3", 4);
        OrderedRoomEvents events = ordered(true);
        events.offer(written.get(3));
        events.offer(written.get(1));
        HangWatchdog.within(Duration.ofSeconds(60), "lazy anchor", () -> {
            assertThat(take(3)).containsExactly(1L, 2L, 3L);
            return null;
        });
        assertThat(events.isFollowing("room-3")).isTrue();
        assertThat(events.isFollowing("room-1")).isFalse();
    }

    /** Writers and a shuffling, duplicating transport race; every event arrives once, in order. */
    @Test
    void concurrentWritersAndAShufflingTransportStillGiveOnceEachInOrder() throws Exception {
        kit.createRoom("room-4");
        OrderedRoomEvents events = ordered(false);
        CountDownLatch connected = new CountDownLatch(1);
        events.open("room-4", connected::countDown);
        connected.await();
        int writers = 4;
        int perWriter = 200;
        List<RoomEvent> all = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        HangWatchdog.within(Duration.ofSeconds(120), "writers and transport", () -> {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                long seed = w;
                done.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    for (RoomEvent event : write("room-4", perWriter)) {
                        all.add(event);
                        int roll = random.nextInt(10);
                        if (roll == 0) {
                            continue; // lost
                        }
                        events.offer(event);
                        if (roll == 1) {
                            events.offer(all.get(random.nextInt(all.size()))); // an old one again
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
            events.repairAll(); // the last events may all have been lost: nothing later reveals the gap
            assertThat(take(writers * perWriter)).containsExactlyElementsOf(
                    LongStream.range(0, writers * perWriter).boxed().toList());
            return null;
        });
        pool.shutdownNow();
    }
}
