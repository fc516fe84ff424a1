package io.roomkit.pipeline;

import io.roomkit.RoomKit;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.InboundResult;
import io.roomkit.model.RoomEvent;
import io.roomkit.store.CommitOutcome;
import io.roomkit.store.EventCommit;
import io.roomkit.store.InMemoryConversationStore;
import io.roomkit.testing.HangWatchdog;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static io.roomkit.pipeline.Messages.keyed;
import static io.roomkit.pipeline.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit: writers that queue on a room's commit lock while another writer's commit is in the store are
 * stored together by the next holder of the lock, in one {@code commitAll}, each with its own outcome.
 */
class GroupCommitTest {

    private static final Duration HANG = Duration.ofSeconds(60);

    private final CountDownLatch firstCommitEntered = new CountDownLatch(1);
    private final CountDownLatch releaseFirstCommit = new CountDownLatch(1);
    private RoomKit kit;

    @AfterEach
    void close() {
        releaseFirstCommit.countDown();
        if (kit != null) {
            kit.close();
        }
    }

    @Test
    void writersQueuedBehindASlowCommitAreStoredInOneBatchWithTheirOwnOutcomes() throws Exception {
        SlowFirstCommitStore store = new SlowFirstCommitStore(true);
        start(store);

        FutureTask<InboundResult> first = writer("ws-alice", keyed("ws-alice", "alice", "first", "key-1"));
        assertThat(firstCommitEntered.await(HANG.toSeconds(), TimeUnit.SECONDS)).isTrue();
        FutureTask<InboundResult> second = writer("ws-bob", text("ws-bob", "bob", "second"));
        FutureTask<InboundResult> repeat = writer("ws-carol", keyed("ws-carol", "carol", "repeat", "key-1"));
        awaitParked(second, repeat);
        releaseFirstCommit.countDown();

        InboundResult firstResult = HangWatchdog.within(HANG, "the slow commit", () -> first.get());
        InboundResult secondResult = HangWatchdog.within(HANG, "a queued writer", () -> second.get());
        InboundResult repeatResult = HangWatchdog.within(HANG, "a queued repeat", () -> repeat.get());

        assertThat(store.batches).as("the two queued writers in one batch").containsExactly(2);
        assertThat(firstResult.event().index()).isZero();
        assertThat(secondResult.event().index()).isEqualTo(1);
        assertThat(repeatResult.event()).as("the repeat, refused in the batch, gets the original")
                .isEqualTo(firstResult.event());
        assertThat(kit.store().countEvents("room")).isEqualTo(2);
    }

    @Test
    void aStoreThatMayNotCommitForOthersGetsEveryWriterOnItsOwn() throws Exception {
        SlowFirstCommitStore store = new SlowFirstCommitStore(false);
        start(store);

        FutureTask<InboundResult> first = writer("ws-alice", text("ws-alice", "alice", "first"));
        assertThat(firstCommitEntered.await(HANG.toSeconds(), TimeUnit.SECONDS)).isTrue();
        FutureTask<InboundResult> second = writer("ws-bob", text("ws-bob", "bob", "second"));
        FutureTask<InboundResult> third = writer("ws-carol", text("ws-carol", "carol", "third"));
        awaitParked(second, third);
        releaseFirstCommit.countDown();

        List<Long> indices = List.of(HangWatchdog.within(HANG, "first", () -> first.get()),
                HangWatchdog.within(HANG, "second", () -> second.get()),
                HangWatchdog.within(HANG, "third", () -> third.get())).stream().map(result -> result.event().index())
                .toList();

        assertThat(store.batches).isEmpty();
        assertThat(indices).containsExactlyInAnyOrder(0L, 1L, 2L);
    }

    private void start(SlowFirstCommitStore store) {
        kit = RoomKit.builder().store(store).build();
        kit.createRoom("room");
        for (String channel : List.of("ws-alice", "ws-bob", "ws-carol")) {
            kit.registerChannel(new RecordingChannel(channel));
            kit.attachChannel("room", channel);
        }
        store.armed = true;
    }

    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    private FutureTask<InboundResult> writer(String name, InboundMessage message) {
        FutureTask<InboundResult> task = new FutureTask<>(() -> kit.processInbound(message, "room"));
        Thread thread = new Thread(task, "writer-" + name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
        return task;
    }

    /** Waits until the writers' threads are parked: nothing but the room's commit lock parks them here. */
    private void awaitParked(FutureTask<?>... tasks) {
        List<Thread> waiting = threads.subList(threads.size() - tasks.length, threads.size());
        Awaitility.await().atMost(HANG).until(() -> waiting.stream()
                .allMatch(thread -> thread.getState() == Thread.State.WAITING));
    }

    /** An in-memory store whose first commit after arming waits for the test, and which records its batches. */
    private final class SlowFirstCommitStore extends InMemoryConversationStore {

        private final boolean mayCommitForOthers;
        private final List<Integer> batches = new CopyOnWriteArrayList<>();
        private volatile boolean armed;
        private boolean slowed;

        SlowFirstCommitStore(boolean mayCommitForOthers) {
            this.mayCommitForOthers = mayCommitForOthers;
        }

        @Override
        public RoomEvent commit(EventCommit commit) {
            if (armed) {
                slowOnce();
            }
            return super.commit(commit);
        }

        private synchronized void slowOnce() {
            if (slowed) {
                return;
            }
            slowed = true;
            firstCommitEntered.countDown();
            try {
                releaseFirstCommit.await(HANG.toSeconds(), TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public List<CommitOutcome> commitAll(List<EventCommit> commits) {
            batches.add(commits.size());
            return super.commitAll(commits);
        }

        @Override
        public boolean mayCommitForOthers() {
            return mayCommitForOthers;
        }
    }
}
