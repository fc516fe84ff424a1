package io.roomkit.benchmarks;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;

import static org.assertj.core.api.Assertions.assertThat;

/** Every benchmark runs once, briefly and in this JVM, so that none of them rots; no timing is asserted. */
class BenchmarkSmokeTest {

    @Test
    void fanOutBenchmarksDeliverEveryBurst() throws RunnerException {
        Collection<RunResult> results = run(briefly(FanOutBenchmark.class));
        assertScores(results, 5);
        // the peer workload (a new event per publish) beside the pre-built ones
        assertThat(results).extracting(result -> result.getParams().getBenchmark())
                .contains(FanOutBenchmark.class.getName() + ".oneRoom10SubscribersNewEvents",
                        FanOutBenchmark.class.getName() + ".oneRoom10Subscribers");
    }

    @Test
    void publishLatencyBenchmarkSamples() throws RunnerException {
        assertScores(run(briefly(PublishLatencyBenchmark.class).param("rate", "10000")), 2);
    }

    @Test
    void inboundBenchmarksRunOnTheMemoryAndH2Stores() throws RunnerException {
        assertScores(run(briefly(InboundBenchmark.class).param("store", "memory", "h2").param("rooms", "1")), 4);
    }

    @Test
    void inboundAndJdbcBenchmarksRunOnPostgres() throws RunnerException {
        requirePostgres();
        assertScores(run(briefly(InboundBenchmark.class).param("store", "postgres").param("rooms", "1")), 2);
        assertScores(run(briefly(JdbcInsertBenchmark.class).param("rooms", "1")), 4);
    }

    @Test
    void ephemeralJsonBenchmarksRoundTrip() throws RunnerException {
        assertScores(run(briefly(EphemeralJsonBenchmark.class)), 4);
    }

    private static ChainedOptionsBuilder briefly(Class<?> benchmark) {
        return new OptionsBuilder().include(benchmark.getName() + "\\.").forks(0).warmupIterations(0)
                .measurementIterations(1).measurementTime(TimeValue.milliseconds(200)).mode(Mode.Throughput)
                .shouldFailOnError(true);
    }

    private static Collection<RunResult> run(ChainedOptionsBuilder options) throws RunnerException {
        return new Runner(options.build()).run();
    }

    private static void assertScores(Collection<RunResult> results, int benchmarks) {
        assertThat(results).hasSize(benchmarks);
        for (RunResult result : results) {
            assertThat(result.getPrimaryResult().getScore()).as(result.getParams().getBenchmark()).isPositive();
        }
    }

    static void requirePostgres() {
        String problem = Databases.postgresProblem();
        if (problem == null) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(problem + "; CI=true, so a missing service is a failure");
        }
        Assumptions.abort(problem);
    }

}
