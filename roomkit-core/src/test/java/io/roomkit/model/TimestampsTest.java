package io.roomkit.model;

import org.junit.jupiter.api.Test;

import io.roomkit.testing.HangWatchdog;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
    void microsTruncatesLikeTheJdkAndKeepsAnInstantThatIsAlreadyTruncated() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-100_000_000_000L, 100_000_000_000L),
                    random.nextInt(1_000_000_000));
            assertThat(Timestamps.micros(instant)).isEqualTo(instant.truncatedTo(ChronoUnit.MICROS));
        }
        Instant truncated = Instant.parse("2026-11-25T15:22:01.123456Z");
        assertThat(Timestamps.micros(truncated)).isSameAs(truncated);
        assertThat(Timestamps.micros(null)).isNull();
    }

    @Test
    void nowRoundTripsThroughTheWireForm() {
        for (int i = 0; i < 1000; i++) {
            Instant now = Timestamps.now();
            assertThat(now.getNano() % 1000).isZero();
            assertThat(OffsetDateTime.parse(Timestamps.format(now)).toInstant()).isEqualTo(now);
        }
    }

    @Test
    void threadsFormattingDifferentSecondsAtOnceEachGetTheirOwnText() throws Exception {
        // the formatter shares the text of the latest second between threads: every thread jumps between seconds
        int threads = 8;
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long seed = t;
            tasks.add(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                for (int i = 0; i < 50_000; i++) {
                    Instant instant = Instant.ofEpochSecond(1_764_000_000L + random.nextInt(4),
                            random.nextInt(1_000_000) * 1000);
                    String text = Timestamps.format(instant);
                    if (!text.equals(REFERENCE.format(instant)) || !OffsetDateTime.parse(text).toInstant().equals(instant)) {
                        throw new AssertionError(instant + " formatted as " + text);
                    }
                }
                return 50_000;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            int formatted = HangWatchdog.within(Duration.ofMinutes(2), "threads formatting", () -> {
                int total = 0;
                for (Future<Integer> result : pool.invokeAll(tasks)) {
                    total += result.get();
                }
                return total;
            });
            assertThat(formatted).isEqualTo(threads * 50_000);
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void yearsBeyondFourDigitsStillFormat() {
        Instant farFuture = Instant.parse("+12026-05-06T07:08:09.000001Z");
        assertThat(Timestamps.format(farFuture)).isEqualTo(REFERENCE.format(farFuture));
    }
}
