package io.roomkit.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

/**
 * Frames sent by every client to its room and delivered to every member of the room, at a fixed total rate
 * ({@code --rate}, round-robin over the clients) or as fast as the server answers ({@code --rate 0}: each client
 * keeps {@code --window} frames in flight, its own delivery being the acknowledgement). After a warm-up, the
 * frames due in the measured window and their deliveries are counted, with the latency from the moment a frame
 * was due to the moment a client read its delivery.
 * <p>
 * The subclasses say what a frame is and how a delivery is matched to the send it answers.
 */
abstract sealed class TrafficWorkload implements Workload permits TypingWorkload, MessagesWorkload {

    private final LoadOptions options;
    final int clients;
    final int rooms;
    private final ClientPool pool;
    private final String label;
    private final String[] destinations;
    private final Handshake handshake;
    private final LatencyHistogram latencies = new LatencyHistogram();
    private final LongAdder sentInWindow = new LongAdder();
    private final LongAdder expectedInWindow = new LongAdder();
    private final LongAdder receivedInWindow = new LongAdder();
    private final LongAdder unmatched = new LongAdder();
    private final LongAdder deliveredInWindow = new LongAdder();
    private StompConnection[] connections;
    private volatile long measureStart = Long.MAX_VALUE;
    private volatile long measureEnd = Long.MAX_VALUE;
    private volatile boolean flowing;
    /** Until the handshake is done, typing events are greetings ({@link Handshake}) rather than deliveries. */
    private volatile boolean handshaking = true;

    /** @param destination where the clients of a room, given its id, send their frames */
    TrafficWorkload(String label, ServerHandle server, LoadOptions options, UnaryOperator<String> destination) {
        this.label = label;
        this.options = options;
        this.clients = options.clients();
        this.rooms = options.rooms();
        this.pool = new ClientPool(server, options, this::onFrame);
        this.handshake = new Handshake(clients, rooms);
        this.destinations = new String[clients];
        for (int i = 0; i < clients; i++) {
            destinations[i] = destination.apply(LoadRooms.roomOf(i, rooms));
        }
    }

    /** Sends client {@code client}'s next frame, due at {@code due}. */
    abstract void send(int client, StompConnection connection, String destination, long due);

    /** A typing event from {@code sender} read by {@code receiver} after the handshake. */
    abstract void onTyping(int sender, int receiver, boolean start, long receivedNanos);

    /** A stored event read by {@code receiver}. */
    abstract void onEvent(int receiver, FrameBodies.Event event, long receivedNanos);

    @Override
    public LoadResult run() throws Exception {
        long fds = ClientPool.freeFileDescriptors();
        long needed = (long) clients * (options.inProcess() ? 2 : 1);
        if (fds >= 0 && needed > fds - 100) {
            throw new IllegalStateException("Not enough file descriptors for " + clients + " clients: " + fds
                    + " free, " + needed + " needed (ulimit -n)");
        }
        try {
            connections = pool.connect("u", clients);
            for (StompConnection connection : connections) {
                if (connection == null) {
                    throw new IllegalStateException("Not every client connected: " + pool.firstProblem());
                }
            }
            if (!pool.awaitSubscriptions(clients, 60)) {
                throw new IllegalStateException("Subscriptions incomplete: " + pool.firstProblem());
            }
            handshake.perform(connections, pool);
            handshaking = false;
            return measure();
        }
        finally {
            if (connections != null) {
                pool.disconnect(connections);
            }
            Thread.sleep(200); // lets the DISCONNECT frames leave before the client's threads go
            pool.shutdown();
        }
    }

    private LoadResult measure() throws InterruptedException {
        long start = System.nanoTime();
        measureStart = start + (long) (options.warmupSeconds() * 1e9);
        measureEnd = measureStart + (long) (options.durationSeconds() * 1e9);
        if (options.rate() > 0) {
            pace(start);
        }
        else {
            flow();
        }
        drain();
        pool.reportResubscriptions();
        String note = (pool.firstProblem() == null ? "" : "first problem: " + pool.firstProblem())
                + (unmatched.sum() == 0 ? "" : " unmatched frames: " + unmatched.sum());
        return new LoadResult(label, options.workload().label(), clients, rooms, options.rate(),
                options.durationSeconds(), sentInWindow.sum(), expectedInWindow.sum(), receivedInWindow.sum(),
                deliveredInWindow.sum(), pool.errors(), pool.closed(), ms(latencies.percentile(0.50)),
                ms(latencies.percentile(0.95)), ms(latencies.percentile(0.99)), ms(latencies.max()), clients, -1, -1,
                "", note.trim(), -1, -1);
    }

    /** Sends at the target rate, round-robin over the clients, until the end of the measurement. */
    private void pace(long start) {
        double period = 1e9 / options.rate();
        for (long k = 0;; k++) {
            long due = start + (long) (k * period);
            if (due >= measureEnd) {
                return;
            }
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                // parking overshoots by tens of microseconds: park for most of the wait, spin for the rest
                if (wait > 200_000) {
                    LockSupport.parkNanos(wait - 100_000);
                }
                else {
                    Thread.onSpinWait();
                }
            }
            sendOne((int) (k % clients), due);
        }
    }

    /** Fills every client's window; from then on each delivery of a client's own frame sends its next one. */
    private void flow() throws InterruptedException {
        flowing = true;
        for (int w = 0; w < options.window(); w++) {
            for (int i = 0; i < clients; i++) {
                sendOne(i, System.nanoTime());
            }
        }
        long wait;
        while ((wait = measureEnd - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, Math.min(200, wait / 1_000_000))); // the window is a time: wait for its end
        }
        flowing = false;
    }

    private void sendOne(int client, long due) {
        if (due >= measureStart && due < measureEnd) {
            sentInWindow.increment();
            expectedInWindow.add(LoadRooms.size(client % rooms, clients, rooms));
        }
        send(client, connections[client], destinations[client], due);
    }

    /** Waits until every frame sent in the window has arrived, or nothing has arrived for 3 s. */
    private void drain() throws InterruptedException {
        long last = -1;
        long quietSince = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (receivedInWindow.sum() < expectedInWindow.sum() && System.nanoTime() < deadline) {
            long now = receivedInWindow.sum();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
            else if (System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(3)) {
                pool.problem("nothing arrived for 3 s with " + (expectedInWindow.sum() - now)
                        + " deliveries missing");
                return;
            }
            Thread.sleep(50); // polling interval of the delivery counters
        }
    }

    private void onFrame(StompConnection connection, String subscription, String body, long receivedNanos) {
        if (ClientPool.EPHEMERAL.equals(subscription)) {
            onEphemeral(connection.index(), FrameBodies.ephemeral(body), receivedNanos);
        }
        else if (ClientPool.EVENTS.equals(subscription)) {
            onEvent(connection.index(), FrameBodies.event(body), receivedNanos);
        }
    }

    /** A typing event goes to the handshake while it lasts, to {@link #onTyping} after; other events are ignored. */
    private void onEphemeral(int receiver, FrameBodies.Ephemeral event, long receivedNanos) {
        if (!event.isTyping()) {
            return;
        }
        int sender = clientOf(event.userId());
        if (sender < 0) {
            unmatched();
            return;
        }
        if (handshaking) {
            handshake.onTyping(receiver, sender / rooms, event.isTypingStart());
            return;
        }
        onTyping(sender, receiver, event.isTypingStart(), receivedNanos);
    }

    /** The index of the client logged in as {@code u<index>}, or -1 if {@code userId} is not one of them. */
    static int clientOf(String userId) {
        if (userId == null || userId.length() < 2 || !userId.startsWith("u")) {
            return -1;
        }
        try {
            return Integer.parseInt(userId, 1, userId.length(), 10);
        }
        catch (NumberFormatException ex) {
            return -1;
        }
    }

    /** A delivery that no send of this run explains. */
    final void unmatched() {
        unmatched.increment();
    }

    /**
     * {@code receiver} read, at {@code receivedNanos}, the delivery of {@code sender}'s frame due at {@code due}.
     * A sender's own delivery acknowledges its frame: with {@code --rate 0} it sends the next one.
     */
    final void arrived(int sender, int receiver, long due, long receivedNanos) {
        if (receivedNanos >= measureStart && receivedNanos < measureEnd) {
            deliveredInWindow.increment();
        }
        if (due >= measureStart && due < measureEnd) {
            latencies.record(receivedNanos - due);
            receivedInWindow.increment();
        }
        if (flowing && sender == receiver) {
            sendOne(sender, System.nanoTime());
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
