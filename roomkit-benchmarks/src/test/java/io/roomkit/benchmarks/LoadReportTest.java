package io.roomkit.benchmarks;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The lines the load tool prints, which the README quotes: a table, the notes, and the ratio last. */
class LoadReportTest {

    private static final String HEADER = "server    workload    clients  rooms      rate     sent/s deliveries/s"
            + "   p50 ms   p95 ms   p99 ms   max ms     lost  errors    heap/conn  client/conn";

    @Test
    void trafficRunsEndWithTheRatioOfTheirMedians() {
        List<LoadResult> results = List.of(traffic("roomkit", 10_000, 1.5, 9.0, "first problem: slow"),
                traffic("baseline", 8_000, 2.0, 12.0, ""), traffic("roomkit", 12_000, 0.5, 3.0, ""),
                traffic("baseline", 9_000, 1.0, 6.0, ""));

        assertThat(print(LoadOptions.parse("--workload", "typing", "--baseline", "--repeat", "2"), results))
                .isEqualTo("""

                        %s
                        roomkit   typing          100     10      1000       1000        10000     1.50     4.00     9.00    20.00        3       2            -            -
                        baseline  typing          100     10      1000       1000         8000     2.00     4.00    12.00    20.00        3       2            -            -
                        roomkit   typing          100     10      1000       1000        12000     0.50     4.00     3.00    20.00        3       2            -            -
                        baseline  typing          100     10      1000       1000         9000     1.00     4.00     6.00    20.00        3       2            -            -
                        roomkit: first problem: slow
                        RoomKit/baseline: deliveries/s 1.29, p50 0.67, p99 0.67 (medians of 2 and 2 runs)
                        """.formatted(HEADER));
    }

    @Test
    void connectionRunsCompareHeapConnectTimeAndPresence() {
        List<LoadResult> results = List.of(connections("roomkit", 50_893, 0.6, 502),
                connections("baseline", 78_131, 0.5, 0));

        assertThat(print(LoadOptions.parse("--workload", "connections", "--clients", "50", "--rooms", "2",
                "--baseline"), results)).isEqualTo("""

                        %s
                        roomkit   connections      50      2       max          0            0     0.00     0.00     0.00     0.00        0       0     49.7 KiB     60.0 KiB
                        baseline  connections      50      2       max          0            0     0.00     0.00     0.00     0.00        0       0     76.3 KiB     60.0 KiB
                        roomkit: heap per connection measured on: server process
                        roomkit: connected and subscribed in 0.6 s, 502 presence deliveries
                        baseline: heap per connection measured on: server process
                        baseline: connected and subscribed in 0.5 s, 0 presence deliveries
                        RoomKit/baseline heap per connection: 0.65
                        RoomKit/baseline connect time: 1.20 (0.6 s vs 0.5 s); presence deliveries: RoomKit 502, baseline 0
                        """.formatted(HEADER));
    }

    @Test
    void aSingleServerHasNoRatio() {
        List<LoadResult> results = List.of(traffic("external", 5_000, 1.0, 2.0, ""));

        assertThat(print(LoadOptions.parse("--url", "ws://127.0.0.1:8080/roomkit/ws"), results)).isEqualTo("""

                %s
                external  typing          100     10      1000       1000         5000     1.00     4.00     2.00    20.00        3       2            -            -
                """.formatted(HEADER));
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        List<LoadResult> results = List.of(traffic("roomkit", 1, 4, 0, ""), traffic("roomkit", 1, 1, 0, ""),
                traffic("roomkit", 1, 2, 0, ""), traffic("roomkit", 1, 10, 0, ""));

        assertThat(LoadReport.median(results, LoadResult::p50Ms)).isEqualTo(3.0);
        assertThat(LoadReport.median(results.subList(0, 3), LoadResult::p50Ms)).isEqualTo(2.0);
    }

    /** 10 s at 1,000 sends/s; 3 deliveries lost, 1 error and 1 lost connection. */
    private static LoadResult traffic(String server, long deliveriesPerSecond, double p50, double p99, String note) {
        return new LoadResult(server, "typing", 100, 10, 1000, 10, 10_000, 100_003, 100_000,
                deliveriesPerSecond * 10, 1, 1, p50, 4, p99, 20, 100, -1, -1, "", note, -1, -1);
    }

    private static LoadResult connections(String server, long heapPerConnection, double connectSeconds,
            long presence) {
        return new LoadResult(server, "connections", 50, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 50,
                heapPerConnection, 61_440, "server process", "heap per connection measured on: server process",
                connectSeconds, presence);
    }

    private static String print(LoadOptions options, List<LoadResult> results) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LoadReport.print(options, results, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
