package io.roomkit.benchmarks;

import io.roomkit.RoomKit;
import io.roomkit.channel.ConnectionSink;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.InboundResult;
import io.roomkit.pipeline.NonBlocking;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code processInbound} of a text message into a given room, through the whole pipeline: room resolution,
 * room lock, status gate, hooks, commit, and delivery to the room's other channel (a WebSocket channel with one
 * connection). Stores: in memory, JPA on H2 in memory, JPA on PostgreSQL (a schema of its own, dropped after
 * the run; without PostgreSQL those runs fail with a "SKIPPED" message and the others go on). One busy room
 * ({@code rooms=1}) or writers spread over 1,000 rooms, with 1 or 4 writer threads, each writing through its own
 * channel. Four warm-up iterations of 4 s: Hibernate's code paths are still being compiled after the first ten
 * seconds on a 2-core machine.
 */
@BenchmarkMode({ Mode.Throughput, Mode.SampleTime })
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 4)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = { "-Xms2g", "-Xmx2g" })
@State(Scope.Benchmark)
public class InboundBenchmark {

    /** Writer channels registered up front, one per writer thread. */
    static final int MAX_WRITERS = 4;

    @Param({ "memory", "h2", "postgres" })
    public String store;

    @Param({ "1", "1000" })
    public int rooms;

    private ConfigurableApplicationContext context;
    private Databases.PostgresSchema schema;
    private RoomKit kit;
    private String[] roomIds;
    private final LongAdder delivered = new LongAdder();
    private final AtomicInteger writers = new AtomicInteger();

    @Setup(Level.Trial)
    public void startStore() {
        switch (store) {
            case "memory" -> {
            }
            case "h2" -> context = Databases.startJpa(Databases.newH2Url());
            case "postgres" -> {
                Databases.requirePostgres("InboundBenchmark with store=postgres");
                schema = Databases.newPostgresSchema();
                context = Databases.startJpa(schema.url());
            }
            default -> throw new IllegalArgumentException("store must be memory, h2 or postgres, was " + store);
        }
        if (context != null) {
            openRooms(context.getBean(RoomKit.class));
        }
    }

    /**
     * The in-memory store starts afresh every iteration, so that a long run does not fill the heap; the
     * database stores keep their rooms (and rows) for the whole trial.
     */
    @Setup(Level.Iteration)
    public void freshMemoryStore() {
        if (context == null) {
            if (kit != null) {
                kit.close();
            }
            openRooms(new RoomKit());
        }
    }

    private void openRooms(RoomKit roomKit) {
        kit = roomKit;
        for (int writer = 0; writer < MAX_WRITERS; writer++) {
            kit.registerChannelIfAbsent(new WebSocketChannel(writerChannel(writer)));
        }
        WebSocketChannel reader = new WebSocketChannel("ws-reader");
        // a sink that only counts never blocks, like the STOMP broadcast of a deployment: delivered on the writer's thread
        reader.connect("tab-1", (ConnectionSink & NonBlocking) event -> delivered.increment());
        kit.registerChannel(reader);
        String run = UUID.randomUUID().toString().substring(0, 8);
        roomIds = new String[rooms];
        for (int room = 0; room < rooms; room++) {
            roomIds[room] = "bench-" + run + "-" + room;
            kit.createRoom(roomIds[room]);
            kit.attachChannel(roomIds[room], reader.id());
            for (int writer = 0; writer < MAX_WRITERS; writer++) {
                kit.attachChannel(roomIds[room], writerChannel(writer));
            }
        }
        InboundResult probe = kit.processInbound(InboundMessage.text(writerChannel(0), "writer-0", "probe"),
                roomIds[0]);
        if (probe.blocked() || probe.event() == null) {
            throw new IllegalStateException("The pipeline refused the probe message: " + probe.reason());
        }
    }

    static String writerChannel(int writer) {
        return "ws-writer-" + writer;
    }

    @TearDown(Level.Trial)
    public void stopStore() {
        if (delivered.sum() == 0) {
            throw new IllegalStateException("No event was delivered to the room's reader");
        }
        if (context != null) {
            context.close();
        }
        else if (kit != null) {
            kit.close();
        }
        if (schema != null) {
            schema.close();
        }
    }

    @Benchmark
    @Threads(1)
    public InboundResult oneWriter(Writer writer) {
        return writer.write(this);
    }

    @Benchmark
    @Threads(MAX_WRITERS)
    public InboundResult fourWriters(Writer writer) {
        return writer.write(this);
    }

    /** One writer thread: its own channel and sender, and its own walk over the rooms. */
    @State(Scope.Thread)
    public static class Writer {

        private String channelId;
        private String senderId;
        private int next;
        private long sequence;

        @Setup(Level.Trial)
        public void join(InboundBenchmark benchmark) {
            int index = benchmark.writers.getAndIncrement() % MAX_WRITERS;
            channelId = writerChannel(index);
            senderId = "writer-" + index;
            next = index * 250;
        }

        InboundResult write(InboundBenchmark benchmark) {
            String roomId = benchmark.roomIds[next++ % benchmark.roomIds.length];
            return benchmark.kit.processInbound(InboundMessage.text(channelId, senderId, "message " + sequence++),
                    roomId);
        }
    }
}
