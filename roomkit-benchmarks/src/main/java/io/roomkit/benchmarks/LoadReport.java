package io.roomkit.benchmarks;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * What the load tool prints on standard output at the end: a table with a row per run, each run's note, and,
 * when RoomKit and the baseline both ran, the ratio RoomKit / baseline of their medians as the last line. The
 * README quotes these lines: their format is part of the tool's interface.
 */
final class LoadReport {

    private LoadReport() {
    }

    static void print(LoadOptions options, List<LoadResult> results, PrintStream out) {
        out.println();
        out.println(LoadResult.header());
        for (LoadResult result : results) {
            out.println(result.row());
        }
        for (LoadResult result : results) {
            printNotes(result, out);
        }
        List<LoadResult> roomKit = of(results, "roomkit");
        List<LoadResult> baseline = of(results, "baseline");
        if (roomKit.isEmpty() || baseline.isEmpty()) {
            return;
        }
        String runs = roomKit.size() == 1 && baseline.size() == 1 ? ""
                : String.format(Locale.ROOT, " (medians of %d and %d runs)", roomKit.size(), baseline.size());
        if (options.workload() == Workload.Kind.CONNECTIONS) {
            printConnectionRatios(roomKit, baseline, runs, out);
        }
        else {
            out.printf(Locale.ROOT, "RoomKit/baseline: deliveries/s %.2f, p50 %.2f, p99 %.2f%s%n",
                    ratio(roomKit, baseline, LoadResult::deliveriesPerSecond),
                    ratio(roomKit, baseline, LoadResult::p50Ms), ratio(roomKit, baseline, LoadResult::p99Ms), runs);
        }
    }

    private static void printNotes(LoadResult result, PrintStream out) {
        if (result.note() != null && !result.note().isEmpty()) {
            out.println(result.server() + ": " + result.note());
        }
        if (result.connectSeconds() >= 0) {
            out.printf(Locale.ROOT, "%s: connected and subscribed in %.1f s, %d presence deliveries%n",
                    result.server(), result.connectSeconds(), result.presenceDeliveries());
        }
    }

    private static void printConnectionRatios(List<LoadResult> roomKit, List<LoadResult> baseline, String runs,
            PrintStream out) {
        out.printf(Locale.ROOT, "RoomKit/baseline heap per connection: %.2f%s%n",
                ratio(roomKit, baseline, result -> result.serverHeapPerConnection()), runs);
        out.printf(Locale.ROOT, "RoomKit/baseline connect time: %.2f (%.1f s vs %.1f s); presence "
                + "deliveries: RoomKit %.0f, baseline %.0f%s%n",
                ratio(roomKit, baseline, LoadResult::connectSeconds), median(roomKit, LoadResult::connectSeconds),
                median(baseline, LoadResult::connectSeconds), median(roomKit, LoadResult::presenceDeliveries),
                median(baseline, LoadResult::presenceDeliveries), runs);
    }

    private static List<LoadResult> of(List<LoadResult> results, String server) {
        return results.stream().filter(result -> result.server().equals(server)).toList();
    }

    private static double ratio(List<LoadResult> roomKit, List<LoadResult> baseline,
            ToDoubleFunction<LoadResult> value) {
        return median(roomKit, value) / median(baseline, value);
    }

    static double median(List<LoadResult> results, ToDoubleFunction<LoadResult> value) {
        double[] values = results.stream().mapToDouble(value).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
