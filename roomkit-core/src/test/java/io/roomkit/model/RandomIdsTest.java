package io.roomkit.model;

import io.roomkit.testing.HangWatchdog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class RandomIdsTest {

    private static final Duration HANG = Duration.ofMinutes(2);

    @Test
    void idsAreVersionSevenUuidsWithoutDashesCarryingTheirMillisecond() {
        long before = System.currentTimeMillis();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(RandomIds.next());
        }
        for (String id : ids) {
            assertThat(id).matches("[0-9a-f]{32}");
            UUID uuid = uuid(id);
            assertThat(uuid.version()).isEqualTo(7);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(RandomIds.epochMillis(id)).isGreaterThanOrEqualTo(before);
            assertThat(uuid.getMostSignificantBits() >>> 16).isEqualTo(RandomIds.epochMillis(id));
        }
    }

    @Test
    void anIdCarriesTheMillisecondItIsGiven() throws Exception {
        long millis = 1_764_000_000_123L;
        String id = inFreshThread(() -> RandomIds.next(millis));

        assertThat(RandomIds.epochMillis(id)).isEqualTo(millis);
        assertThat(id).startsWith(String.format("%012x", millis));
    }

    @Test
    void idsOfAThreadStrictlyIncreaseBeyondFourThousandInOneMillisecondAndWhenTheClockStepsBack() throws Exception {
        long millis = 1_764_000_000_000L;
        List<String> ids = inFreshThread(() -> {
            List<String> made = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                made.add(RandomIds.next(millis));
            }
            made.add(RandomIds.next(millis - 60_000));
            made.add(RandomIds.next(millis + 60_000));
            return made;
        });

        for (int i = 1; i < ids.size(); i++) {
            assertThat(ids.get(i)).as("id %d of the thread", i).isGreaterThan(ids.get(i - 1));
        }
        // 4,096 ids per millisecond: the ten-thousandth runs two milliseconds ahead, and a step back changes nothing
        assertThat(RandomIds.epochMillis(ids.get(9_999))).isEqualTo(millis + 2);
        assertThat(RandomIds.epochMillis(ids.get(10_000))).isEqualTo(millis + 2);
        assertThat(RandomIds.epochMillis(ids.get(10_001))).isEqualTo(millis + 60_000);
    }

    @Test
    void manyThreadsDrawingAtOnceNeverRepeatAnIdAndEachThreadsIdsIncrease() throws Exception {
        int threads = 16;
        int perThread = 50_000;
        long before = System.currentTimeMillis();
        List<List<String>> perThreadIds = HangWatchdog.within(HANG, threads + " threads drawing ids",
                () -> drawConcurrently(threads, perThread));

        Set<String> all = new HashSet<>();
        for (List<String> ids : perThreadIds) {
            assertThat(ids).hasSize(perThread);
            for (int i = 0; i < ids.size(); i++) {
                if (i > 0) {
                    assertThat(ids.get(i)).isGreaterThan(ids.get(i - 1));
                }
                assertThat(RandomIds.epochMillis(ids.get(i))).isGreaterThanOrEqualTo(before);
            }
            all.addAll(ids);
        }
        assertThat(all).hasSize(threads * perThread);
    }

    @Test
    void stringOrderIsTheOrderOfTheEmbeddedMillisecond() throws Exception {
        // ids from different threads with explicit times: sorting the text sorts the times
        List<String> ids = new ArrayList<>();
        long[] times = { 1L, 0xfffL, 0x1000L, 1_764_000_000_000L, 1_764_000_000_001L, (1L << 48) - 1 };
        for (long time : times) {
            ids.add(inFreshThread(() -> RandomIds.next(time)));
        }
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(null);

        assertThat(sorted).isEqualTo(ids);
        assertThat(sorted.stream().map(RandomIds::epochMillis).toList())
                .containsExactly(1L, 0xfffL, 0x1000L, 1_764_000_000_000L, 1_764_000_000_001L, (1L << 48) - 1);
    }

    @Test
    void everyRandomBitIsSetInAboutHalfOfTheIds() {
        // 20,000 ids span about 40 refills of a thread's buffer: a constant, zero or repeated keystream fails here
        int ids = 20_000;
        int[] set = new int[62];
        for (int i = 0; i < ids; i++) {
            long random = Long.parseUnsignedLong(RandomIds.next().substring(16), 16);
            for (int bit = 0; bit < 62; bit++) {
                set[bit] += (int) (random >>> bit & 1);
            }
        }
        for (int bit = 0; bit < 62; bit++) {
            // 10 standard deviations either side of one half
            assertThat(set[bit]).as("ids with random bit %d set", bit).isBetween(9_300, 10_700);
        }
    }

    @Test
    void roomIdsFromTheGeneratorAreValidRoomIds() {
        for (int i = 0; i < 100; i++) {
            assertThat(RoomIds.isValid(RoomIds.random())).isTrue();
        }
    }

    private static List<List<String>> drawConcurrently(int threads, int perThread) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    List<String> ids = new ArrayList<>(perThread);
                    for (int i = 0; i < perThread; i++) {
                        ids.add(RandomIds.next());
                    }
                    return ids;
                }));
            }
            ready.await();
            start.countDown();
            List<List<String>> ids = new ArrayList<>();
            for (Future<List<String>> result : results) {
                ids.add(result.get());
            }
            return ids;
        }
        finally {
            pool.shutdownNow();
        }
    }

    /** Explicit times move a thread's counter: run them where no other test draws ids afterwards. */
    private static <T> T inFreshThread(Callable<T> body) throws Exception {
        return HangWatchdog.within(HANG, "ids in a fresh thread", body);
    }

    private static UUID uuid(String id) {
        return UUID.fromString(id.replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5"));
    }
}
