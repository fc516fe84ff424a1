package io.roomkit.benchmarks;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The load tool's command line: defaults, every option, and the messages of what it refuses. */
class LoadOptionsTest {

    @Test
    void withoutOptionsEveryDefaultHolds() {
        LoadOptions options = LoadOptions.parse();

        assertThat(options).isEqualTo(new LoadOptions(Workload.Kind.TYPING, 100, 10, 10_000, 4, 40, 10,
                List.of(LoadServer.Kind.ROOMKIT), "memory", false, "2g", null, 64, 2, 1, 0, 0));
        assertThat(options.limitSeconds()).as("(40 + 10 + 240) s for one server, + 100 clients / 20").isEqualTo(295);
    }

    @Test
    void theReadmeCommandLinesParse() {
        LoadOptions options = LoadOptions.parse("--workload", "messages", "--clients", "100", "--rooms", "10",
                "--rate", "0", "--baseline", "--repeat", "3", "--store", "postgres");

        assertThat(options.workload()).isEqualTo(Workload.Kind.MESSAGES);
        assertThat(options.rate()).isZero();
        assertThat(options.servers()).containsExactly(LoadServer.Kind.ROOMKIT, LoadServer.Kind.BASELINE);
        assertThat(options.repeat()).isEqualTo(3);
        assertThat(options.store()).isEqualTo("postgres");
        assertThat(options.limitSeconds()).as("two servers, three rounds").isEqualTo(290 * 2 * 3 + 5);

        LoadOptions connections = LoadOptions.parse("--workload", "connections", "--clients", "10000", "--baseline");
        assertThat(connections.workload()).isEqualTo(Workload.Kind.CONNECTIONS);
        assertThat(connections.clients()).isEqualTo(10_000);
    }

    @Test
    void everyOptionWithAValueIsRead() {
        LoadOptions options = LoadOptions.parse("--mode", "typing", "--clients", "40", "--rooms", "4", "--rate",
                "2000.5", "--window", "8", "--warmup", "0.5", "--duration", "2.5", "--servers", "baseline, roomkit",
                "--store", "h2", "--server-heap", "512m", "--url", "ws://localhost:8080/roomkit/ws",
                "--connect-concurrency", "16", "--client-threads", "3", "--max-seconds", "90", "--hold", "7",
                "--repeat", "2", "--in-process");

        assertThat(options).isEqualTo(new LoadOptions(Workload.Kind.TYPING, 40, 4, 2000.5, 8, 0.5, 2.5,
                List.of(LoadServer.Kind.BASELINE, LoadServer.Kind.ROOMKIT), "h2", true, "512m",
                URI.create("ws://localhost:8080/roomkit/ws"), 16, 3, 2, 90, 7));
        assertThat(options.limitSeconds()).as("--max-seconds wins").isEqualTo(90);
    }

    @Test
    void helpIsAskedForUnlessAnEarlierOptionFailed() {
        assertThatThrownBy(() -> LoadOptions.parse("--help")).isInstanceOf(LoadOptions.HelpRequested.class);
        assertThatThrownBy(() -> LoadOptions.parse("--clients", "5", "-h"))
                .isInstanceOf(LoadOptions.HelpRequested.class);
        assertThatThrownBy(() -> LoadOptions.parse("--frobnicate", "1", "--help"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Unknown option --frobnicate\n");
    }

    @Test
    void anUnknownOptionOrAMissingValueIsReportedWithTheUsage() {
        assertThatThrownBy(() -> LoadOptions.parse("--frobnicate", "1"))
                .hasMessage("Unknown option --frobnicate\n" + LoadOptions.usage());
        assertThatThrownBy(() -> LoadOptions.parse("--rooms", "2", "--clients"))
                .hasMessage("Option --clients needs a value\n" + LoadOptions.usage());
        assertThatThrownBy(() -> LoadOptions.parse("--clients", "many")).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void valuesOutOfRangeAreRefusedWithTheirRule() {
        assertRefused("--workload must be typing, messages or connections", "--workload", "Typing");
        assertRefused("--workload must be typing, messages or connections", "--workload", "heap", "--rooms", "0");
        assertRefused("need 1 <= --rooms <= --clients", "--clients", "2", "--rooms", "3");
        assertRefused("need 1 <= --rooms <= --clients", "--rooms", "0");
        assertRefused("--repeat must be at least 1", "--repeat", "0");
        assertRefused("--rate >= 0, --window >= 1, --duration > 0, --warmup >= 0", "--rate", "-1");
        assertRefused("--rate >= 0, --window >= 1, --duration > 0, --warmup >= 0", "--window", "0");
        assertRefused("--rate >= 0, --window >= 1, --duration > 0, --warmup >= 0", "--duration", "0");
        assertRefused("--rate >= 0, --window >= 1, --duration > 0, --warmup >= 0", "--warmup", "-0.1");
        assertRefused("--store must be memory, h2 or postgres", "--store", "redis");
        assertRefused("--url must be ws:// on 127.0.0.1 or localhost, was ws://192.0.2.1:8080/roomkit/ws", "--url",
                "ws://192.0.2.1:8080/roomkit/ws");
    }

    @Test
    void typingNeedsAFrameForEachClientEveryFiveSecondsButMessagesDoNot() {
        assertThatThrownBy(() -> LoadOptions.parse("--workload", "typing", "--clients", "100", "--rate", "10"))
                .hasMessageStartingWith("--rate must give each client a typing frame at least every 5 s");
        assertThat(LoadOptions.parse("--workload", "typing", "--clients", "100", "--rate", "20").rate()).isEqualTo(20);
        assertThat(LoadOptions.parse("--workload", "messages", "--clients", "100", "--rate", "10").rate())
                .isEqualTo(10);
    }

    @Test
    void theUsageShowsAPercentSign() {
        assertThat(LoadOptions.usage()).contains("client i joins room i % R (default 10)").doesNotContain("%%")
                .startsWith("Usage: java -cp benchmarks.jar io.roomkit.benchmarks.LoadTool [options]\n");
    }

    private static void assertRefused(String message, String... args) {
        assertThatThrownBy(() -> LoadOptions.parse(args)).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
