package io.roomkit.benchmarks;

import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import io.roomkit.realtime.InMemoryRealtime;
import io.roomkit.realtime.RealtimeBackend;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Latency from {@code publish} to the listener of {@link InMemoryRealtime}, at a fixed publish rate, for one room
 * with {@code subscribers} subscribers. Each sample is the time from {@code publish} until the <em>last</em>
 * subscriber has the event; JMH's sample mode reports its percentiles. The pause that keeps the rate runs in an
 * invocation-level set-up, outside the measured time.
 * <p>
 * {@code backend=executor} is the yardstick: the same hand-off written with a plain {@link ThreadPoolExecutor} of
 * as many threads as RoomKit's dispatcher starts with, one task per subscriber. Below it, RoomKit cannot go; at a
 * low rate both mostly measure how long the machine takes to wake a parked thread.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
@State(Scope.Benchmark)
public class PublishLatencyBenchmark {

    /** Publishes per second. */
    @Param({ "1000", "10000" })
    public int rate;

    @Param({ "10" })
    public int subscribers;

    @Param({ "roomkit", "executor" })
    public String backend;

    private InMemoryRealtime realtime;
    private ThreadPoolExecutor executor;
    private Runnable delivery;
    private String channel;
    private EphemeralEvent event;
    private long periodNanos;
    private long nextPublish;
    private final AtomicInteger outstanding = new AtomicInteger();

    @Setup
    public void open() {
        realtime = new InMemoryRealtime();
        channel = RealtimeBackend.roomChannel("latency");
        event = EphemeralEvent.of("latency", EphemeralEventType.TYPING_START, "alice", Map.of());
        switch (backend) {
            case "roomkit" -> {
                for (int i = 0; i < subscribers; i++) {
                    realtime.subscribe(channel, received -> outstanding.decrementAndGet());
                }
            }
            case "executor" -> {
                int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
                executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
                executor.prestartAllCoreThreads();
                delivery = outstanding::decrementAndGet;
            }
            default -> throw new IllegalArgumentException("backend must be roomkit or executor, was " + backend);
        }
        periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        nextPublish = System.nanoTime();
    }

    /** Waits for the next publish slot; a run that fell behind starts a new schedule instead of bursting. */
    @Setup(Level.Invocation)
    public void pace() {
        nextPublish += periodNanos;
        long now = System.nanoTime();
        if (nextPublish < now - periodNanos) {
            nextPublish = now;
        }
        long wait;
        while ((wait = nextPublish - System.nanoTime()) > 0) {
            if (wait > 100_000) {
                LockSupport.parkNanos(wait - 60_000);
            }
            else {
                Thread.onSpinWait();
            }
        }
    }

    @Benchmark
    public void publishToLastSubscriber() {
        outstanding.set(subscribers);
        if (executor == null) {
            realtime.publish(channel, event);
        }
        else {
            for (int i = 0; i < subscribers; i++) {
                executor.execute(delivery);
            }
        }
        long spins = 0;
        while (outstanding.get() > 0) {
            Thread.onSpinWait();
            if ((++spins & 0xFFFF) == 0 && System.nanoTime() - nextPublish > TimeUnit.SECONDS.toNanos(10)) {
                throw new IllegalStateException("An event did not reach every subscriber within 10 s");
            }
        }
    }

    @TearDown
    public void close() {
        realtime.close();
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
