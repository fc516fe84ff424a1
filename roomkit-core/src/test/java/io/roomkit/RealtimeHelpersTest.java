package io.roomkit;

import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import io.roomkit.realtime.InMemoryRealtime;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class RealtimeHelpersTest {

    private static final String ROOM = "room-1";
    private static final List<Map<String, Object>> TOOL_CALLS =
            List.of(Map.of("id", "call-1", "name", "search", "arguments", Map.of("q", "weather")));

    private final InMemoryRealtime realtime = new InMemoryRealtime();
    private final RoomKit kit = RoomKit.builder().realtime(realtime).build();
    private final BlockingQueue<EphemeralEvent> received = new LinkedBlockingQueue<>();
    private String subscriptionId;

    @BeforeEach
    void subscribe() {
        subscriptionId = kit.subscribeRoom(ROOM, received::add);
    }

    @AfterEach
    void close() {
        kit.close();
    }

    private EphemeralEvent next() throws InterruptedException {
        EphemeralEvent event = received.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("an event within 10 s").isNotNull();
        assertThat(event.roomId()).isEqualTo(ROOM);
        return event;
    }

    private static void assertInvalidArgument(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidInputException.class,
                ex -> assertThat(ex.code()).isEqualTo(ErrorCodes.INVALID_ARGUMENT));
    }

    @Test
    void typingStartWithoutData() throws Exception {
        kit.publishTyping(ROOM, "alice", true);

        EphemeralEvent event = next();
        assertThat(event.type()).isEqualTo(EphemeralEventType.TYPING_START);
        assertThat(event.userId()).isEqualTo("alice");
        assertThat(event.channelId()).isNull();
        assertThat(event.data()).isEmpty();
    }

    @Test
    void typingStopWithoutData() throws Exception {
        kit.publishTyping(ROOM, "alice", false);

        EphemeralEvent event = next();
        assertThat(event.type()).isEqualTo(EphemeralEventType.TYPING_STOP);
        assertThat(event.userId()).isEqualTo("alice");
        assertThat(event.data()).isEmpty();
    }

    @Test
    void typingCarriesTheCallersData() throws Exception {
        kit.publishTyping(ROOM, "alice", true, Map.of("name", "Alice"));
        kit.publishTyping(ROOM, "alice", false, Map.of("name", "Alice"));

        EphemeralEvent start = next();
        EphemeralEvent stop = next();
        assertThat(start.type()).isEqualTo(EphemeralEventType.TYPING_START);
        assertThat(start.data()).isEqualTo(Map.of("name", "Alice"));
        assertThat(stop.type()).isEqualTo(EphemeralEventType.TYPING_STOP);
        assertThat(stop.data()).isEqualTo(Map.of("name", "Alice"));
    }

    @Test
    void typingWithNullDataHasEmptyData() throws Exception {
        kit.publishTyping(ROOM, "alice", true, null);

        assertThat(next().data()).isEmpty();
    }

    @Test
    void knownPresenceStatusesMapToTheirTypesWithEmptyData() throws Exception {
        kit.publishPresence(ROOM, "alice", "online");
        kit.publishPresence(ROOM, "alice", "away");
        kit.publishPresence(ROOM, "alice", "offline");

        List<EphemeralEvent> events = List.of(next(), next(), next());
        assertThat(events).extracting(EphemeralEvent::type).containsExactly(EphemeralEventType.PRESENCE_ONLINE,
                EphemeralEventType.PRESENCE_AWAY, EphemeralEventType.PRESENCE_OFFLINE);
        assertThat(events).allSatisfy(event -> {
            assertThat(event.data()).isEmpty();
            assertThat(event.userId()).isEqualTo("alice");
            assertThat(event.channelId()).isNull();
        });
    }

    @Test
    void otherPresenceStatusIsCustomWithTheStatus() throws Exception {
        kit.publishPresence(ROOM, "alice", "in_meeting");

        EphemeralEvent event = next();
        assertThat(event.type()).isEqualTo(EphemeralEventType.CUSTOM);
        assertThat(event.userId()).isEqualTo("alice");
        assertThat(event.channelId()).isNull();
        assertThat(event.data()).isEqualTo(Map.of("status", "in_meeting"));
    }

    @Test
    void presenceStatusIsCaseSensitive() throws Exception {
        kit.publishPresence(ROOM, "alice", "Online");

        EphemeralEvent event = next();
        assertThat(event.type()).isEqualTo(EphemeralEventType.CUSTOM);
        assertThat(event.data()).isEqualTo(Map.of("status", "Online"));
    }

    @Test
    void reactionDefaultsToAdd() throws Exception {
        kit.publishReaction(ROOM, "alice", "evt-1", "thumbsup");

        EphemeralEvent event = next();
        assertThat(event.type()).isEqualTo(EphemeralEventType.REACTION);
        assertThat(event.userId()).isEqualTo("alice");
        assertThat(event.channelId()).isNull();
        assertThat(event.data()).isEqualTo(Map.of("target_event_id", "evt-1", "emoji", "thumbsup", "action", "add"));
        assertThat(List.copyOf(event.data().keySet())).containsExactly("target_event_id", "emoji", "action");
    }

    @Test
    void reactionRemove() throws Exception {
        kit.publishReaction(ROOM, "alice", "evt-1", "thumbsup", "remove");

        EphemeralEvent event = next();
        assertThat(event.type()).isEqualTo(EphemeralEventType.REACTION);
        assertThat(event.data())
                .isEqualTo(Map.of("target_event_id", "evt-1", "emoji", "thumbsup", "action", "remove"));
    }

    @Test
    void readReceipt() throws Exception {
        kit.publishReadReceipt(ROOM, "alice", "evt-7");

        EphemeralEvent event = next();
        assertThat(event.type()).isEqualTo(EphemeralEventType.READ_RECEIPT);
        assertThat(event.userId()).isEqualTo("alice");
        assertThat(event.channelId()).isNull();
        assertThat(event.data()).isEqualTo(Map.of("event_id", "evt-7"));
    }

    @Test
    void toolCallStartsByDefaultFromTheAiChannel() throws Exception {
        kit.publishToolCall(ROOM, "ai-bot", TOOL_CALLS);

        EphemeralEvent event = next();
        assertThat(event.type()).isEqualTo(EphemeralEventType.TOOL_CALL_START);
        assertThat(event.userId()).isEqualTo("ai-bot");
        assertThat(event.channelId()).isEqualTo("ai-bot");
        assertThat(event.data()).isEqualTo(Map.of("tool_calls", TOOL_CALLS, "channel_id", "ai-bot"));
        assertThat(List.copyOf(event.data().keySet())).containsExactly("tool_calls", "channel_id");
    }

    @Test
    void toolCallEndCarriesTheDuration() throws Exception {
        kit.publishToolCall(ROOM, "ai-bot", TOOL_CALLS, EphemeralEventType.TOOL_CALL_END, 42L);

        EphemeralEvent event = next();
        assertThat(event.type()).isEqualTo(EphemeralEventType.TOOL_CALL_END);
        assertThat(event.userId()).isEqualTo("ai-bot");
        assertThat(event.channelId()).isEqualTo("ai-bot");
        assertThat(event.data())
                .isEqualTo(Map.of("tool_calls", TOOL_CALLS, "channel_id", "ai-bot", "duration_ms", 42L));
        assertThat(List.copyOf(event.data().keySet())).containsExactly("tool_calls", "channel_id", "duration_ms");
    }

    @Test
    void toolCallWithoutDurationHasNoDurationKey() throws Exception {
        kit.publishToolCall(ROOM, "ai-bot", TOOL_CALLS, EphemeralEventType.TOOL_CALL_END, null);

        assertThat(next().data()).doesNotContainKey("duration_ms");
    }

    @Test
    void toolCallRejectsOtherEventTypes() {
        assertInvalidArgument(() -> kit.publishToolCall(ROOM, "ai-bot", TOOL_CALLS,
                EphemeralEventType.THINKING_START, null));
    }

    @Test
    void helpersDoNotRequireTheRoomToExist() throws Exception {
        kit.publishTyping(ROOM, "alice", true);

        assertThat(next().type()).isEqualTo(EphemeralEventType.TYPING_START);
        assertThat(kit.getRoom(ROOM)).isEmpty();
    }

    @Test
    void subscriptionOnlyReceivesItsRoom() throws Exception {
        kit.publishTyping("room-2", "bob", true);
        kit.publishTyping(ROOM, "alice", true);

        assertThat(next().userId()).isEqualTo("alice");
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(10)).until(received::isEmpty);
    }

    @Test
    void customEventsGoThroughTheBackend() throws Exception {
        kit.realtime().publishToRoom(ROOM, EphemeralEvent.of(ROOM, EphemeralEventType.CUSTOM, "system",
                Map.of("action", "file_uploaded", "filename", "report.pdf")));

        EphemeralEvent event = next();
        assertThat(event.type()).isEqualTo(EphemeralEventType.CUSTOM);
        assertThat(event.data()).isEqualTo(Map.of("action", "file_uploaded", "filename", "report.pdf"));
        assertThat(kit.realtime()).isSameAs(realtime);
    }

    @Test
    void unsubscribeRoomReportsWhetherTheSubscriptionExisted() {
        assertThat(kit.unsubscribeRoom(subscriptionId)).isTrue();
        assertThat(kit.unsubscribeRoom(subscriptionId)).isFalse();
        assertThat(kit.unsubscribeRoom("unknown")).isFalse();
        assertThat(kit.unsubscribeRoom(null)).isFalse();
        assertThat(realtime.subscriptionCount()).isZero();
    }

    @Test
    void unsubscribedListenerReceivesNothing() throws Exception {
        BlockingQueue<EphemeralEvent> other = new LinkedBlockingQueue<>();
        String otherId = kit.subscribeRoom(ROOM, other::add);
        kit.unsubscribeRoom(otherId);

        kit.publishTyping(ROOM, "alice", true);

        next();
        assertThat(other).isEmpty();
    }

    @Test
    void closingTheKitClosesTheRealtimeBackend() {
        kit.subscribeRoom("room-2", event -> { });

        kit.close();

        assertThat(realtime.isClosed()).isTrue();
        assertThat(realtime.subscriptionCount()).isZero();
    }

    @Test
    void subscribeRoomAfterCloseIsRefused() {
        kit.close();

        assertThatThrownBy(() -> kit.subscribeRoom(ROOM, event -> { }))
                .isInstanceOfSatisfying(RoomKitException.class,
                        ex -> assertThat(ex.code()).isEqualTo(ErrorCodes.REALTIME_CLOSED));
    }

    @Test
    void defaultKitUsesAnInMemoryRealtimeAndClosesIt() {
        RoomKit defaultKit = new RoomKit();
        defaultKit.subscribeRoom(ROOM, event -> { });

        defaultKit.close();

        assertThat(defaultKit.realtime()).isInstanceOfSatisfying(InMemoryRealtime.class, backend -> {
            assertThat(backend.isClosed()).isTrue();
            assertThat(backend.subscriptionCount()).isZero();
        });
    }

    @Test
    void blankRoomIdsAreInvalidArguments() {
        assertInvalidArgument(() -> kit.publishTyping("", "alice", true));
        assertInvalidArgument(() -> kit.publishTyping(null, "alice", true));
        assertInvalidArgument(() -> kit.publishPresence(" ", "alice", "online"));
        assertInvalidArgument(() -> kit.publishReaction("\t", "alice", "evt-1", "thumbsup"));
        assertInvalidArgument(() -> kit.publishReadReceipt("", "alice", "evt-1"));
        assertInvalidArgument(() -> kit.publishToolCall("", "ai-bot", TOOL_CALLS));
        assertInvalidArgument(() -> kit.subscribeRoom(" ", event -> { }));
        assertInvalidArgument(() -> kit.subscribeRoom(null, event -> { }));
    }

    @Test
    void blankUserIdsAreInvalidArguments() {
        assertInvalidArgument(() -> kit.publishTyping(ROOM, "", true));
        assertInvalidArgument(() -> kit.publishTyping(ROOM, null, false));
        assertInvalidArgument(() -> kit.publishPresence(ROOM, " ", "online"));
        assertInvalidArgument(() -> kit.publishPresence(ROOM, " ", "in_meeting"));
        assertInvalidArgument(() -> kit.publishReaction(ROOM, "", "evt-1", "thumbsup"));
        assertInvalidArgument(() -> kit.publishReadReceipt(ROOM, "", "evt-1"));
        assertInvalidArgument(() -> kit.publishToolCall(ROOM, " ", TOOL_CALLS));
    }

    @Test
    void refusedPublishesSendNothing() {
        assertInvalidArgument(() -> kit.publishTyping(ROOM, "", true));

        assertThat(realtime.publishedCount()).isZero();
    }

    @Test
    void publishAfterCloseIsANoOp() {
        kit.close();

        kit.publishTyping(ROOM, "alice", true);

        assertThat(realtime.publishedCount()).isZero();
        assertThat(received).isEmpty();
    }
}
