package io.roomkit.benchmarks;

import java.util.Locale;

/**
 * What the load tool's clients do against one server, once: {@link TypingWorkload typing} and
 * {@link MessagesWorkload messages} traffic ({@link TrafficWorkload}), or {@link ConnectionsWorkload idle
 * connections} that are weighed. A workload connects its clients, measures, disconnects them and reports.
 */
public sealed interface Workload permits TrafficWorkload, ConnectionsWorkload {

    /** The workloads, as {@code --workload} names them. */
    enum Kind {
        TYPING, MESSAGES, CONNECTIONS;

        /** The name on the command line and in the report. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The workload named exactly {@code value} (lower case, as the usage spells it). */
        public static Kind of(String value) {
            for (Kind kind : values()) {
                if (kind.label().equals(value)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("--workload must be typing, messages or connections");
        }
    }

    /** Runs the workload and returns what it measured; the clients are gone when it returns. */
    LoadResult run() throws Exception;
}
