package io.roomkit.model;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TimestampsTest {

    private static final DateTimeFormatter REFERENCE = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

    @Test
    void formatAgreesWithTheIsoFormatterOverTenThousandYears() {
        SplittableRandom random = new SplittableRandom(42);
        long first = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(first, last + 1), random.nextInt(1_000_000_000));
            assertThat(Timestamps.format(instant)).isEqualTo(REFERENCE.format(instant));
        }
    }

    @Test
    void formatKeepsMicrosecondsAndTheOffset() {
        assertThat(Timestamps.format(Instant.parse("2026-11-25T15:22:01.123456789Z")))
                .isEqualTo("2026-11-25T15:22:01.123456+00:00");
        assertThat(Timestamps.format(Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo("2026-01-02T03:04:05.000000+00:00");
        assertThat(Timestamps.format(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000000+00:00");
        assertThat(Timestamps.format(null)).isNull();
    }

    @Test
    void yearsBeyondFourDigitsStillFormat() {
        Instant farFuture = Instant.parse("+12026-05-06T07:08:09.000001Z");
        assertThat(Timestamps.format(farFuture)).isEqualTo(REFERENCE.format(farFuture));
    }
}
