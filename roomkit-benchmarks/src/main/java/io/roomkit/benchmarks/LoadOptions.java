package io.roomkit.benchmarks;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of a load run, read from the command line by {@link #parse}; {@link #usage()} describes them. The
 * record checks its values when built, so a {@code LoadOptions} is always one the tool can run.
 *
 * @param workload           what the clients do
 * @param clients            STOMP clients; client {@code i} is user {@code u<i>} in room {@code load-<i % rooms>}
 * @param rooms              rooms
 * @param rate               frames per second sent by all clients together; 0 for as fast as the server answers
 * @param window             frames in flight per client with rate 0
 * @param warmupSeconds      seconds of traffic before measuring
 * @param durationSeconds    seconds measured
 * @param servers            the servers measured one after the other, in this order
 * @param store              RoomKit's store: {@code memory}, {@code h2} or {@code postgres}
 * @param inProcess          whether the server runs in the tool's JVM rather than a child JVM
 * @param serverHeap         -Xms/-Xmx of the child JVM
 * @param url                a running server to use instead of starting one, or {@code null}
 * @param connectConcurrency WebSocket handshakes in flight
 * @param clientThreads      threads that read the clients' frames
 * @param repeat             how many times the servers run, alternating
 * @param maxSeconds         hard limit of the whole run; 0 for one derived from the others ({@link #limitSeconds})
 * @param holdSeconds        connections workload: seconds the clients stay connected after the measurement
 */
public record LoadOptions(Workload.Kind workload, int clients, int rooms, double rate, int window,
        double warmupSeconds, double durationSeconds, List<LoadServer.Kind> servers, String store, boolean inProcess,
        String serverHeap, URI url, int connectConcurrency, int clientThreads, int repeat, long maxSeconds,
        double holdSeconds) {

    /**
     * Thrown by {@link #parse} for {@code --help}, so that parsing has no side effect and the caller decides what
     * asking for help does (the tool prints {@link #usage()} and exits).
     */
    public static final class HelpRequested extends RuntimeException {

        private static final long serialVersionUID = 1L;

        HelpRequested() {
            super("--help", null, false, false);
        }
    }

    /** Checks the values; the order of the checks decides which message a command line with several faults gets. */
    public LoadOptions {
        servers = List.copyOf(servers);
        if (clients < 1 || rooms < 1 || rooms > clients) {
            throw new IllegalArgumentException("need 1 <= --rooms <= --clients");
        }
        if (repeat < 1) {
            throw new IllegalArgumentException("--repeat must be at least 1");
        }
        if (rate < 0 || window < 1 || durationSeconds <= 0 || warmupSeconds < 0) {
            throw new IllegalArgumentException("--rate >= 0, --window >= 1, --duration > 0, --warmup >= 0");
        }
        if (workload == Workload.Kind.TYPING && rate > 0 && clients / rate > 5) {
            throw new IllegalArgumentException("--rate must give each client a typing frame at least every 5 s "
                    + "(the server ends a typing indicator by itself after 10 s, which would add events)");
        }
        if (!List.of("memory", "h2", "postgres").contains(store)) {
            throw new IllegalArgumentException("--store must be memory, h2 or postgres");
        }
        if (url != null) {
            new ServerHandle.External(url); // refuses anything but loopback
        }
    }

    /**
     * Reads the options; those not given keep their defaults.
     *
     * @throws IllegalArgumentException for an unknown option, a missing value or a value out of range
     * @throws NumberFormatException    for a number that is not one
     * @throws HelpRequested            for {@code --help} or {@code -h}, unless an earlier option already failed
     */
    public static LoadOptions parse(String... args) {
        Parser parser = new Parser();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!parser.flag(arg)) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("Option " + arg + " needs a value\n" + usage());
                }
                parser.option(arg, args[++i]);
            }
        }
        return parser.build();
    }

    /** The run's time limit in seconds: {@code --max-seconds}, or enough for every server, round and client. */
    public long limitSeconds() {
        return maxSeconds > 0 ? maxSeconds
                : (long) ((warmupSeconds + durationSeconds + holdSeconds + 240) * servers.size() * repeat
                        + clients / 20);
    }

    /** What {@code --help} prints. */
    public static String usage() {
        return """
                Usage: java -cp benchmarks.jar io.roomkit.benchmarks.LoadTool [options]
                  --workload typing|messages|connections   what the clients do (default typing)
                  --clients N              STOMP clients (default 100)
                  --rooms R                rooms; client i joins room i % R (default 10)
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
                """;
    }

    /** The options as they are read, with their defaults; mutable, unlike the record it builds. */
    private static final class Parser {

        private String workload = "typing";
        private int clients = 100;
        private int rooms = 10;
        private double rate = 10_000;
        private int window = 4;
        /**
         * Long, because a fresh server JVM on 2 cores spends its first ~40 s of traffic compiling Spring's messaging
         * and Tomcat's WebSocket code with C2 (seen with {@code jstat -compiler}); latencies measured before that
         * are the JIT's, not the server's.
         */
        private double warmupSeconds = 40;
        private double durationSeconds = 10;
        private List<LoadServer.Kind> servers = List.of(LoadServer.Kind.ROOMKIT);
        private String store = "memory";
        private boolean inProcess;
        private String serverHeap = "2g";
        private URI url;
        private int connectConcurrency = 64;
        private int clientThreads = 2;
        private int repeat = 1;
        private long maxSeconds;
        private double holdSeconds;

        /** Takes an option without a value; false if {@code arg} is not one. */
        boolean flag(String arg) {
            switch (arg) {
                case "--baseline" -> servers = List.of(LoadServer.Kind.ROOMKIT, LoadServer.Kind.BASELINE);
                case "--in-process" -> inProcess = true;
                case "--help", "-h" -> throw new HelpRequested();
                default -> {
                    return false;
                }
            }
            return true;
        }

        void option(String arg, String value) {
            switch (arg) {
                case "--workload", "--mode" -> workload = value;
                case "--clients" -> clients = Integer.parseInt(value);
                case "--rooms" -> rooms = Integer.parseInt(value);
                case "--rate" -> rate = Double.parseDouble(value);
                case "--window" -> window = Integer.parseInt(value);
                case "--warmup" -> warmupSeconds = Double.parseDouble(value);
                case "--duration" -> durationSeconds = Double.parseDouble(value);
                case "--servers" -> servers = servers(value);
                case "--store" -> store = value;
                case "--server-heap" -> serverHeap = value;
                case "--url" -> url = URI.create(value);
                case "--connect-concurrency" -> connectConcurrency = Integer.parseInt(value);
                case "--client-threads" -> clientThreads = Integer.parseInt(value);
                case "--max-seconds" -> maxSeconds = Long.parseLong(value);
                case "--hold" -> holdSeconds = Double.parseDouble(value);
                case "--repeat" -> repeat = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("Unknown option " + arg + "\n" + usage());
            }
        }

        private static List<LoadServer.Kind> servers(String value) {
            List<LoadServer.Kind> kinds = new ArrayList<>();
            for (String kind : value.split(",")) {
                kinds.add(LoadServer.Kind.of(kind));
            }
            return kinds;
        }

        /** The workload is checked first, then the record checks the rest. */
        LoadOptions build() {
            return new LoadOptions(Workload.Kind.of(workload), clients, rooms, rate, window, warmupSeconds,
                    durationSeconds, servers, store, inProcess, serverHeap, url, connectConcurrency, clientThreads,
                    repeat, maxSeconds, holdSeconds);
        }
    }
}
