package io.roomkit.pipeline;

import io.roomkit.ChannelNotRegisteredException;
import io.roomkit.ErrorCodes;
import io.roomkit.InvalidInputException;
import io.roomkit.RoomKit;
import io.roomkit.model.EventQuery;
import io.roomkit.model.InboundResult;
import io.roomkit.model.Room;
import io.roomkit.model.RoomStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.roomkit.pipeline.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InboundRoutingTest {

    private final RoomKit kit = new RoomKit();
    private final RecordingChannel alice = new RecordingChannel("ws-alice");
    private final RecordingChannel bob = new RecordingChannel("ws-bob");

    {
        kit.registerChannel(alice);
        kit.registerChannel(bob);
    }

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void unknownChannelWithExplicitRoomThrowsAndStoresNothing() {
        assertThatThrownBy(() -> kit.processInbound(text("ws-ghost", "ghost", "boo"), "room-1"))
                .isInstanceOf(ChannelNotRegisteredException.class)
                .extracting(ex -> ((ChannelNotRegisteredException) ex).code())
                .isEqualTo(ErrorCodes.CHANNEL_NOT_REGISTERED);
        assertThat(kit.getRoom("room-1")).isEmpty();
    }

    @Test
    void unknownChannelWithoutRoomThrowsAndCreatesNoRoom() {
        assertThatThrownBy(() -> kit.processInbound(text("ws-ghost", "ghost", "boo")))
                .isInstanceOf(ChannelNotRegisteredException.class);
        assertThat(kit.listRooms(0, 10)).isEmpty();
    }

    @Test
    void explicitRoomIsCreatedAndTheChannelAttached() {
        InboundResult result = kit.processInbound(text("ws-alice", "alice", "hello"), "room-1");

        assertThat(result.blocked()).isFalse();
        assertThat(result.event().roomId()).isEqualTo("room-1");
        assertThat(result.event().index()).isZero();
        assertThat(kit.getRoom("room-1")).map(Room::status).contains(RoomStatus.ACTIVE);
        assertThat(kit.getBinding("room-1", "ws-alice")).isPresent();
    }

    @Test
    void explicitExistingRoomAttachesAnUnboundChannel() {
        kit.createRoom("room-1");
        kit.attachChannel("room-1", "ws-alice");

        kit.processInbound(text("ws-bob", "bob", "hi"), "room-1");

        assertThat(kit.getBinding("room-1", "ws-bob")).isPresent();
        assertThat(kit.bindings("room-1")).hasSize(2);
    }

    @Test
    void routesToTheSingleActiveRoomTheChannelIsBoundTo() {
        kit.createRoom("room-1");
        kit.attachChannel("room-1", "ws-alice");

        InboundResult result = kit.processInbound(text("ws-alice", "alice", "hello"));

        assertThat(result.event().roomId()).isEqualTo("room-1");
        assertThat(kit.listRooms(0, 10)).hasSize(1);
    }

    @Test
    void routingIgnoresClosedRoomsOfTheChannel() {
        kit.createRoom("old");
        kit.attachChannel("old", "ws-alice");
        kit.closeRoom("old");
        kit.createRoom("current");
        kit.attachChannel("current", "ws-alice");

        assertThat(kit.processInbound(text("ws-alice", "alice", "hello")).event().roomId()).isEqualTo("current");
    }

    @Test
    void unboundChannelGetsANewRoomWithTheChannelAttached() {
        InboundResult result = kit.processInbound(text("ws-alice", "alice", "hello"));

        String roomId = result.event().roomId();
        assertThat(kit.listRooms(0, 10)).extracting(Room::id).containsExactly(roomId);
        assertThat(kit.getBinding(roomId, "ws-alice")).isPresent();
        assertThat(result.event().index()).isZero();
    }

    @Test
    void secondMessageOfAnUnboundChannelJoinsTheRoomCreatedForTheFirst() {
        String first = kit.processInbound(text("ws-alice", "alice", "one")).event().roomId();

        InboundResult second = kit.processInbound(text("ws-alice", "alice", "two"));

        assertThat(second.event().roomId()).isEqualTo(first);
        assertThat(second.event().index()).isEqualTo(1);
    }

    @Test
    void channelBoundToTwoActiveRoomsGetsANewRoom() {
        kit.createRoom("room-1");
        kit.createRoom("room-2");
        kit.attachChannel("room-1", "ws-alice");
        kit.attachChannel("room-2", "ws-alice");

        String roomId = kit.processInbound(text("ws-alice", "alice", "hello")).event().roomId();

        assertThat(roomId).isNotIn("room-1", "room-2");
        assertThat(kit.getBinding(roomId, "ws-alice")).isPresent();
        assertThat(kit.events("room-1", EventQuery.latest(10))).isEmpty();
        assertThat(kit.events("room-2", EventQuery.latest(10))).isEmpty();
    }

    @Test
    void closedRoomRefusesAndStoresNothing() {
        kit.processInbound(text("ws-alice", "alice", "before"), "room-1");
        kit.attachChannel("room-1", "ws-bob");
        kit.closeRoom("room-1");

        InboundResult result = kit.processInbound(text("ws-alice", "alice", "after"), "room-1");

        assertThat(result.event()).isNull();
        assertThat(result.blocked()).isTrue();
        assertThat(result.reason()).isEqualTo(ErrorCodes.ROOM_CLOSED);
        assertThat(kit.store().countEvents("room-1")).isEqualTo(1);
        assertThat(bob.delivered()).isEmpty();
    }

    @Test
    void archivedRoomRefusesAndStoresNothing() {
        kit.processInbound(text("ws-alice", "alice", "before"), "room-1");
        kit.archiveRoom("room-1");

        InboundResult result = kit.processInbound(text("ws-alice", "alice", "after"), "room-1");

        assertThat(result.event()).isNull();
        assertThat(result.reason()).isEqualTo(ErrorCodes.ROOM_CLOSED);
        assertThat(kit.store().countEvents("room-1")).isEqualTo(1);
    }

    @Test
    void closedRoomDoesNotAttachTheRefusedChannel() {
        kit.createRoom("room-1");
        kit.closeRoom("room-1");

        kit.processInbound(text("ws-bob", "bob", "let me in"), "room-1");

        assertThat(kit.getBinding("room-1", "ws-bob")).isEmpty();
    }

    @Test
    void pausedRoomAccepts() {
        Room room = kit.createRoom("room-1");
        kit.store().updateRoom(room.withStatus(RoomStatus.PAUSED));

        InboundResult result = kit.processInbound(text("ws-alice", "alice", "hello"), "room-1");

        assertThat(result.blocked()).isFalse();
        assertThat(result.event().index()).isZero();
    }

    @Test
    void reopenedRoomAcceptsAgain() {
        kit.processInbound(text("ws-alice", "alice", "one"), "room-1");
        kit.closeRoom("room-1");
        kit.processInbound(text("ws-alice", "alice", "refused"), "room-1");
        kit.reopenRoom("room-1");

        InboundResult result = kit.processInbound(text("ws-alice", "alice", "two"), "room-1");

        assertThat(result.blocked()).isFalse();
        assertThat(result.event().index()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.b", "a/b", "*", "", "a b", "room#1"})
    void invalidRoomIdsAreRejected(String roomId) {
        assertInvalidRoomId(roomId);
    }

    @Test
    void roomIdOf129CharactersIsRejected() {
        assertInvalidRoomId("r".repeat(129));
    }

    @Test
    void roomIdOf128CharactersIsAccepted() {
        String roomId = "r".repeat(128);

        assertThat(kit.processInbound(text("ws-alice", "alice", "hi"), roomId).event().roomId()).isEqualTo(roomId);
    }

    private void assertInvalidRoomId(String roomId) {
        assertThatThrownBy(() -> kit.processInbound(text("ws-alice", "alice", "hi"), roomId))
                .isInstanceOf(InvalidInputException.class)
                .extracting(ex -> ((InvalidInputException) ex).code()).isEqualTo(ErrorCodes.INVALID_ROOM_ID);
        assertThat(kit.listRooms(0, 10)).isEmpty();
    }
}
