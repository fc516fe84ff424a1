package io.roomkit.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Load tool: real STOMP-over-WebSocket clients on loopback against a RoomKit server (the starter's STOMP
 * configuration, as in the sample application) and, with {@code --baseline}, against plain Spring STOMP
 * ({@link BaselineStompConfiguration}), one after the other in the same run, so that the ratio of the two is
 * measured under the same conditions.
 * <p>
 * Workloads ({@link Workload}):
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
 * Run {@code java -cp target/benchmarks.jar io.roomkit.benchmarks.LoadTool --help} for the options
 * ({@link LoadOptions}); {@link LoadReport} prints the results.
 */
public final class LoadTool {

    private LoadTool() {
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        }
        catch (LoadOptions.HelpRequested help) {
            System.out.println(LoadOptions.usage());
            System.exit(0);
            return;
        }
        startWatchdog(options.limitSeconds());
        List<LoadResult> results = run(options);
        LoadReport.print(options, results, System.out);
        System.exit(0);
    }

    /** Ends the JVM after the time limit, whatever the run is doing: a stuck run must not live on. */
    private static void startWatchdog(long limitSeconds) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(limitSeconds)); // --max-seconds is a time limit
                System.err.println("Load tool: --max-seconds " + limitSeconds + " reached, stopping");
                System.exit(2);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }, "load-tool-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** Runs the workload against each server of the options, one after the other. */
    public static List<LoadResult> run(LoadOptions options) throws Exception {
        List<LoadResult> results = new ArrayList<>();
        if (options.url() != null) {
            try (ServerHandle server = new ServerHandle.External(options.url())) {
                results.add(runAgainst("external", server, options));
            }
            return results;
        }
        List<LoadServer.Kind> order = new ArrayList<>();
        for (int round = 0; round < options.repeat(); round++) {
            order.addAll(options.servers());
        }
        for (LoadServer.Kind kind : order) {
            System.err.printf(Locale.ROOT, "Load tool: starting %s server (%s)%n", kind.label(),
                    options.inProcess() ? "in this JVM" : "child JVM, -Xmx" + options.serverHeap());
            try (ServerHandle server = start(kind, options)) {
                results.add(runAgainst(kind.label(), server, options));
            }
        }
        return results;
    }

    /** A fresh server for each run: a server that ran a workload before is warmer and has more garbage. */
    private static ServerHandle start(LoadServer.Kind kind, LoadOptions options) throws Exception {
        return options.inProcess() ? new ServerHandle.InProcess(kind, options.store())
                : new ServerHandle.Forked(kind, options.store(), options.serverHeap(), options.limitSeconds());
    }

    private static LoadResult runAgainst(String label, ServerHandle server, LoadOptions options) throws Exception {
        System.err.printf(Locale.ROOT, "Load tool: %s %s, %d clients in %d rooms against %s%n", label,
                options.workload().label(), options.clients(), options.rooms(), server.uri());
        return workload(label, server, options).run();
    }

    /** The workload of the options, against {@code server}, reported as {@code label}. */
    private static Workload workload(String label, ServerHandle server, LoadOptions options) {
        return switch (options.workload()) {
            case TYPING -> new TypingWorkload(label, server, options);
            case MESSAGES -> new MessagesWorkload(label, server, options);
            case CONNECTIONS -> new ConnectionsWorkload(label, server, options);
        };
    }
}
