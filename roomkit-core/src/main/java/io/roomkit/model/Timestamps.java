package io.roomkit.model;

import java.time.Instant;
import java.time.LocalDateTime;
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
        if (instant == null) {
            return null;
        }
        LocalDateTime utc = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        if (utc.getYear() < 0 || utc.getYear() > 9999) {
            return WIRE.format(instant);
        }
        // by hand: every ephemeral event carries a timestamp, and the formatter cost more than the rest of the event
        StringBuilder wire = new StringBuilder(32);
        digits(wire, utc.getYear(), 4).append('-');
        digits(wire, utc.getMonthValue(), 2).append('-');
        digits(wire, utc.getDayOfMonth(), 2).append('T');
        digits(wire, utc.getHour(), 2).append(':');
        digits(wire, utc.getMinute(), 2).append(':');
        digits(wire, utc.getSecond(), 2).append('.');
        digits(wire, utc.getNano() / 1000, 6);
        return wire.append("+00:00").toString();
    }

    private static StringBuilder digits(StringBuilder out, int value, int width) {
        String text = Integer.toString(value);
        for (int pad = width - text.length(); pad > 0; pad--) {
            out.append('0');
        }
        return out.append(text);
    }
}
