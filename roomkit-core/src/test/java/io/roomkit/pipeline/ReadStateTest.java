package io.roomkit.pipeline;

import io.roomkit.ErrorCodes;
import io.roomkit.EventNotFoundException;
import io.roomkit.RoomKit;
import io.roomkit.RoomKitException;
import io.roomkit.RoomNotFoundException;
import io.roomkit.hook.Hook;
import io.roomkit.hook.HookResult;
import io.roomkit.hook.HookTrigger;
import io.roomkit.model.RoomEvent;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.roomkit.pipeline.Messages.delete;
import static io.roomkit.pipeline.Messages.edit;
import static io.roomkit.pipeline.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadStateTest {

    private static final String ROOM = "room-1";

    private final RoomKit kit = new RoomKit();

    @BeforeEach
    void setUp() {
        kit.registerChannel(new RecordingChannel("ws-alice"));
        kit.registerChannel(new RecordingChannel("ws-bob"));
        kit.createRoom(ROOM);
        kit.attachChannel(ROOM, "ws-alice");
        kit.attachChannel(ROOM, "ws-bob");
    }

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void markReadMovesTheMarkerToTheEventsIndex() {
        fromAlice("one");
        RoomEvent second = fromAlice("two");
        fromAlice("three");

        kit.markRead(ROOM, "ws-bob", second.id());

        assertThat(kit.readMarkers(ROOM)).isEqualTo(Map.of("ws-bob", 1L));
        assertThat(kit.unreadCount(ROOM, "ws-bob")).isEqualTo(1);
    }

    @Test
    void markReadNeverMovesTheMarkerBack() {
        RoomEvent first = fromAlice("one");
        fromAlice("two");
        RoomEvent third = fromAlice("three");

        kit.markRead(ROOM, "ws-bob", third.id());
        kit.markRead(ROOM, "ws-bob", first.id());

        assertThat(kit.readMarkers(ROOM)).containsEntry("ws-bob", 2L);
        assertThat(kit.unreadCount(ROOM, "ws-bob")).isZero();
    }

    @Test
    void markReadOfAnUnknownEventFails() {
        fromAlice("one");

        assertThatThrownBy(() -> kit.markRead(ROOM, "ws-bob", RoomEvent.newId()))
                .isInstanceOf(EventNotFoundException.class)
                .extracting(ex -> ((RoomKitException) ex).code()).isEqualTo(ErrorCodes.EVENT_NOT_FOUND);
        assertThat(kit.readMarkers(ROOM)).isEmpty();
    }

    @Test
    void markReadOfAnEventOfAnotherRoomFails() {
        RoomEvent elsewhere = kit.processInbound(text("ws-alice", "alice", "other"), "room-2").event();

        assertThatThrownBy(() -> kit.markRead(ROOM, "ws-bob", elsewhere.id()))
                .isInstanceOf(EventNotFoundException.class)
                .extracting(ex -> ((RoomKitException) ex).code()).isEqualTo(ErrorCodes.EVENT_NOT_FOUND);
        assertThat(kit.readMarkers(ROOM)).isEmpty();
        assertThat(kit.readMarkers("room-2")).isEmpty();
    }

    @Test
    void readStateOfAnUnknownRoomFails() {
        RoomEvent event = fromAlice("one");

        assertRoomNotFound(() -> kit.markRead("no-such-room", "ws-bob", event.id()));
        assertRoomNotFound(() -> kit.markAllRead("no-such-room", "ws-bob"));
        assertRoomNotFound(() -> kit.unreadCount("no-such-room", "ws-bob"));
    }

    @Test
    void markAllReadMovesTheMarkerToTheNewestEvent() {
        fromAlice("one");
        fromAlice("two");

        kit.markAllRead(ROOM, "ws-bob");

        assertThat(kit.readMarkers(ROOM)).containsEntry("ws-bob", 1L);
        assertThat(kit.unreadCount(ROOM, "ws-bob")).isZero();
    }

    @Test
    void markAllReadOfAnEmptyRoomSetsNoMarker() {
        kit.markAllRead(ROOM, "ws-bob");

        assertThat(kit.readMarkers(ROOM)).isEmpty();
    }

    @Test
    void messagesAfterMarkAllReadAreUnread() {
        fromAlice("one");
        kit.markAllRead(ROOM, "ws-bob");
        fromAlice("two");

        assertThat(kit.unreadCount(ROOM, "ws-bob")).isEqualTo(1);
    }

    @Test
    void withoutAMarkerEveryMessageOfOthersIsUnread() {
        fromAlice("one");
        fromAlice("two");
        fromBob("mine");

        assertThat(kit.unreadCount(ROOM, "ws-bob")).isEqualTo(2);
        assertThat(kit.unreadCount(ROOM, "ws-alice")).isEqualTo(1);
    }

    @Test
    void deletedMessagesAndTheDeleteEventAreNotUnread() {
        RoomEvent first = fromAlice("one");
        fromAlice("two");

        kit.processInbound(delete("ws-alice", "alice", first.id()), ROOM);

        assertThat(kit.unreadCount(ROOM, "ws-bob")).isEqualTo(1);
    }

    @Test
    void editEventsAreNotUnread() {
        RoomEvent first = fromAlice("one");

        kit.processInbound(edit("ws-alice", "alice", first.id(), "one, fixed"), ROOM);

        assertThat(kit.unreadCount(ROOM, "ws-bob")).isEqualTo(1);
    }

    @Test
    void blockedMessagesAreNotUnread() {
        fromAlice("fine");
        kit.addHook(Hook.of(HookTrigger.BEFORE_BROADCAST, "blocker", 0, (event, context) -> HookResult.block("no")));
        fromAlice("blocked");

        assertThat(kit.unreadCount(ROOM, "ws-bob")).isEqualTo(1);
    }

    @Test
    void readMarkersAreKeptPerChannel() {
        RoomEvent first = fromAlice("one");
        fromBob("two");

        kit.markRead(ROOM, "ws-bob", first.id());

        assertThat(kit.unreadCount(ROOM, "ws-bob")).isZero();
        assertThat(kit.unreadCount(ROOM, "ws-alice")).isEqualTo(1);
        assertThat(kit.readMarkers(ROOM)).containsOnlyKeys("ws-bob");
    }

    private void assertRoomNotFound(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(RoomNotFoundException.class)
                .extracting(ex -> ((RoomKitException) ex).code()).isEqualTo(ErrorCodes.ROOM_NOT_FOUND);
    }

    private RoomEvent fromAlice(String body) {
        return kit.processInbound(text("ws-alice", "alice", body), ROOM).event();
    }

    private RoomEvent fromBob(String body) {
        return kit.processInbound(text("ws-bob", "bob", body), ROOM).event();
    }
}
