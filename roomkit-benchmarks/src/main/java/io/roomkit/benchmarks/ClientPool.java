package io.roomkit.benchmarks;

import io.roomkit.concurrent.DaemonThreads;

import com.sun.management.UnixOperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The STOMP clients of one workload run: connects them, each subscribed to its room's two topics and its error
 * queue, waits until the server has every subscription, and keeps the count of what went wrong. Frames of the
 * room topics go to the workload's {@link Listener}; the error queue is handled here, the same for every workload.
 */
final class ClientPool implements StompConnection.Handler {

    /** Subscription id of a client's room's {@link LoadRooms#eventsTopic events topic}. */
    static final String EVENTS = "m";
    /** Subscription id of a client's room's {@link LoadRooms#ephemeralTopic ephemeral topic}. */
    static final String EPHEMERAL = "e";
    /** Subscription id of a client's {@link LoadRooms#ERRORS_QUEUE error queue}. */
    static final String ERRORS = "err";

    /** How long a client waits before it subscribes again to a destination refused for a moment. */
    private static final long RESUBSCRIBE_PAUSE_MS = 250;
    /** Clients that share one JDK HttpClient (and its selector thread). */
    private static final int CLIENTS_PER_HTTP_CLIENT = 2000;

    /** What a workload does with the frames of its clients' room topics. */
    @FunctionalInterface
    interface Listener {

        /** A MESSAGE frame on subscription {@link #EVENTS} or {@link #EPHEMERAL}, read at {@code receivedNanos}. */
        void onFrame(StompConnection connection, String subscription, String body, long receivedNanos);
    }

    private final ServerHandle server;
    private final LoadOptions options;
    private final Listener listener;
    private final ExecutorService clientExecutor;
    private final List<HttpClient> httpClients = new ArrayList<>();
    private final LongAdder errors = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final LongAdder resubscribed = new LongAdder();
    private final AtomicReference<String> firstProblem = new AtomicReference<>();
    /** When {@link #awaitSubscriptions} last saw every subscription, in {@link System#nanoTime} terms. */
    private volatile long subscribedAt;

    ClientPool(ServerHandle server, LoadOptions options, Listener listener) {
        this.server = server;
        this.options = options;
        this.listener = listener;
        this.clientExecutor = Executors.newFixedThreadPool(options.clientThreads(),
                DaemonThreads.named("load-client-"));
    }

    /** File descriptors this process may still open, or -1 if unknown. */
    static long freeFileDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount();
        }
        return -1;
    }

    private HttpClient httpClient(int index) {
        int pool = index / CLIENTS_PER_HTTP_CLIENT;
        while (httpClients.size() <= pool) {
            httpClients.add(HttpClient.newBuilder().executor(clientExecutor)
                    .connectTimeout(Duration.ofSeconds(30)).build());
        }
        return httpClients.get(pool);
    }

    /**
     * Opens {@code count} connections as users {@code <prefix><i>}, subscribed to their room's two topics and
     * to their error queue; returns them (a failed one is {@code null}).
     */
    StompConnection[] connect(String prefix, int count) throws InterruptedException {
        StompConnection[] connections = new StompConnection[count];
        Semaphore inFlight = new Semaphore(options.connectConcurrency());
        CountDownLatch done = new CountDownLatch(count);
        AtomicInteger failed = new AtomicInteger();
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            int index = i;
            String room = LoadRooms.roomOf(i, options.rooms());
            StompConnection.open(httpClient(i), server.uri(), i, prefix + i, this, Duration.ofSeconds(60))
                    .whenComplete((connection, failure) -> {
                        if (failure == null) {
                            subscribe(connection, room);
                            connections[index] = connection;
                        }
                        else if (failed.getAndIncrement() == 0) {
                            problem("connect failed: " + failure);
                        }
                        inFlight.release();
                        done.countDown();
                    });
        }
        if (!done.await(Math.max(60, count / 20), TimeUnit.SECONDS)) {
            problem("connecting timed out");
        }
        System.err.printf(Locale.ROOT, "Load tool: %d of %d clients connected in %.1f s%n",
                count - failed.get() - done.getCount(), count, (System.nanoTime() - started) / 1e9);
        return connections;
    }

    private static void subscribe(StompConnection connection, String room) {
        // the error queue first: a refused subscription is reported there
        connection.subscribe(ERRORS, LoadRooms.ERRORS_QUEUE);
        connection.subscribe(EVENTS, LoadRooms.eventsTopic(room));
        connection.subscribe(EPHEMERAL, LoadRooms.ephemeralTopic(room));
    }

    /** Waits until the server reports {@code sessions} sessions with three subscriptions each. */
    boolean awaitSubscriptions(long sessions, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long[] counts = server.subscriptions();
        if (counts == null) {
            subscribedAt = System.nanoTime(); // an external server: only the clients' side is known
            // nothing to ask whether the subscriptions are live: give the server a fixed moment (a measuring tool's
            // settle time, not a synchronisation the results depend on: the handshake checks delivery next)
            Thread.sleep(2000);
            return true;
        }
        while (counts[0] != sessions || counts[1] != sessions * 3) {
            if (System.nanoTime() > deadline) {
                problem("server reports " + counts[0] + " sessions and " + counts[1] + " subscriptions, expected "
                        + sessions + " and " + sessions * 3);
                return false;
            }
            Thread.sleep(200); // polling interval of the server's counters
            counts = server.subscriptions();
        }
        subscribedAt = System.nanoTime();
        Thread.sleep(300); // settle time kept from the runs the README reports, so that new figures compare
        return true;
    }

    /** When {@link #awaitSubscriptions} last saw every subscription, in {@link System#nanoTime} terms. */
    long subscribedAt() {
        return subscribedAt;
    }

    void disconnect(StompConnection[] connections) {
        for (StompConnection connection : connections) {
            if (connection != null) {
                connection.close();
            }
        }
    }

    void shutdown() {
        httpClients.clear();
        clientExecutor.shutdownNow();
    }

    /** Notes a problem; the first one is printed and ends up in the result's note. */
    void problem(String text) {
        if (firstProblem.compareAndSet(null, text)) {
            System.err.println("Load tool: " + text);
        }
    }

    /** The first problem noted, or {@code null}. */
    String firstProblem() {
        return firstProblem.get();
    }

    /** Error frames and refusals received. */
    long errors() {
        return errors.sum();
    }

    /** Connections the server closed or lost. */
    long closed() {
        return closed.sum();
    }

    /** Says how many subscriptions were refused for a moment and made again, if any were. */
    void reportResubscriptions() {
        if (resubscribed.sum() > 0) {
            System.err.println("Load tool: " + resubscribed.sum() + " subscriptions were refused for a moment "
                    + "(unavailable) and made again");
        }
    }

    @Override
    public void onMessage(StompConnection connection, String subscription, String body, long receivedNanos) {
        if (ERRORS.equals(subscription)) {
            onServerError(connection, body);
        }
        else {
            listener.onFrame(connection, subscription, body, receivedNanos);
        }
    }

    /**
     * A message on a client's error queue. A subscription refused for a moment ({@code unavailable}: the
     * server's store did not answer in time, as on a cold node with every client joining at once) is made
     * again after a pause, as the protocol asks clients to; anything else is an error of the run.
     */
    private void onServerError(StompConnection connection, String body) {
        FrameBodies.ServerError error = FrameBodies.serverError(body);
        String destination = error.destination();
        String id = subscriptionOf(destination);
        if (id != null && error.isTransient()) {
            resubscribed.increment();
            CompletableFuture.delayedExecutor(RESUBSCRIBE_PAUSE_MS, TimeUnit.MILLISECONDS)
                    .execute(() -> connection.subscribe(id, destination));
            return;
        }
        errors.increment();
        problem("client " + connection.login() + " got an error: " + body);
    }

    /** The id a client subscribes to {@code destination} with, if it is one of its room's topics. */
    private static String subscriptionOf(String destination) {
        if (destination == null) {
            return null;
        }
        return destination.endsWith(".events") ? EVENTS : destination.endsWith(".ephemeral") ? EPHEMERAL : null;
    }

    @Override
    public void onError(StompConnection connection, String frame) {
        errors.increment();
        problem("client " + connection.login() + ": " + frame);
    }

    @Override
    public void onClosed(StompConnection connection, String reason) {
        closed.increment();
        problem("client " + connection.login() + " lost its connection: " + reason);
    }
}
