package io.roomkit.channel.ai;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Gathers a stream's deltas and hands them on at most once per {@code window}, or at once when
 * {@value #COALESCE_CHARS} characters are waiting, in pieces of at most {@value AIEvents#THINKING_PREVIEW_LIMIT}
 * characters, so that a fast model does not publish an event per token and nothing is lost. Not thread-safe: its
 * owner synchronises.
 */
final class DeltaCoalescer {

    /** Characters that trigger a publish regardless of the window. */
    static final int COALESCE_CHARS = 256;

    private final long windowNanos;
    private final LongSupplier clock;
    private final Consumer<String> publish;
    private final StringBuilder pending = new StringBuilder();
    private long lastFlush;

    DeltaCoalescer(long windowMillis, LongSupplier clock, Consumer<String> publish) {
        this.windowNanos = windowMillis * 1_000_000;
        this.clock = clock;
        this.publish = publish;
    }

    /** The window starts now (at the first delta of a sequence). */
    void restart() {
        lastFlush = clock.getAsLong();
    }

    void add(String delta) {
        pending.append(delta);
        if (windowNanos == 0 || pending.length() >= COALESCE_CHARS || clock.getAsLong() - lastFlush >= windowNanos) {
            flush();
        }
    }

    void flush() {
        for (int start = 0; start < pending.length(); start += AIEvents.THINKING_PREVIEW_LIMIT) {
            publish.accept(pending.substring(start,
                    Math.min(pending.length(), start + AIEvents.THINKING_PREVIEW_LIMIT)));
        }
        pending.setLength(0);
        lastFlush = clock.getAsLong();
    }
}
