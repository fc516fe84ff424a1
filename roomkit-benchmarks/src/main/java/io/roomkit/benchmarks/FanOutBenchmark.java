package io.roomkit.benchmarks;

import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import io.roomkit.realtime.InMemoryRealtime;
import io.roomkit.realtime.RealtimeBackend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Fan-out of {@link InMemoryRealtime} with its default settings: deliveries per second (the score, in ops/s)
 * for one room with 1, 10 and 100 subscribers and for 1,000 rooms with one subscriber each.
 * <p>
 * These publish one event built in advance, so they measure delivery alone. {@code oneRoom10SubscribersNewEvents}
 * is the peer workload (the Python RoomKit's {@code InMemoryRealtime} benchmark): every publish builds a new event
 * with {@link EphemeralEvent#of} (a new id and timestamp) and hands it to {@code publishToRoom}, as every real
 * publish does, so the score also pays for creating the events.
 * <p>
 * One invocation publishes a burst of {@value #BURST} events to every room (as many as a subscription queues,
 * so nothing is dropped) and returns when every subscriber has received all of them: a latch per burst that
 * each listener counts down when its share has arrived. Every delivery is also counted in a {@link LongAdder};
 * tear-down fails the run if a delivery is missing or an event was dropped.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
public class FanOutBenchmark {

    /** Events per room and invocation: the default queue capacity, so a burst never overflows a queue. */
    public static final int BURST = InMemoryRealtime.DEFAULT_MAX_QUEUE_SIZE;

    @Benchmark
    @OperationsPerInvocation(BURST)
    public void oneRoom1Subscriber(OneRoomOneSubscriber topology) throws InterruptedException {
        topology.burst();
    }

    @Benchmark
    @OperationsPerInvocation(BURST * 10)
    public void oneRoom10Subscribers(OneRoomTenSubscribers topology) throws InterruptedException {
        topology.burst();
    }

    @Benchmark
    @OperationsPerInvocation(BURST * 10)
    public void oneRoom10SubscribersNewEvents(OneRoomTenSubscribers topology) throws InterruptedException {
        topology.burstOfNewEvents();
    }

    @Benchmark
    @OperationsPerInvocation(BURST * 100)
    public void oneRoom100Subscribers(OneRoomHundredSubscribers topology) throws InterruptedException {
        topology.burst();
    }

    @Benchmark
    @OperationsPerInvocation(BURST * 1000)
    public void thousandRooms1Subscriber(ThousandRoomsOneSubscriber topology) throws InterruptedException {
        topology.burst();
    }

    @State(Scope.Benchmark)
    public static class OneRoomOneSubscriber extends Topology {

        @Setup
        public void setUp() {
            open(1, 1);
        }
    }

    @State(Scope.Benchmark)
    public static class OneRoomTenSubscribers extends Topology {

        @Setup
        public void setUp() {
            open(1, 10);
        }
    }

    @State(Scope.Benchmark)
    public static class OneRoomHundredSubscribers extends Topology {

        @Setup
        public void setUp() {
            open(1, 100);
        }
    }

    @State(Scope.Benchmark)
    public static class ThousandRoomsOneSubscriber extends Topology {

        @Setup
        public void setUp() {
            open(1000, 1);
        }
    }

    /** Rooms, their subscribers, and the bookkeeping that tells when a burst has been delivered. */
    public abstract static class Topology {

        private InMemoryRealtime realtime;
        private String[] channels;
        private String[] roomIds;
        private String[] userIds;
        private EphemeralEvent[] events;
        private int subscriptions;
        private final LongAdder deliveries = new LongAdder();
        private long bursts;
        private volatile long target;
        private volatile CountDownLatch burstDone;

        protected void open(int rooms, int subscribersPerRoom) {
            realtime = new InMemoryRealtime();
            channels = new String[rooms];
            roomIds = new String[rooms];
            userIds = new String[rooms];
            events = new EphemeralEvent[rooms];
            for (int room = 0; room < rooms; room++) {
                String roomId = "room-" + room;
                roomIds[room] = roomId;
                userIds[room] = "user-" + room;
                channels[room] = RealtimeBackend.roomChannel(roomId);
                events[room] = EphemeralEvent.of(roomId, EphemeralEventType.TYPING_START, userIds[room], Map.of());
                for (int subscriber = 0; subscriber < subscribersPerRoom; subscriber++) {
                    realtime.subscribe(channels[room], new CountingListener());
                }
            }
            subscriptions = rooms * subscribersPerRoom;
        }

        void burst() throws InterruptedException {
            startBurst();
            for (int i = 0; i < BURST; i++) {
                for (int room = 0; room < channels.length; room++) {
                    realtime.publish(channels[room], events[room]);
                }
            }
            awaitBurst();
        }

        /** Like {@link #burst()}, but every publish builds its event, as a real publish does. */
        void burstOfNewEvents() throws InterruptedException {
            startBurst();
            for (int i = 0; i < BURST; i++) {
                for (int room = 0; room < roomIds.length; room++) {
                    String roomId = roomIds[room];
                    realtime.publishToRoom(roomId,
                            EphemeralEvent.of(roomId, EphemeralEventType.TYPING_START, userIds[room], Map.of()));
                }
            }
            awaitBurst();
        }

        private void startBurst() {
            burstDone = new CountDownLatch(subscriptions);
            target += BURST;
            bursts++;
        }

        private void awaitBurst() throws InterruptedException {
            if (!burstDone.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("A burst was not delivered within 60 s");
            }
        }

        @TearDown
        public void close() {
            long expected = bursts * BURST * subscriptions;
            long dropped = realtime.droppedCount();
            realtime.close();
            if (dropped != 0 || deliveries.sum() != expected) {
                throw new IllegalStateException("Expected " + expected + " deliveries and no drops, got "
                        + deliveries.sum() + " deliveries and " + dropped + " drops");
            }
        }

        /** Counts its subscription's deliveries; the realtime backend runs it for one event at a time. */
        private final class CountingListener implements io.roomkit.realtime.EphemeralListener {

            private long received;

            @Override
            public void onEvent(EphemeralEvent event) {
                deliveries.increment();
                if (++received == target) {
                    burstDone.countDown();
                }
            }
        }
    }
}
