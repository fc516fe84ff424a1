package io.roomkit.benchmarks;

import java.util.Locale;

/**
 * What one load run measured. {@code sent}, {@code expected} and {@code received} count the frames due in the
 * measured window and their deliveries (whenever they arrived); {@code delivered} counts the deliveries that
 * arrived within the window, whatever their send time, which is the server's delivery rate even when it falls
 * behind. Latencies are end to end, from the moment a client was due to send (so a sender that falls behind shows
 * as latency) to the moment a client read the frame, in milliseconds. Heap figures are bytes per connection, or
 * -1 when not measured. The connections workload also reports how long its clients took to connect and
 * subscribe ({@code connectSeconds}) and how many presence events and diffs they received meanwhile
 * ({@code presenceDeliveries}); other workloads report -1 for both.
 */
public record LoadResult(String server, String workload, int clients, int rooms, double targetRate,
        double durationSeconds, long sent, long expected, long received, long delivered, long errors, long closed,
        double p50Ms,
        double p95Ms, double p99Ms, double maxMs, long connected, long serverHeapPerConnection,
        long clientHeapPerConnection, String heapScope, String note, double connectSeconds,
        long presenceDeliveries) {

    public double sendsPerSecond() {
        return durationSeconds == 0 ? 0 : sent / durationSeconds;
    }

    /** Deliveries that arrived per second of the measured window. */
    public double deliveriesPerSecond() {
        return durationSeconds == 0 ? 0 : delivered / durationSeconds;
    }

    public long lost() {
        return Math.max(0, expected - received);
    }

    static String header() {
        return String.format(Locale.ROOT, "%-9s %-11s %7s %6s %9s %10s %12s %8s %8s %8s %8s %8s %7s %12s %12s",
                "server", "workload", "clients", "rooms", "rate", "sent/s", "deliveries/s", "p50 ms", "p95 ms",
                "p99 ms", "max ms", "lost", "errors", "heap/conn", "client/conn");
    }

    String row() {
        return String.format(Locale.ROOT, "%-9s %-11s %7d %6d %9s %10.0f %12.0f %8.2f %8.2f %8.2f %8.2f %8d %7d %12s %12s",
                server, workload, workload.equals("connections") ? connected : clients, rooms,
                targetRate == 0 ? "max" : String.format(Locale.ROOT, "%.0f", targetRate), sendsPerSecond(),
                deliveriesPerSecond(), p50Ms, p95Ms, p99Ms, maxMs, lost(), errors + closed,
                bytes(serverHeapPerConnection), bytes(clientHeapPerConnection));
    }

    private static String bytes(long value) {
        return value < 0 ? "-" : String.format(Locale.ROOT, "%.1f KiB", value / 1024.0);
    }
}
