package io.roomkit.benchmarks;

import com.sun.management.UnixOperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;

/**
 * Load tool: real STOMP-over-WebSocket clients on loopback against a RoomKit server (the starter's STOMP
 * configuration, as in the sample application) and, with {@code --baseline}, against plain Spring STOMP
 * ({@link BaselineStompConfiguration}), one after the other in the same run, so that the ratio of the two is
 * measured under the same conditions.
 * <p>
 * Workloads:
 * <ul>
 * <li>{@code typing}: clients send typing frames ({@code /app/rooms.<id>.typing}); every client of the room,
 * the sender included, receives the typing event on {@code /topic/rooms.<id>.ephemeral};</li>
 * <li>{@code messages}: clients send text messages ({@code /app/rooms.<id>.messages}) that arrive as events on
 * {@code /topic/rooms.<id>.events};</li>
 * <li>{@code connections}: N idle clients connect and subscribe; heap per connection is measured.</li>
 * </ul>
 * {@code --rate} is the total rate at which clients send, spread round-robin over them; {@code --rate 0} sends
 * as fast as the server answers, each client keeping {@code --window} frames in flight (its own echo is the
 * acknowledgement). Client {@code i} is user {@code u<i>} in room {@code load-<i % rooms>}. Runs are bounded:
 * connect, warm-up, measurement and drain each have a time limit, and the tool exits by itself.
 * <p>
 * Run {@code java -cp target/benchmarks.jar io.roomkit.benchmarks.LoadTool --help} for the options.
 */
public final class LoadTool {

    /** The options of a run. */
    public static final class Options {

        public String workload = "typing";
        public int clients = 100;
        public int rooms = 10;
        public double rate = 10_000;
        public int window = 4;
        /**
         * Long, because a fresh server JVM on 2 cores spends its first ~40 s of traffic compiling Spring's messaging
         * and Tomcat's WebSocket code with C2 (seen with {@code jstat -compiler}); latencies measured before that
         * are the JIT's, not the server's.
         */
        public double warmupSeconds = 40;
        public double durationSeconds = 10;
        public List<LoadServer.Kind> servers = new ArrayList<>(List.of(LoadServer.Kind.ROOMKIT));
        public String store = "memory";
        public boolean inProcess;
        public String serverHeap = "2g";
        public URI url;
        public int connectConcurrency = 64;
        public int clientThreads = 2;
        public int clientsPerHttpClient = 2000;
        public int repeat = 1;
        public long maxSeconds;
        public double holdSeconds;

        static Options parse(String... args) {
            Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--baseline" -> options.servers = new ArrayList<>(List.of(LoadServer.Kind.ROOMKIT,
                            LoadServer.Kind.BASELINE));
                    case "--in-process" -> options.inProcess = true;
                    case "--help", "-h" -> {
                        System.out.println(usage());
                        System.exit(0);
                    }
                    default -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("Option " + arg + " needs a value\n" + usage());
                        }
                        String value = args[++i];
                        switch (arg) {
                            case "--workload", "--mode" -> options.workload = value;
                            case "--clients" -> options.clients = Integer.parseInt(value);
                            case "--rooms" -> options.rooms = Integer.parseInt(value);
                            case "--rate" -> options.rate = Double.parseDouble(value);
                            case "--window" -> options.window = Integer.parseInt(value);
                            case "--warmup" -> options.warmupSeconds = Double.parseDouble(value);
                            case "--duration" -> options.durationSeconds = Double.parseDouble(value);
                            case "--servers" -> {
                                options.servers = new ArrayList<>();
                                for (String kind : value.split(",")) {
                                    options.servers.add(LoadServer.Kind.of(kind));
                                }
                            }
                            case "--store" -> options.store = value;
                            case "--server-heap" -> options.serverHeap = value;
                            case "--url" -> options.url = URI.create(value);
                            case "--connect-concurrency" -> options.connectConcurrency = Integer.parseInt(value);
                            case "--client-threads" -> options.clientThreads = Integer.parseInt(value);
                            case "--max-seconds" -> options.maxSeconds = Long.parseLong(value);
                            case "--hold" -> options.holdSeconds = Double.parseDouble(value);
                            case "--repeat" -> options.repeat = Integer.parseInt(value);
                            default -> throw new IllegalArgumentException("Unknown option " + arg + "\n" + usage());
                        }
                    }
                }
            }
            options.validate();
            return options;
        }

        void validate() {
            if (!List.of("typing", "messages", "connections").contains(workload)) {
                throw new IllegalArgumentException("--workload must be typing, messages or connections");
            }
            if (clients < 1 || rooms < 1 || rooms > clients) {
                throw new IllegalArgumentException("need 1 <= --rooms <= --clients");
            }
            if (repeat < 1) {
                throw new IllegalArgumentException("--repeat must be at least 1");
            }
            if (rate < 0 || window < 1 || durationSeconds <= 0 || warmupSeconds < 0) {
                throw new IllegalArgumentException("--rate >= 0, --window >= 1, --duration > 0, --warmup >= 0");
            }
            if (workload.equals("typing") && rate > 0 && clients / rate > 5) {
                throw new IllegalArgumentException("--rate must give each client a typing frame at least every 5 s "
                        + "(the server ends a typing indicator by itself after 10 s, which would add events)");
            }
            if (!List.of("memory", "h2", "postgres").contains(store)) {
                throw new IllegalArgumentException("--store must be memory, h2 or postgres");
            }
            if (url != null) {
                new ServerHandle.External(url);
            }
        }

        long limitSeconds() {
            return maxSeconds > 0 ? maxSeconds
                    : (long) ((warmupSeconds + durationSeconds + holdSeconds + 240) * servers.size() * repeat
                            + clients / 20);
        }

        static String usage() {
            return """
                    Usage: java -cp benchmarks.jar io.roomkit.benchmarks.LoadTool [options]
                      --workload typing|messages|connections   what the clients do (default typing)
                      --clients N              STOMP clients (default 100)
                      --rooms R                rooms; client i joins room i %% R (default 10)
                      --rate E                 frames per second sent by all clients together; 0 = as fast as
                                               the server answers, --window frames in flight per client (default 10000)
                      --window W               frames in flight per client with --rate 0 (default 4)
                      --warmup S               seconds of traffic before measuring (default 40: the server's JIT
                                               needs that long on 2 cores)
                      --duration S             seconds measured (default 10)
                      --baseline               measure RoomKit, then plain Spring STOMP, and print the ratio
                      --servers roomkit,baseline   the same, explicitly (default roomkit)
                      --repeat N               run the servers N times, alternating, and compare the medians
                                               (each server in a fresh JVM: runs on a shared machine vary)
                      --store memory|h2|postgres   RoomKit's store (default memory); postgres: the JPA store on
                                               127.0.0.1:5432 (user postgres, database test) in a schema of the
                                               run's own, dropped afterwards
                      --in-process             run the server in this JVM (default: a child JVM)
                      --server-heap 2g         -Xms/-Xmx of the child JVM (default 2g)
                      --url ws://127.0.0.1:8080/roomkit/ws   use a running server (loopback only)
                      --connect-concurrency C  WebSocket handshakes in flight (default 64)
                      --client-threads T       threads that read the clients' frames (default 2)
                      --hold S                 connections workload: keep the clients connected S seconds more
                      --max-seconds S          hard limit for the whole run (default: derived)
                    """.replace("%%", "%");
        }
    }

    private LoadTool() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(options.limitSeconds()));
                System.err.println("Load tool: --max-seconds " + options.limitSeconds() + " reached, stopping");
                System.exit(2);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }, "load-tool-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        List<LoadResult> results = run(options);
        print(options, results);
        System.exit(0);
    }

    /** Runs the workload against each server of the options, one after the other. */
    public static List<LoadResult> run(Options options) throws Exception {
        List<LoadResult> results = new ArrayList<>();
        if (options.url != null) {
            try (ServerHandle server = new ServerHandle.External(options.url)) {
                results.add(runAgainst("external", server, options));
            }
            return results;
        }
        List<LoadServer.Kind> order = new ArrayList<>();
        for (int round = 0; round < options.repeat; round++) {
            order.addAll(options.servers);
        }
        for (LoadServer.Kind kind : order) {
            System.err.printf(Locale.ROOT, "Load tool: starting %s server (%s)%n", kind.label(),
                    options.inProcess ? "in this JVM" : "child JVM, -Xmx" + options.serverHeap);
            try (ServerHandle server = options.inProcess ? new ServerHandle.InProcess(kind, options.store)
                    : new ServerHandle.Forked(kind, options.store, options.serverHeap, options.limitSeconds())) {
                results.add(runAgainst(kind.label(), server, options));
            }
        }
        return results;
    }

    private static LoadResult runAgainst(String label, ServerHandle server, Options options) throws Exception {
        System.err.printf(Locale.ROOT, "Load tool: %s %s, %d clients in %d rooms against %s%n", label,
                options.workload, options.clients, options.rooms, server.uri());
        if (options.workload.equals("connections")) {
            return new ConnectionsRun(label, server, options).run();
        }
        return new TrafficRun(label, server, options).run();
    }

    static void print(Options options, List<LoadResult> results) {
        System.out.println();
        System.out.println(LoadResult.header());
        for (LoadResult result : results) {
            System.out.println(result.row());
        }
        for (LoadResult result : results) {
            if (result.note() != null && !result.note().isEmpty()) {
                System.out.println(result.server() + ": " + result.note());
            }
            if (result.connectSeconds() >= 0) {
                System.out.printf(Locale.ROOT, "%s: connected and subscribed in %.1f s, %d presence deliveries%n",
                        result.server(), result.connectSeconds(), result.presenceDeliveries());
            }
        }
        List<LoadResult> roomKit = of(results, "roomkit");
        List<LoadResult> baseline = of(results, "baseline");
        if (roomKit.isEmpty() || baseline.isEmpty()) {
            return;
        }
        String runs = roomKit.size() == 1 && baseline.size() == 1 ? ""
                : String.format(Locale.ROOT, " (medians of %d and %d runs)", roomKit.size(), baseline.size());
        if (options.workload.equals("connections")) {
            System.out.printf(Locale.ROOT, "RoomKit/baseline heap per connection: %.2f%s%n",
                    median(roomKit, result -> result.serverHeapPerConnection())
                            / median(baseline, result -> result.serverHeapPerConnection()), runs);
            System.out.printf(Locale.ROOT, "RoomKit/baseline connect time: %.2f (%.1f s vs %.1f s); presence "
                    + "deliveries: RoomKit %.0f, baseline %.0f%s%n",
                    median(roomKit, LoadResult::connectSeconds) / median(baseline, LoadResult::connectSeconds),
                    median(roomKit, LoadResult::connectSeconds), median(baseline, LoadResult::connectSeconds),
                    median(roomKit, LoadResult::presenceDeliveries), median(baseline, LoadResult::presenceDeliveries),
                    runs);
        }
        else {
            System.out.printf(Locale.ROOT, "RoomKit/baseline: deliveries/s %.2f, p50 %.2f, p99 %.2f%s%n",
                    median(roomKit, LoadResult::deliveriesPerSecond) / median(baseline, LoadResult::deliveriesPerSecond),
                    median(roomKit, LoadResult::p50Ms) / median(baseline, LoadResult::p50Ms),
                    median(roomKit, LoadResult::p99Ms) / median(baseline, LoadResult::p99Ms), runs);
        }
    }

    private static List<LoadResult> of(List<LoadResult> results, String server) {
        return results.stream().filter(result -> result.server().equals(server)).toList();
    }

    static double median(List<LoadResult> results, ToDoubleFunction<LoadResult> value) {
        double[] values = results.stream().mapToDouble(value).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    static String roomId(int room) {
        return "load-" + room;
    }

    /** File descriptors this process may still open, or -1 if unknown. */
    static long freeFileDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount();
        }
        return -1;
    }

    /** Connects clients and holds the bookkeeping both workloads share. */
    private abstract static class ClientRun implements StompConnection.Handler {

        /** How long a client waits before it subscribes again to a destination refused for a moment. */
        private static final long RESUBSCRIBE_PAUSE_MS = 250;

        final String label;
        final ServerHandle server;
        final Options options;
        final ExecutorService clientExecutor;
        final List<HttpClient> httpClients = new ArrayList<>();
        final LongAdder errors = new LongAdder();
        final LongAdder closed = new LongAdder();
        final LongAdder resubscribed = new LongAdder();
        final AtomicReference<String> firstProblem = new AtomicReference<>();
        /** When {@link #awaitSubscriptions} last saw every subscription, in {@link System#nanoTime} terms. */
        volatile long subscribedAt;

        ClientRun(String label, ServerHandle server, Options options) {
            this.label = label;
            this.server = server;
            this.options = options;
            AtomicInteger threads = new AtomicInteger();
            this.clientExecutor = Executors.newFixedThreadPool(options.clientThreads, runnable -> {
                Thread thread = new Thread(runnable, "load-client-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        }

        HttpClient httpClient(int index) {
            int pool = index / options.clientsPerHttpClient;
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
            Semaphore inFlight = new Semaphore(options.connectConcurrency);
            CountDownLatch done = new CountDownLatch(count);
            AtomicInteger failed = new AtomicInteger();
            long started = System.nanoTime();
            for (int i = 0; i < count; i++) {
                inFlight.acquire();
                int index = i;
                String room = roomId(i % options.rooms);
                StompConnection.open(httpClient(i), server.uri(), i, prefix + i, this, Duration.ofSeconds(60))
                        .whenComplete((connection, failure) -> {
                            if (failure == null) {
                                // the error queue first: a refused subscription is reported there
                                connection.subscribe("err", "/user/queue/errors");
                                connection.subscribe("m", "/topic/rooms." + room + ".events");
                                connection.subscribe("e", "/topic/rooms." + room + ".ephemeral");
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

        /** Waits until the server reports {@code sessions} sessions with three subscriptions each. */
        boolean awaitSubscriptions(long sessions, long timeoutSeconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            long[] counts = server.subscriptions();
            if (counts == null) {
                subscribedAt = System.nanoTime(); // an external server: only the clients' side is known
                Thread.sleep(2000);
                return true;
            }
            while (counts[0] != sessions || counts[1] != sessions * 3) {
                if (System.nanoTime() > deadline) {
                    problem("server reports " + counts[0] + " sessions and " + counts[1] + " subscriptions, expected "
                            + sessions + " and " + sessions * 3);
                    return false;
                }
                Thread.sleep(200);
                counts = server.subscriptions();
            }
            subscribedAt = System.nanoTime();
            Thread.sleep(300);
            return true;
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

        void problem(String text) {
            if (firstProblem.compareAndSet(null, text)) {
                System.err.println("Load tool: " + text);
            }
        }

        /**
         * A message on a client's error queue. A subscription refused for a moment ({@code unavailable}: the
         * server's store did not answer in time, as on a cold node with every client joining at once) is made
         * again after a pause, as the protocol asks clients to; anything else is an error of the run.
         */
        void onServerError(StompConnection connection, String body) {
            String code = jsonString(body, "code");
            String destination = jsonString(body, "destination");
            String id = destination == null ? null
                    : destination.endsWith(".events") ? "m" : destination.endsWith(".ephemeral") ? "e" : null;
            if (id != null && ("unavailable".equals(code) || "rate_limited".equals(code))) {
                resubscribed.increment();
                CompletableFuture.delayedExecutor(RESUBSCRIBE_PAUSE_MS, TimeUnit.MILLISECONDS)
                        .execute(() -> connection.subscribe(id, destination));
                return;
            }
            errors.increment();
            problem("client " + connection.login() + " got an error: " + body);
        }

        /** Says how many subscriptions were refused for a moment and made again, if any were. */
        void reportResubscriptions() {
            if (resubscribed.sum() > 0) {
                System.err.println("Load tool: " + resubscribed.sum() + " subscriptions were refused for a moment "
                        + "(unavailable) and made again");
            }
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

    /**
     * Typing or message traffic at a fixed rate or as fast as the server answers. A client's typing frames
     * alternate between start and stop, as a person's do: RoomKit absorbs a start that renews a recent one (no
     * broadcast), so a stream of starts would not measure event delivery.
     */
    private static final class TrafficRun extends ClientRun {

        private static final String START = "{\"typing\":true}";
        private static final String STOP = "{\"typing\":false}";

        private final boolean messages;
        private final int clients;
        private final int rooms;
        private final SendLog[] logs;
        private final int[][] seen;
        private final boolean[][] greeted;
        private final boolean[][] synced;
        private final int[] greetedCount;
        private final int[] epochs;
        private final String[] destinations;
        private final CountDownLatch handshake;
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
        private volatile int epoch;

        TrafficRun(String label, ServerHandle server, Options options) {
            super(label, server, options);
            this.messages = options.workload.equals("messages");
            this.clients = options.clients;
            this.rooms = options.rooms;
            this.logs = new SendLog[clients];
            this.seen = new int[clients][];
            this.greeted = new boolean[clients][];
            this.synced = new boolean[clients][];
            this.greetedCount = new int[clients];
            this.epochs = new int[clients];
            this.destinations = new String[clients];
            for (int i = 0; i < clients; i++) {
                logs[i] = new SendLog();
                seen[i] = new int[roomSize(i % rooms)];
                greeted[i] = new boolean[roomSize(i % rooms)];
                synced[i] = new boolean[roomSize(i % rooms)];
                destinations[i] = "/app/rooms." + roomId(i % rooms) + (messages ? ".messages" : ".typing");
            }
            this.handshake = new CountDownLatch(clients);
        }

        private int roomSize(int room) {
            return clients / rooms + (room < clients % rooms ? 1 : 0);
        }

        LoadResult run() throws Exception {
            long fds = freeFileDescriptors();
            long needed = (long) clients * (options.inProcess ? 2 : 1);
            if (fds >= 0 && needed > fds - 100) {
                throw new IllegalStateException("Not enough file descriptors for " + clients + " clients: " + fds
                        + " free, " + needed + " needed (ulimit -n)");
            }
            try {
                connections = connect("u", clients);
                for (StompConnection connection : connections) {
                    if (connection == null) {
                        throw new IllegalStateException("Not every client connected: " + firstProblem.get());
                    }
                }
                if (!awaitSubscriptions(clients, 60)) {
                    throw new IllegalStateException("Subscriptions incomplete: " + firstProblem.get());
                }
                greet();
                return measure();
            }
            finally {
                if (connections != null) {
                    disconnect(connections);
                }
                Thread.sleep(200);
                shutdown();
            }
        }

        /**
         * Every client sends TYPING_STOP until every client has one from each member of its room: then every
         * subscription is known to be live. Then the typing events of each sender are numbered from 0 again, so
         * that the n-th typing event a client receives from a sender is that sender's n-th measured send. Measured
         * sends begin with a start and greetings are stops, so a greeting that arrives late is recognised: stops
         * before a sender's first start are not counted.
         */
        private void greet() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            do {
                for (int i = 0; i < clients; i++) {
                    connections[i].sendJson("/app/rooms." + roomId(i % rooms) + ".typing", "{\"typing\":false}");
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The handshake did not complete: " + handshake.getCount()
                            + " clients miss typing events of their room (" + firstProblem.get() + ")");
                }
            }
            while (!handshake.await(Math.max(1, clients / 200), TimeUnit.SECONDS));
            Thread.sleep(1000);
            epoch = 1;
        }

        private LoadResult measure() throws InterruptedException {
            long start = System.nanoTime();
            measureStart = start + (long) (options.warmupSeconds * 1e9);
            measureEnd = measureStart + (long) (options.durationSeconds * 1e9);
            if (options.rate > 0) {
                pace(start);
            }
            else {
                flowing = true;
                for (int w = 0; w < options.window; w++) {
                    for (int i = 0; i < clients; i++) {
                        sendOne(i, System.nanoTime());
                    }
                }
                long wait;
                while ((wait = measureEnd - System.nanoTime()) > 0) {
                    Thread.sleep(Math.max(1, Math.min(200, wait / 1_000_000)));
                }
                flowing = false;
            }
            drain();
            reportResubscriptions();
            double seconds = options.durationSeconds;
            long received = receivedInWindow.sum();
            long expected = expectedInWindow.sum();
            String note = (firstProblem.get() == null ? "" : "first problem: " + firstProblem.get())
                    + (unmatched.sum() == 0 ? "" : " unmatched frames: " + unmatched.sum());
            return new LoadResult(label, options.workload, clients, rooms, options.rate, seconds, sentInWindow.sum(),
                    expected, received, deliveredInWindow.sum(), errors.sum(), closed.sum(), ms(latencies.percentile(0.50)),
                    ms(latencies.percentile(0.95)), ms(latencies.percentile(0.99)), ms(latencies.max()), clients, -1,
                    -1, "", note.trim(), -1, -1);
        }

        /** Sends at the target rate, round-robin over the clients, until the end of the measurement. */
        private void pace(long start) {
            double period = 1e9 / options.rate;
            for (long k = 0;; k++) {
                long due = start + (long) (k * period);
                if (due >= measureEnd) {
                    return;
                }
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
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

        private void sendOne(int client, long due) {
            if (due >= measureStart && due < measureEnd) {
                sentInWindow.increment();
                expectedInWindow.add(roomSize(client % rooms));
            }
            StompConnection connection = connections[client];
            if (messages) {
                connection.sendJson(destinations[client], "{\"content\":\"" + client + ":" + due + "\"}");
                return;
            }
            synchronized (connection) {
                int sequence = logs[client].append(due);
                connection.sendJson(destinations[client], sequence % 2 == 0 ? START : STOP);
            }
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
                    problem("nothing arrived for 3 s with " + (expectedInWindow.sum() - now) + " deliveries missing");
                    return;
                }
                Thread.sleep(50);
            }
        }

        @Override
        public void onMessage(StompConnection connection, String subscription, String body, long receivedNanos) {
            if ("e".equals(subscription)) {
                onEphemeral(connection.index(), body, receivedNanos);
            }
            else if ("m".equals(subscription)) {
                if (!messages) {
                    return;
                }
                String text = jsonString(body, "body");
                int colon = text == null ? -1 : text.indexOf(':');
                if (colon < 0) {
                    unmatched.increment();
                    return;
                }
                int sender = Integer.parseInt(text.substring(0, colon));
                arrived(sender, connection.index(), Long.parseLong(text.substring(colon + 1)), receivedNanos);
            }
            else if ("err".equals(subscription)) {
                onServerError(connection, body);
            }
        }

        private void onEphemeral(int receiver, String body, long receivedNanos) {
            String type = jsonString(body, "type");
            boolean start = "typing_start".equals(type);
            if (!start && !"typing_stop".equals(type)) {
                return;
            }
            String user = jsonString(body, "user_id");
            if (user == null || !user.startsWith("u")) {
                unmatched.increment();
                return;
            }
            int sender = Integer.parseInt(user.substring(1));
            int local = sender / rooms;
            int current = epoch;
            if (current == 0) {
                if (!start && !greeted[receiver][local]) {
                    greeted[receiver][local] = true;
                    if (++greetedCount[receiver] == greeted[receiver].length) {
                        handshake.countDown();
                    }
                }
                return;
            }
            if (messages) {
                return;
            }
            if (epochs[receiver] != current) {
                epochs[receiver] = current;
                Arrays.fill(seen[receiver], 0);
                Arrays.fill(synced[receiver], false);
            }
            if (!synced[receiver][local]) {
                if (!start) {
                    return; // a greeting that arrived late: measured sends begin with a start
                }
                synced[receiver][local] = true;
            }
            long due = logs[sender].get(seen[receiver][local]++);
            if (due == Long.MIN_VALUE) {
                unmatched.increment();
                return;
            }
            arrived(sender, receiver, due, receivedNanos);
        }

        private void arrived(int sender, int receiver, long due, long receivedNanos) {
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
    }

    /** N idle clients: connected, subscribed, and weighed. */
    private static final class ConnectionsRun extends ClientRun {

        private static final int WARM_UP_CLIENTS = 200;

        /** Presence frames received by the measured clients. */
        private final LongAdder presence = new LongAdder();

        ConnectionsRun(String label, ServerHandle server, Options options) {
            super(label, server, options);
        }

        LoadResult run() throws Exception {
            int requested = options.clients;
            int count = requested;
            String note = "";
            long fds = freeFileDescriptors();
            long perClient = options.inProcess ? 2 : 1;
            if (fds >= 0 && count * perClient > fds - 200) {
                count = (int) Math.max(1, (fds - 200) / perClient);
                note = "asked for " + requested + " connections, but only " + fds + " file descriptors are free ("
                        + (options.inProcess ? "2 per connection in one JVM" : "1 per connection") + ", ulimit -n "
                        + "hard limit); measured " + count;
                System.err.println("Load tool: " + note);
            }
            StompConnection[] connections = null;
            try {
                StompConnection[] warmUp = connect("w", Math.min(WARM_UP_CLIENTS, count));
                awaitSubscriptions(warmUp.length, 60);
                disconnect(warmUp);
                Thread.sleep(1000);
                awaitSubscriptions(0, 30);
                long serverBefore = server.heapAfterGc();
                long clientBefore = options.inProcess ? -1 : LoadServer.usedHeapAfterGc();
                presence.reset();
                long connectStarted = System.nanoTime();
                connections = connect("u", count);
                long connected = 0;
                for (StompConnection connection : connections) {
                    if (connection != null) {
                        connected++;
                    }
                }
                awaitSubscriptions(connected, Math.max(60, connected / 50));
                double connectSeconds = (subscribedAt - connectStarted) / 1e9;
                // RoomKit announces every arrival to the room; let those presence frames drain before weighing
                Thread.sleep(Math.max(1000, Math.min(15_000, 2L * connected)));
                long presenceDeliveries = presence.sum();
                long serverAfter = server.heapAfterGc();
                long clientAfter = options.inProcess ? -1 : LoadServer.usedHeapAfterGc();
                long open = 0;
                for (StompConnection connection : connections) {
                    if (connection != null && !connection.isClosed()) {
                        open++;
                    }
                }
                long perServer = serverBefore < 0 || open == 0 ? -1 : (serverAfter - serverBefore) / open;
                long perClientHeap = clientBefore < 0 || open == 0 ? -1 : (clientAfter - clientBefore) / open;
                System.err.printf(Locale.ROOT, "Load tool: %d connections open; heap (%s) %d -> %d bytes%n", open,
                        server.heapScope(), serverBefore, serverAfter);
                System.err.printf(Locale.ROOT, "Load tool: connected and subscribed in %.1f s; %d presence "
                        + "deliveries (events and diffs) received%n", connectSeconds, presenceDeliveries);
                if (options.holdSeconds > 0) {
                    System.err.printf(Locale.ROOT, "Load tool: holding %d connections for %.0f s%n", open,
                            options.holdSeconds);
                    Thread.sleep((long) (options.holdSeconds * 1000));
                }
                String problems = firstProblem.get() == null ? "" : "first problem: " + firstProblem.get();
                return new LoadResult(label, "connections", requested, options.rooms, 0, 0, 0, 0, 0, 0, errors.sum(),
                        closed.sum(), 0, 0, 0, 0, open, perServer, perClientHeap, server.heapScope(),
                        (note + " " + problems + " heap per connection measured on: " + server.heapScope()).trim(),
                        connectSeconds, presenceDeliveries);
            }
            finally {
                if (connections != null) {
                    disconnect(connections);
                }
                Thread.sleep(500);
                shutdown();
            }
        }

        @Override
        public void onMessage(StompConnection connection, String subscription, String body, long receivedNanos) {
            if ("err".equals(subscription)) {
                onServerError(connection, body);
            }
            else if ("e".equals(subscription) && isPresence(body)) {
                presence.increment();
            }
        }

        /** A presence event ({@code presence_*}, or a custom status) or a presence diff. */
        static boolean isPresence(String body) {
            String type = jsonString(body, "type");
            return type != null && (type.startsWith("presence_")
                    || type.equals("custom") && (body.contains("\"presence_diff\"") || body.contains("\"status\"")));
        }
    }

    /** The due times of one client's sends, in order; appended by one sender at a time, read by any thread. */
    static final class SendLog {

        private static final int CHUNK_BITS = 14;
        private static final int CHUNK = 1 << CHUNK_BITS;

        private long[][] chunks = new long[16][];
        private volatile int size;

        synchronized int append(long due) {
            int index = size;
            int chunk = index >>> CHUNK_BITS;
            if (chunk >= chunks.length) {
                long[][] grown = new long[chunks.length * 2][];
                System.arraycopy(chunks, 0, grown, 0, chunks.length);
                chunks = grown;
            }
            if (chunks[chunk] == null) {
                chunks[chunk] = new long[CHUNK];
            }
            chunks[chunk][index & (CHUNK - 1)] = due;
            size = index + 1;
            return index;
        }

        /** The due time of send {@code index}, or {@link Long#MIN_VALUE} if there is no such send. */
        long get(int index) {
            if (index >= size) {
                return Long.MIN_VALUE;
            }
            long[][] current = chunks;
            return current[index >>> CHUNK_BITS][index & (CHUNK - 1)];
        }
    }

    /** The string value of {@code "key":"..."} in compact JSON without escapes in the value, or null. */
    static String jsonString(String json, String key) {
        String marker = "\"" + key + "\":\"";
        int start = json.indexOf(marker);
        if (start < 0) {
            return null;
        }
        start += marker.length();
        int end = json.indexOf('"', start);
        return end < 0 ? null : json.substring(start, end);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
