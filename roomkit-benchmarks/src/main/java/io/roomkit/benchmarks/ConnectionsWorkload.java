package io.roomkit.benchmarks;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * Idle connections, weighed: N clients connect, subscribe and stay idle, and the server's heap after garbage
 * collection is read before and after; the difference divided by the open connections is the heap per idle
 * connection. Also reports how long the clients took to connect and subscribe (until the server counts every
 * subscription) and how many presence frames they received meanwhile, which is what presence costs a server.
 */
final class ConnectionsWorkload implements Workload {

    /** Opened and closed before weighing, so that structures created lazily for the first ones are not counted. */
    private static final int WARM_UP_CLIENTS = 200;

    private final String label;
    private final ServerHandle server;
    private final LoadOptions options;
    private final ClientPool pool;
    /** Presence frames received by the measured clients. */
    private final LongAdder presence = new LongAdder();
    private StompConnection[] connections;

    ConnectionsWorkload(String label, ServerHandle server, LoadOptions options) {
        this.label = label;
        this.server = server;
        this.options = options;
        this.pool = new ClientPool(server, options, this::onFrame);
    }

    /** As many connections as asked for, or as many as the free file descriptors allow, and why. */
    private record Capacity(int count, String note) {
    }

    @Override
    public LoadResult run() throws Exception {
        Capacity capacity = capacity(options.clients());
        try {
            warmUp(capacity.count());
            return weigh(capacity);
        }
        finally {
            if (connections != null) {
                pool.disconnect(connections);
            }
            Thread.sleep(500); // lets the DISCONNECT frames leave before the client's threads go
            pool.shutdown();
        }
    }

    private Capacity capacity(int requested) {
        long fds = ClientPool.freeFileDescriptors();
        long perClient = options.inProcess() ? 2 : 1;
        if (fds < 0 || requested * perClient <= fds - 200) {
            return new Capacity(requested, "");
        }
        int count = (int) Math.max(1, (fds - 200) / perClient);
        String note = "asked for " + requested + " connections, but only " + fds + " file descriptors are free ("
                + (options.inProcess() ? "2 per connection in one JVM" : "1 per connection") + ", ulimit -n "
                + "hard limit); measured " + count;
        System.err.println("Load tool: " + note);
        return new Capacity(count, note);
    }

    /** Opens and closes some connections, and waits until the server has forgotten them. */
    private void warmUp(int count) throws InterruptedException {
        StompConnection[] warmUp = pool.connect("w", Math.min(WARM_UP_CLIENTS, count));
        pool.awaitSubscriptions(warmUp.length, 60);
        pool.disconnect(warmUp);
        pool.awaitSubscriptions(0, 30);
    }

    private LoadResult weigh(Capacity capacity) throws InterruptedException {
        long serverBefore = server.heapAfterGc();
        long clientBefore = clientHeap();
        presence.reset();
        long connectStarted = System.nanoTime();
        connections = pool.connect("u", capacity.count());
        long connected = count(connection -> connection != null);
        pool.awaitSubscriptions(connected, Math.max(60, connected / 50));
        double connectSeconds = (pool.subscribedAt() - connectStarted) / 1e9;
        // RoomKit announces every arrival to the room; let those presence frames drain before weighing. A fixed
        // time, as long as 15 s: the count of presence deliveries is the figure, so there is nothing to wait for
        Thread.sleep(Math.max(1000, Math.min(15_000, 2L * connected)));
        long presenceDeliveries = presence.sum();
        long serverAfter = server.heapAfterGc();
        long clientAfter = clientHeap();
        long open = count(connection -> connection != null && !connection.isClosed());
        System.err.printf(Locale.ROOT, "Load tool: %d connections open; heap (%s) %d -> %d bytes%n", open,
                server.heapScope(), serverBefore, serverAfter);
        System.err.printf(Locale.ROOT, "Load tool: connected and subscribed in %.1f s; %d presence "
                + "deliveries (events and diffs) received%n", connectSeconds, presenceDeliveries);
        hold(open);
        String problems = pool.firstProblem() == null ? "" : "first problem: " + pool.firstProblem();
        return new LoadResult(label, options.workload().label(), options.clients(), options.rooms(), 0, 0, 0, 0, 0,
                0, pool.errors(), pool.closed(), 0, 0, 0, 0, open, perConnection(serverBefore, serverAfter, open),
                perConnection(clientBefore, clientAfter, open), server.heapScope(),
                (capacity.note() + " " + problems + " heap per connection measured on: " + server.heapScope()).trim(),
                connectSeconds, presenceDeliveries);
    }

    /** The tool's own heap after garbage collection, or -1 when the server shares its JVM. */
    private long clientHeap() {
        return options.inProcess() ? -1 : LoadServer.usedHeapAfterGc();
    }

    private static long perConnection(long before, long after, long open) {
        return before < 0 || open == 0 ? -1 : (after - before) / open;
    }

    private long count(Predicate<StompConnection> which) {
        long count = 0;
        for (StompConnection connection : connections) {
            if (which.test(connection)) {
                count++;
            }
        }
        return count;
    }

    /** {@code --hold}: keeps the connections open for a look at the server from outside. */
    private void hold(long open) throws InterruptedException {
        if (options.holdSeconds() > 0) {
            System.err.printf(Locale.ROOT, "Load tool: holding %d connections for %.0f s%n", open,
                    options.holdSeconds());
            Thread.sleep((long) (options.holdSeconds() * 1000)); // what --hold asks for
        }
    }

    private void onFrame(StompConnection connection, String subscription, String body, long receivedNanos) {
        if (ClientPool.EPHEMERAL.equals(subscription) && FrameBodies.ephemeral(body).isPresence()) {
            presence.increment();
        }
    }
}
