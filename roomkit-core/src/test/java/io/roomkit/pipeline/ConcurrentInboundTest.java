package io.roomkit.pipeline;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKit;
import io.roomkit.model.EditContent;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundResult;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.SystemContent;
import io.roomkit.model.TextContent;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static io.roomkit.pipeline.Messages.keyed;
import static io.roomkit.pipeline.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

class ConcurrentInboundTest {

    private static final int WRITERS = 8;
    private static final int MESSAGES_PER_WRITER = 200;

    private final RoomKit kit = new RoomKit();
    private final ExecutorService pool = Executors.newFixedThreadPool(16);

    {
        kit.registerChannel(new RecordingChannel("ws-writer"));
    }

    @AfterEach
    void close() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        kit.close();
    }

    @Test
    void concurrentWritersIntoOneRoomGetGaplessUniqueIndices() throws Exception {
        kit.createRoom("room-1");
        kit.attachChannel("room-1", "ws-writer");

        List<List<InboundResult>> results = runConcurrently(WRITERS, writer -> writeMessages(writer, "room-1"));

        int total = WRITERS * MESSAGES_PER_WRITER;
        List<Long> indices = results.stream().flatMap(List::stream).map(result -> result.event().index()).toList();
        assertThat(indices).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(LongStream.range(0, total).boxed().toList());
        for (List<InboundResult> ofOneWriter : results) {
            assertThat(ofOneWriter).extracting(result -> result.event().index()).isSorted();
        }
    }

    @Test
    void pagedTimelineAgreesWithTheConcurrentResults() throws Exception {
        kit.createRoom("room-1");
        kit.attachChannel("room-1", "ws-writer");

        List<List<InboundResult>> results = runConcurrently(WRITERS, writer -> writeMessages(writer, "room-1"));

        List<RoomEvent> timeline = readAll("room-1");
        assertThat(timeline).extracting(RoomEvent::index)
                .containsExactlyElementsOf(LongStream.range(0, WRITERS * MESSAGES_PER_WRITER).boxed().toList());
        assertThat(timeline).extracting(RoomEvent::id).containsExactlyInAnyOrderElementsOf(
                results.stream().flatMap(List::stream).map(result -> result.event().id()).toList());
        for (int writer = 0; writer < WRITERS; writer++) {
            String sender = "writer-" + writer;
            List<String> bodies = timeline.stream().filter(event -> sender.equals(event.source().participantId()))
                    .map(event -> ((TextContent) event.content()).body()).toList();
            assertThat(bodies).containsExactlyElementsOf(
                    IntStream.range(0, MESSAGES_PER_WRITER).mapToObj(i -> sender + "/" + i).toList());
        }
    }

    @Test
    void roomsWrittenInParallelKeepTheirOwnGaplessIndices() throws Exception {
        int rooms = 6;
        int perWriter = 120;
        for (int room = 0; room < rooms; room++) {
            kit.createRoom("room-" + room);
            kit.attachChannel("room-" + room, "ws-writer");
        }

        runConcurrently(WRITERS, writer -> {
            List<InboundResult> results = new ArrayList<>();
            for (int i = 0; i < perWriter; i++) {
                String roomId = "room-" + ((writer + i) % rooms);
                results.add(kit.processInbound(text("ws-writer", "writer-" + writer, "m" + i), roomId));
            }
            return results;
        });

        for (int room = 0; room < rooms; room++) {
            List<RoomEvent> timeline = readAll("room-" + room);
            assertThat(timeline).extracting(RoomEvent::index)
                    .containsExactlyElementsOf(LongStream.range(0, timeline.size()).boxed().toList());
            assertThat(timeline).allSatisfy(event -> assertThat(event.roomId()).isEqualTo(timeline.get(0).roomId()));
        }
        long stored = IntStream.range(0, rooms).mapToLong(room -> kit.store().countEvents("room-" + room)).sum();
        assertThat(stored).isEqualTo((long) WRITERS * perWriter);
    }

    @Test
    void concurrentIdenticalIdempotencyKeysStoreOneEvent() throws Exception {
        RecordingChannel observer = new RecordingChannel("ws-observer");
        kit.registerChannel(observer);
        kit.createRoom("room-1");
        kit.attachChannel("room-1", "ws-writer");
        kit.attachChannel("room-1", "ws-observer");

        List<InboundResult> results = runConcurrently(16,
                writer -> kit.processInbound(keyed("ws-writer", "alice", "once", "key-1"), "room-1"));

        assertThat(results).allSatisfy(result -> assertThat(result.blocked()).isFalse());
        assertThat(results).extracting(result -> result.event().id()).containsOnly(results.get(0).event().id());
        assertThat(kit.store().countEvents("room-1")).isEqualTo(1);
        assertThat(observer.delivered()).hasSize(1);
    }

    @Test
    void deliveriesReachAChannelInIndexOrderWithConcurrentWriters() throws Exception {
        RecordingChannel observer = new RecordingChannel("ws-observer");
        kit.registerChannel(observer);
        kit.createRoom("room-1");
        kit.attachChannel("room-1", "ws-writer");
        kit.attachChannel("room-1", "ws-observer");

        runConcurrently(WRITERS, writer -> writeMessages(writer, "room-1"));

        int total = WRITERS * MESSAGES_PER_WRITER;
        assertThat(observer.delivered()).extracting(RoomEvent::index)
                .containsExactlyElementsOf(LongStream.range(0, total).boxed().toList());
    }

    @Test
    void deliveriesOfSeveralRoomsStayInIndexOrderPerRoom() throws Exception {
        RecordingChannel observer = new RecordingChannel("ws-observer");
        kit.registerChannel(observer);
        int rooms = 4;
        for (int room = 0; room < rooms; room++) {
            kit.createRoom("room-" + room);
            kit.attachChannel("room-" + room, "ws-writer");
            kit.attachChannel("room-" + room, "ws-observer");
        }

        runConcurrently(WRITERS, writer -> {
            for (int i = 0; i < 100; i++) {
                kit.processInbound(text("ws-writer", "writer-" + writer, "m" + i), "room-" + ((writer + i) % rooms));
            }
            return null;
        });

        var byRoom = observer.delivered().stream().collect(Collectors.groupingBy(RoomEvent::roomId));
        assertThat(byRoom).hasSize(rooms);
        byRoom.forEach((roomId, events) -> assertThat(events).extracting(RoomEvent::index)
                .containsExactlyElementsOf(LongStream.range(0, events.size()).boxed().toList()));
        assertThat(observer.delivered()).hasSize(WRITERS * 100);
    }

    @Test
    void concurrentFirstMessagesOfAnUnboundChannelShareOneNewRoom() throws Exception {
        List<InboundResult> results = runConcurrently(WRITERS,
                writer -> kit.processInbound(text("ws-writer", "writer-" + writer, "hello")));

        assertThat(results).extracting(result -> result.event().roomId()).containsOnly(results.get(0).event().roomId());
        assertThat(kit.listRooms(0, 100)).hasSize(1);
    }

    @Test
    void concurrentEditsAndADeleteLeaveNoUnredactedEdit() throws Exception {
        kit.createRoom("room-1");
        String target = kit.processInbound(text("ws-writer", "alice", "v0"), "room-1").event().id();

        List<InboundResult> results = runConcurrently(WRITERS, writer -> {
            List<InboundResult> mine = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                mine.add(kit.processInbound(writer == WRITERS - 1 && i == 10
                        ? Messages.delete("ws-writer", "alice", target)
                        : Messages.edit("ws-writer", "alice", target, "v" + writer + "-" + i), "room-1"));
            }
            return mine;
        }).stream().flatMap(List::stream).toList();

        long appliedEdits = results.stream().filter(result -> !result.blocked())
                .filter(result -> result.event().type() == EventType.EDIT).count();
        assertThat(kit.getEvent("room-1", target).orElseThrow().isDeleted()).isTrue();
        assertThat(kit.editHistory("room-1", target)).hasSize((int) appliedEdits)
                .allSatisfy(edit -> assertThat(((EditContent) edit.content()).newContent())
                        .isInstanceOf(SystemContent.class))
                .allSatisfy(edit -> assertThat(((EditContent) edit.content()).previousContent())
                        .isInstanceOf(SystemContent.class));
        assertThat(results).filteredOn(InboundResult::blocked)
                .allSatisfy(result -> assertThat(result.reason()).isEqualTo(ErrorCodes.TARGET_DELETED));
    }

    @Test
    void concurrentQuestionsAreEachAnsweredOnceAndDeliveredInIndexOrder() throws Exception {
        RecordingChannel observer = new RecordingChannel("ws-observer");
        FakeAiChannel bot = new FakeAiChannel("ai-bot");
        kit.registerChannel(observer);
        kit.registerChannel(bot);
        kit.createRoom("room-1");
        kit.attachChannel("room-1", "ws-writer");
        kit.attachChannel("room-1", "ws-observer");
        kit.attachChannel("room-1", "ai-bot");

        List<String> questions = runConcurrently(WRITERS, writer -> {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                ids.add(kit.processInbound(text("ws-writer", "writer-" + writer, "q" + i), "room-1").event().id());
            }
            return ids;
        }).stream().flatMap(List::stream).toList();
        assertThat(kit.awaitIdle(Duration.ofSeconds(30))).isTrue();

        List<RoomEvent> timeline = readAll("room-1");
        assertThat(timeline).hasSize(questions.size() * 2).extracting(RoomEvent::index)
                .containsExactlyElementsOf(LongStream.range(0, questions.size() * 2L).boxed().toList());
        List<RoomEvent> answers = timeline.stream().filter(event -> event.source().channelId().equals("ai-bot"))
                .toList();
        assertThat(answers).allSatisfy(answer -> assertThat(answer.chainDepth()).isEqualTo(1))
                .extracting(answer -> answer.content().plainText())
                .containsExactlyInAnyOrderElementsOf(questions.stream().map(id -> "ai-bot answers " + id).toList());
        assertThat(observer.delivered()).extracting(RoomEvent::index)
                .containsExactlyElementsOf(LongStream.range(0, questions.size() * 2L).boxed().toList());
    }

    @Test
    void nothingIsStoredAfterCloseRoomReturnsWhileWritersAreRunning() throws Exception {
        kit.createRoom("room-1");
        kit.attachChannel("room-1", "ws-writer");
        CountDownLatch closed = new CountDownLatch(1);
        List<Future<List<InboundResult>>> writers = new ArrayList<>();
        for (int writer = 0; writer < 4; writer++) {
            String sender = "writer-" + writer;
            writers.add(pool.submit(() -> {
                List<InboundResult> results = new ArrayList<>();
                while (results.size() < 100_000 && !Thread.currentThread().isInterrupted()) {
                    InboundResult result = kit.processInbound(text("ws-writer", sender, "m"), "room-1");
                    results.add(result);
                    if (result.blocked() && closed.getCount() == 0) {
                        break;
                    }
                }
                return results;
            }));
        }
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> kit.store().countEvents("room-1") >= 50);

        kit.closeRoom("room-1");
        long countAtClose = kit.store().countEvents("room-1");
        closed.countDown();

        for (Future<List<InboundResult>> writer : writers) {
            List<InboundResult> results = writer.get(30, TimeUnit.SECONDS);
            assertThat(results.get(results.size() - 1).reason()).isEqualTo(ErrorCodes.ROOM_CLOSED);
        }
        assertThat(kit.store().countEvents("room-1")).isEqualTo(countAtClose);
        assertThat(readAll("room-1")).extracting(RoomEvent::index)
                .containsExactlyElementsOf(LongStream.range(0, countAtClose).boxed().toList());
    }

    private List<InboundResult> writeMessages(int writer, String roomId) {
        List<InboundResult> results = new ArrayList<>();
        for (int i = 0; i < MESSAGES_PER_WRITER; i++) {
            results.add(kit.processInbound(text("ws-writer", "writer-" + writer, "writer-" + writer + "/" + i),
                    roomId));
        }
        return results;
    }

    private List<RoomEvent> readAll(String roomId) {
        List<RoomEvent> all = new ArrayList<>();
        long cursor = -1;
        while (true) {
            List<RoomEvent> page = kit.events(roomId, EventQuery.after(cursor, 300));
            if (page.isEmpty()) {
                return all;
            }
            all.addAll(page);
            cursor = page.get(page.size() - 1).index();
        }
    }

    /** Runs {@code task} on {@code threads} threads released together; returns their results in thread order. */
    private <T> List<T> runConcurrently(int threads, Task<T> task) throws Exception {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int thread = 0; thread < threads; thread++) {
            int id = thread;
            Callable<T> body = () -> {
                ready.countDown();
                assertThat(start.await(10, TimeUnit.SECONDS)).isTrue();
                return task.run(id);
            };
            futures.add(pool.submit(body));
        }
        assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
        start.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get(60, TimeUnit.SECONDS));
        }
        return results;
    }

    @FunctionalInterface
    private interface Task<T> {

        T run(int thread) throws Exception;
    }
}
