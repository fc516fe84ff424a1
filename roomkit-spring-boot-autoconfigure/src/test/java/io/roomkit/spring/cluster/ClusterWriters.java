package io.roomkit.spring.cluster;

import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.InboundMessage;
import io.roomkit.spring.boot.RoomKitHealthIndicator;
import org.springframework.boot.health.contributor.Status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.roomkit.spring.test.TestServices.healthWithin;
import static org.awaitility.Awaitility.await;

/**
 * One writer per node, each storing messages in a room as fast as its node takes them, for the fault tests:
 * they show that writers go on through an outage ({@link #awaitMore}) and stop on request ({@link #stop}).
 */
final class ClusterWriters implements AutoCloseable {

    static final Duration GENEROUS = Duration.ofSeconds(60);

    private final AtomicBoolean writing = new AtomicBoolean(true);
    private final AtomicLong written = new AtomicLong();
    private final ExecutorService pool;
    private final List<Future<?>> done = new ArrayList<>();

    /** Starts a writer on each node, writing to {@code room}. */
    ClusterWriters(List<ClusterNode> nodes, String room) {
        this.pool = Executors.newFixedThreadPool(nodes.size());
        for (ClusterNode node : nodes) {
            String user = "writer-" + node.port();
            node.kit().registerChannelIfAbsent(new WebSocketChannel("ws-" + user));
            done.add(pool.submit(() -> {
                for (int i = 0; writing.get(); i++) {
                    node.kit().processInbound(InboundMessage.text("ws-" + user, user, user + ":" + i), room);
                    written.incrementAndGet();
                }
                return null;
            }));
        }
    }

    /** Waits until the writers have stored {@code more} events beyond those stored when called. */
    void awaitMore(long more) {
        long target = written.get() + more;
        await().atMost(GENEROUS).until(() -> written.get() >= target);
    }

    /** Stops the writers and rethrows the first failure one of them met. */
    void stop() throws Exception {
        writing.set(false);
        for (Future<?> writer : done) {
            writer.get();
        }
    }

    /** Waits until every node's {@code roomkit} health indicator answers {@code status}. */
    static void awaitHealth(List<ClusterNode> nodes, Status status) {
        for (ClusterNode node : nodes) {
            RoomKitHealthIndicator health = node.bean(RoomKitHealthIndicator.class);
            await().atMost(GENEROUS).until(() -> healthWithin(health).getStatus().equals(status));
        }
    }

    @Override
    public void close() {
        writing.set(false);
        pool.shutdownNow();
    }
}
