package io.roomkit.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;

/**
 * The one timestamp format on the wire: ISO-8601 with microseconds and an explicit offset
 * ({@code 2026-11-25T15:22:01.123456+00:00}), which Python's {@code datetime.fromisoformat} reads.
 */
public final class Timestamps {

    private static final DateTimeFormatter WIRE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx")
            .withZone(ZoneOffset.UTC);

    private static final long FIRST_FOUR_DIGIT_SECOND = LocalDateTime.of(0, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
    private static final long LAST_FOUR_DIGIT_SECOND = LocalDateTime.of(9999, 12, 31, 23, 59, 59)
            .toEpochSecond(ZoneOffset.UTC);
    /** Length of {@code uuuu-MM-ddTHH:mm:ss.SSSSSS+00:00}; the microseconds are its characters 20 to 25. */
    private static final int WIRE_LENGTH = 32;
    private static final int MICROS_START = 20;
    private static final int MICROS_END = 26;

    /** The second formatted last, shared by all threads (a racy cache of an immutable value). */
    private static volatile Second lastSecond;

    private Timestamps() {
    }

    /** Now, truncated to microseconds so that a round trip through the wire format is lossless. */
    public static Instant now() {
        return micros(Instant.now());
    }

    /**
     * {@code instant} truncated to microseconds (or {@code null}): the precision of the wire format and of
     * SQL timestamps, so that stored and transmitted values compare equal to the originals. An instant that has
     * no nanoseconds below the microsecond is returned as it is.
     */
    public static Instant micros(Instant instant) {
        if (instant == null) {
            return null;
        }
        int belowMicros = instant.getNano() % 1000;
        // with() keeps the second as it is: ofEpochSecond would normalise it again, which showed in profiles
        return belowMicros == 0 ? instant : instant.with(ChronoField.NANO_OF_SECOND, instant.getNano() - belowMicros);
    }

    /** The wire string of {@code instant}, or {@code null}. */
    public static String format(Instant instant) {
        if (instant == null) {
            return null;
        }
        long epochSecond = instant.getEpochSecond();
        if (epochSecond < FIRST_FOUR_DIGIT_SECOND || epochSecond > LAST_FOUR_DIGIT_SECOND) {
            return WIRE.format(instant);
        }
        // every event carries a timestamp and consecutive ones mostly share their second: only the
        // microseconds are written per call, the rest is copied from the second's text
        Second second = lastSecond;
        if (second == null || second.epochSecond != epochSecond) {
            second = new Second(epochSecond);
            lastSecond = second;
        }
        byte[] wire = second.template.clone();
        int micros = instant.getNano() / 1000;
        for (int i = MICROS_END - 1; i >= MICROS_START; i--) {
            wire[i] = (byte) ('0' + micros % 10);
            micros /= 10;
        }
        return new String(wire, StandardCharsets.ISO_8859_1);
    }

    /** The wire text of one second with the microseconds left at zero; immutable, so safely shared. */
    private static final class Second {

        final long epochSecond;
        final byte[] template;

        Second(long epochSecond) {
            this.epochSecond = epochSecond;
            LocalDateTime utc = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
            StringBuilder wire = new StringBuilder(WIRE_LENGTH);
            digits(wire, utc.getYear(), 4).append('-');
            digits(wire, utc.getMonthValue(), 2).append('-');
            digits(wire, utc.getDayOfMonth(), 2).append('T');
            digits(wire, utc.getHour(), 2).append(':');
            digits(wire, utc.getMinute(), 2).append(':');
            digits(wire, utc.getSecond(), 2).append(".000000+00:00");
            this.template = wire.toString().getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    private static StringBuilder digits(StringBuilder out, int value, int width) {
        String text = Integer.toString(value);
        for (int pad = width - text.length(); pad > 0; pad--) {
            out.append('0');
        }
        return out.append(text);
    }
}
