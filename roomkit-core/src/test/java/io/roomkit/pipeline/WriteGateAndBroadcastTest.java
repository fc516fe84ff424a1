package io.roomkit.pipeline;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKit;
import io.roomkit.model.ChannelAccess;
import io.roomkit.model.EventStatus;
import io.roomkit.model.InboundResult;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.roomkit.pipeline.Messages.edit;
import static io.roomkit.pipeline.Messages.keyed;
import static io.roomkit.pipeline.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

class WriteGateAndBroadcastTest {

    private static final String ROOM = "room-1";

    private final RoomKit kit = new RoomKit();
    private final RecordingChannel alice = new RecordingChannel("ws-alice");
    private final RecordingChannel bob = new RecordingChannel("ws-bob");

    @BeforeEach
    void setUp() {
        kit.registerChannel(alice);
        kit.registerChannel(bob);
        kit.createRoom(ROOM);
        kit.attachChannel(ROOM, "ws-alice");
        kit.attachChannel(ROOM, "ws-bob");
    }

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void mutedSourceIsStoredBlockedAndNotDelivered() {
        kit.muteChannel(ROOM, "ws-alice");

        InboundResult result = sendFromAlice("hello");

        assertBlockedBy(result, ErrorCodes.SOURCE_MUTED);
        assertThat(bob.delivered()).isEmpty();
    }

    @Test
    void unmutedSourceMayWriteAgain() {
        kit.muteChannel(ROOM, "ws-alice");
        kit.unmuteChannel(ROOM, "ws-alice");

        assertThat(sendFromAlice("hello").blocked()).isFalse();
    }

    @Test
    void readOnlySourceIsStoredBlocked() {
        kit.attachChannel(ROOM, "ws-alice", ChannelAccess.READ_ONLY);

        assertBlockedBy(sendFromAlice("hello"), ErrorCodes.SOURCE_READ_ONLY);
        assertThat(bob.delivered()).isEmpty();
    }

    @Test
    void sourceWithoutAccessIsStoredBlockedAsReadOnly() {
        kit.attachChannel(ROOM, "ws-alice", ChannelAccess.NONE);

        assertBlockedBy(sendFromAlice("hello"), ErrorCodes.SOURCE_READ_ONLY);
    }

    @Test
    void writeOnlySourceMayWrite() {
        kit.attachChannel(ROOM, "ws-alice", ChannelAccess.WRITE_ONLY);

        InboundResult result = sendFromAlice("hello");

        assertThat(result.blocked()).isFalse();
        assertThat(bob.deliveredIds()).containsExactly(result.event().id());
    }

    @Test
    void mutedAuthorsEditIsBlockedAndLeavesTheTargetUnchanged() {
        RoomEvent original = sendFromAlice("v1").event();
        kit.muteChannel(ROOM, "ws-alice");

        InboundResult result = kit.processInbound(edit("ws-alice", "alice", original.id(), "v2"), ROOM);

        assertBlockedBy(result, ErrorCodes.SOURCE_MUTED);
        assertThat(kit.getEvent(ROOM, original.id())).map(RoomEvent::content).contains(new TextContent("v1"));
    }

    @Test
    void sourceNeverReceivesItsOwnEvent() {
        sendFromAlice("one");
        kit.processInbound(text("ws-bob", "bob", "two"), ROOM);

        assertThat(alice.delivered()).extracting(event -> event.source().channelId()).containsOnly("ws-bob");
        assertThat(bob.delivered()).extracting(event -> event.source().channelId()).containsOnly("ws-alice");
    }

    @Test
    void eventIsDeliveredBeforeProcessInboundReturns() {
        InboundResult result = sendFromAlice("hello");

        assertThat(bob.deliveredIds()).containsExactly(result.event().id());
        assertThat(bob.delivered().get(0).status()).isEqualTo(EventStatus.DELIVERED);
        assertThat(bob.delivered().get(0).index()).isZero();
    }

    @Test
    void readOnlyAndMutedTargetsStillReceive() {
        RecordingChannel carol = register("ws-carol");
        kit.attachChannel(ROOM, "ws-bob", ChannelAccess.READ_ONLY);
        kit.muteChannel(ROOM, "ws-carol");

        String id = sendFromAlice("hello").event().id();

        assertThat(bob.deliveredIds()).containsExactly(id);
        assertThat(carol.deliveredIds()).containsExactly(id);
    }

    @Test
    void writeOnlyAndNoneTargetsDoNotReceive() {
        RecordingChannel carol = register("ws-carol");
        kit.attachChannel(ROOM, "ws-bob", ChannelAccess.WRITE_ONLY);
        kit.attachChannel(ROOM, "ws-carol", ChannelAccess.NONE);

        sendFromAlice("hello");

        assertThat(bob.delivered()).isEmpty();
        assertThat(carol.delivered()).isEmpty();
    }

    @Test
    void unregisteredChannelKeepsItsBindingButReceivesNothing() {
        kit.unregisterChannel("ws-bob");

        InboundResult result = sendFromAlice("hello");

        assertThat(result.blocked()).isFalse();
        assertThat(kit.getBinding(ROOM, "ws-bob")).isPresent();
        assertThat(bob.delivered()).isEmpty();
    }

    @Test
    void throwingChannelDoesNotStopDeliveryToOthers() {
        RecordingChannel broken = RecordingChannel.failing("ws-broken");
        kit.registerChannel(broken);
        kit.detachChannel(ROOM, "ws-bob");
        kit.attachChannel(ROOM, "ws-broken");
        kit.attachChannel(ROOM, "ws-bob");

        InboundResult result = sendFromAlice("hello");

        assertThat(result.blocked()).isFalse();
        assertThat(result.event().status()).isEqualTo(EventStatus.DELIVERED);
        assertThat(broken.deliveredIds()).containsExactly(result.event().id());
        assertThat(bob.deliveredIds()).containsExactly(result.event().id());
        assertThat(kit.getEvent(ROOM, result.event().id())).map(RoomEvent::status).contains(EventStatus.DELIVERED);
    }

    @Test
    void idempotentRepeatReturnsTheOriginalWithoutBroadcastingAgain() {
        InboundResult first = kit.processInbound(keyed("ws-alice", "alice", "once", "key-1"), ROOM);

        InboundResult repeat = kit.processInbound(keyed("ws-alice", "alice", "changed body", "key-1"), ROOM);

        assertThat(repeat.blocked()).isFalse();
        assertThat(repeat.reason()).isNull();
        assertThat(repeat.event()).isEqualTo(first.event());
        assertThat(kit.store().countEvents(ROOM)).isEqualTo(1);
        assertThat(bob.deliveredIds()).containsExactly(first.event().id());
    }

    @Test
    void idempotencyKeysAreScopedToTheRoom() {
        InboundResult first = kit.processInbound(keyed("ws-alice", "alice", "once", "key-1"), ROOM);

        InboundResult other = kit.processInbound(keyed("ws-alice", "alice", "once", "key-1"), "room-2");

        assertThat(other.event().id()).isNotEqualTo(first.event().id());
        assertThat(other.event().roomId()).isEqualTo("room-2");
    }

    @Test
    void repeatOfABlockedKeyReturnsTheBlockedOriginal() {
        kit.muteChannel(ROOM, "ws-alice");
        InboundResult first = kit.processInbound(keyed("ws-alice", "alice", "once", "key-1"), ROOM);

        InboundResult repeat = kit.processInbound(keyed("ws-alice", "alice", "once", "key-1"), ROOM);

        assertThat(repeat.event().id()).isEqualTo(first.event().id());
        assertThat(kit.store().countEvents(ROOM)).isEqualTo(1);
    }

    private void assertBlockedBy(InboundResult result, String code) {
        assertThat(result.blocked()).isTrue();
        assertThat(result.reason()).isEqualTo(code);
        assertThat(result.event().status()).isEqualTo(EventStatus.BLOCKED);
        assertThat(result.event().blockedBy()).isEqualTo(code);
        assertThat(kit.getEvent(ROOM, result.event().id())).contains(result.event());
    }

    private RecordingChannel register(String id) {
        RecordingChannel channel = new RecordingChannel(id);
        kit.registerChannel(channel);
        kit.attachChannel(ROOM, id);
        return channel;
    }

    private InboundResult sendFromAlice(String body) {
        return kit.processInbound(text("ws-alice", "alice", body), ROOM);
    }
}
