package io.roomkit.spring.support;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKitException;
import io.roomkit.testing.HangWatchdog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class BoundedCallsTest {

    @Test
    void aBurstLargerThanThePoolWaitsForAThreadInsteadOfBeingRefused() throws Exception {
        // What a hundred STOMP clients reconnecting at once to a fresh node do to the store's call pool.
        try (BoundedCalls calls = new BoundedCalls("store", Duration.ofSeconds(30), 4)) {
            CountDownLatch allStarted = new CountDownLatch(4);
            CountDownLatch release = new CountDownLatch(1);
            ExecutorService callers = Executors.newFixedThreadPool(40);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    int n = i;
                    results.add(callers.submit(() -> calls.call("burst", () -> {
                        allStarted.countDown();
                        awaitQuietly(release);
                        return n;
                    })));
                }
                assertThat(allStarted.await(10, TimeUnit.SECONDS)).isTrue();
                release.countDown();
                for (int i = 0; i < results.size(); i++) {
                    assertThat(results.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i);
                }
            }
            finally {
                callers.shutdownNow();
            }
        }
    }

    @Test
    void aCallQueuedLongerThanTheTimeoutIsUnavailableAndNeverRuns() throws Exception {
        try (BoundedCalls calls = new BoundedCalls("store", Duration.ofMillis(200), 1)) {
            CountDownLatch release = new CountDownLatch(1);
            ExecutorService holder = Executors.newSingleThreadExecutor();
            try {
                CountDownLatch running = new CountDownLatch(1);
                holder.submit(() -> calls.call("hold", () -> {
                    running.countDown();
                    awaitQuietly(release);
                    return null;
                }));
                assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
                AtomicBoolean ran = new AtomicBoolean();

                assertThatThrownBy(() -> calls.call("queued", () -> ran.getAndSet(true)))
                        .isInstanceOfSatisfying(RoomKitException.class,
                                ex -> assertThat(ex.code()).isEqualTo(ErrorCodes.UNAVAILABLE))
                        .hasMessageContaining("did not answer within 200 ms");

                release.countDown();
                assertThat(calls.call("after", () -> "answered")).isEqualTo("answered");
                assertThat(ran).as("the abandoned call was dropped, not run late").isFalse();
            }
            finally {
                release.countDown();
                holder.shutdownNow();
            }
        }
    }

    @Test
    void callersAskingTheSameQuestionAtOnceShareOneCall() throws Exception {
        // A user's events and ephemeral SUBSCRIBEs joining an open room at the same moment: one join, not two
        // that race for the same participant row.
        try (BoundedCalls calls = new BoundedCalls("store", Duration.ofSeconds(30), 8)) {
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ExecutorService callers = Executors.newFixedThreadPool(6);
            try {
                Future<Integer> first = callers.submit(() -> calls.callShared("alice@room", "join", () -> {
                    started.countDown();
                    awaitQuietly(release);
                    return runs.incrementAndGet();
                }));
                assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
                List<Future<Integer>> others = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    others.add(callers.submit(() -> calls.callShared("alice@room", "join", runs::incrementAndGet)));
                }
                Integer elsewhere = calls.callShared("bob@room", "join", () -> -1);
                await().atMost(Duration.ofSeconds(30)).until(() -> calls.waiting("alice@room") == 6);
                release.countDown();

                assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(1);
                for (Future<Integer> other : others) {
                    assertThat(other.get(30, TimeUnit.SECONDS)).isEqualTo(1);
                }
                assertThat(elsewhere).as("another key is another call").isEqualTo(-1);
                assertThat(runs).hasValue(1);
                // finished calls are forgotten: the next question is asked again
                assertThat(calls.callShared("alice@room", "join", runs::incrementAndGet)).isEqualTo(2);
                assertThat(calls.sharedCalls()).isZero();
            }
            finally {
                release.countDown();
                callers.shutdownNow();
            }
        }
    }

    @Test
    void aCallerThatTimedOutAndAsksAgainJoinsTheCallItLeft() throws Exception {
        try (BoundedCalls calls = new BoundedCalls("store", Duration.ofMillis(200), 2)) {
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            assertThatThrownBy(() -> calls.callShared("alice@room", "access check", () -> {
                runs.incrementAndGet();
                started.countDown();
                awaitQuietly(release);
                return "allowed";
            })).isInstanceOfSatisfying(RoomKitException.class,
                    ex -> assertThat(ex.code()).isEqualTo(ErrorCodes.UNAVAILABLE));
            assertThat(started.await(30, TimeUnit.SECONDS)).as("the call runs on although its caller gave up").isTrue();

            // the retry waits for the call it left instead of starting a second one beside it
            assertThatThrownBy(() -> calls.callShared("alice@room", "access check", () -> {
                runs.incrementAndGet();
                return "asked twice";
            })).isInstanceOf(RoomKitException.class);
            assertThat(runs).hasValue(1);
            assertThat(calls.sharedCalls()).isEqualTo(1);

            release.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> calls.sharedCalls() == 0);
            assertThat(calls.callShared("alice@room", "access check", () -> "asked again")).isEqualTo("asked again");
        }
    }

    @Test
    void aSharedCallWhoseCallersAllGaveUpBeforeItStartedIsDroppedAndTheNextQuestionIsAskedAgain() throws Exception {
        try (BoundedCalls calls = new BoundedCalls("store", Duration.ofMillis(200), 1)) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch holding = new CountDownLatch(1);
            ExecutorService holder = Executors.newSingleThreadExecutor();
            try {
                holder.submit(() -> calls.call("hold", () -> {
                    holding.countDown();
                    awaitQuietly(release);
                    return null;
                }));
                assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
                AtomicBoolean ran = new AtomicBoolean();
                assertThatThrownBy(() -> calls.callShared("alice@room", "access check", () -> ran.getAndSet(true)))
                        .isInstanceOf(RoomKitException.class);
                assertThat(calls.sharedCalls()).as("dropped with its last waiter").isZero();

                release.countDown();
                assertThat(calls.callShared("alice@room", "access check", () -> "asked again")).isEqualTo("asked again");
                assertThat(ran).as("the abandoned call never ran").isFalse();
            }
            finally {
                release.countDown();
                holder.shutdownNow();
            }
        }
    }

    @Test
    void sharedCallsUnderRandomConcurrentCallersNeverHangAndLeaveNothingBehind() throws Exception {
        // callers on a few keys, work that is sometimes slower than the timeout, callers that give up and retry
        try (BoundedCalls calls = new BoundedCalls("store", Duration.ofMillis(20), 2)) {
            AtomicInteger runs = new AtomicInteger();
            AtomicInteger answered = new AtomicInteger();
            AtomicInteger unavailable = new AtomicInteger();
            int threads = 8;
            int perThread = 400;
            ExecutorService callers = Executors.newFixedThreadPool(threads);
            try {
                HangWatchdog.within(Duration.ofSeconds(120), "random shared callers", () -> {
                    List<Future<?>> done = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        long seed = 31L * t;
                        done.add(callers.submit(() -> {
                            java.util.Random random = new java.util.Random(seed);
                            for (int i = 0; i < perThread; i++) {
                                String key = "user" + random.nextInt(3) + "@room";
                                int pause = random.nextInt(10) == 0 ? 30 : random.nextInt(2);
                                try {
                                    String answer = calls.callShared(key, "check", () -> {
                                        runs.incrementAndGet();
                                        sleepQuietly(pause); // the database's own time, slower than the timeout now and then
                                        return "answer for " + key;
                                    });
                                    assertThat(answer).isEqualTo("answer for " + key);
                                    answered.incrementAndGet();
                                }
                                catch (RoomKitException ex) {
                                    assertThat(ex.code()).isEqualTo(ErrorCodes.UNAVAILABLE);
                                    unavailable.incrementAndGet();
                                }
                            }
                            return null;
                        }));
                    }
                    for (Future<?> future : done) {
                        future.get();
                    }
                    return null;
                });
            }
            finally {
                callers.shutdownNow();
            }
            assertThat(answered.get() + unavailable.get()).isEqualTo(threads * perThread);
            assertThat(answered).as("most callers got an answer").hasValueGreaterThan(threads * perThread / 2);
            assertThat(runs.get()).as("calls shared").isLessThan(threads * perThread);
            await().atMost(Duration.ofSeconds(30)).until(() -> calls.sharedCalls() == 0);
        }
    }

    /**
     * The time a simulated database call takes inside the work (sometimes longer than the calls' timeout): part of
     * the system under test's input, not a wait for it; the test synchronises on the callers' futures.
     */
    private static void sleepQuietly(int millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void beyondTheQueueCallsAreRefusedAtOnce() throws Exception {
        try (BoundedCalls calls = new BoundedCalls("store", Duration.ofSeconds(30), 1)) {
            CountDownLatch release = new CountDownLatch(1);
            int waiting = 1 + BoundedCalls.QUEUED_PER_THREAD;
            ExecutorService callers = Executors.newFixedThreadPool(waiting);
            try {
                CountDownLatch running = new CountDownLatch(1);
                callers.submit(() -> calls.call("hold", () -> {
                    running.countDown();
                    awaitQuietly(release);
                    return null;
                }));
                assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
                for (int i = 1; i < waiting; i++) {
                    callers.submit(() -> calls.call("queued", () -> null));
                }
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                        .until(() -> calls.queued() == BoundedCalls.QUEUED_PER_THREAD);

                assertThatThrownBy(() -> calls.call("one too many", () -> null))
                        .isInstanceOfSatisfying(RoomKitException.class,
                                ex -> assertThat(ex.code()).isEqualTo(ErrorCodes.UNAVAILABLE))
                        .hasMessageContaining("calls are waiting");
            }
            finally {
                release.countDown();
                callers.shutdownNow();
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
