package io.roomkit.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The one timestamp format on the wire: ISO-8601 with microseconds and an explicit offset
 * ({@code 2026-11-25T15:22:01.123456+00:00}), which Python's {@code datetime.fromisoformat} reads.
 */
public final class Timestamps {

    private static final DateTimeFormatter WIRE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx")
            .withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    /** Now, truncated to microseconds so that a round trip through the wire format is lossless. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * {@code instant} truncated to microseconds (or {@code null}): the precision of the wire format and of
     * SQL timestamps, so that stored and transmitted values compare equal to the originals.
     */
    public static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** The wire string of {@code instant}, or {@code null}. */
    public static String format(Instant instant) {
        return instant == null ? null : WIRE.format(instant);
    }
}
