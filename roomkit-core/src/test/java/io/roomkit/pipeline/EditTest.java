package io.roomkit.pipeline;

import io.roomkit.ErrorCodes;
import io.roomkit.EventNotFoundException;
import io.roomkit.RoomKit;
import io.roomkit.channel.SystemChannel;
import io.roomkit.hook.Hook;
import io.roomkit.hook.HookResult;
import io.roomkit.hook.HookTrigger;
import io.roomkit.model.DeleteContent;
import io.roomkit.model.EditContent;
import io.roomkit.model.EventStatus;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.InboundResult;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.roomkit.pipeline.Messages.delete;
import static io.roomkit.pipeline.Messages.edit;
import static io.roomkit.pipeline.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class EditTest {

    private static final String ROOM = "room-1";

    private final RoomKit kit = new RoomKit();
    private final RecordingChannel alice = new RecordingChannel("ws-alice");
    private final RecordingChannel bob = new RecordingChannel("ws-bob");
    private RoomEvent original;

    @BeforeEach
    void setUp() {
        kit.registerChannel(alice);
        kit.registerChannel(bob);
        kit.registerChannel(new SystemChannel("system"));
        kit.createRoom(ROOM);
        kit.attachChannel(ROOM, "ws-alice");
        kit.attachChannel(ROOM, "ws-bob");
        original = send(text("ws-alice", "alice", "v1")).event();
    }

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void authorEditReplacesTheTargetContentInPlace() {
        InboundResult result = send(edit("ws-alice", "alice", original.id(), "v2"));

        assertThat(result.blocked()).isFalse();
        RoomEvent target = stored(original.id());
        assertThat(target.content()).isEqualTo(new TextContent("v2"));
        assertThat(target.index()).isEqualTo(original.index());
        assertThat(target.metadata()).containsEntry("edited", true).containsKey("edited_at");
        assertThat(target.metadata().get("edited_at")).isNotNull();
    }

    @Test
    void authorEditAppendsAndBroadcastsTheEditEvent() {
        RoomEvent editEvent = send(edit("ws-alice", "alice", original.id(), "v2")).event();

        assertThat(editEvent.type()).isEqualTo(EventType.EDIT);
        assertThat(editEvent.index()).isEqualTo(1);
        assertThat(editEvent.status()).isEqualTo(EventStatus.DELIVERED);
        assertThat(kit.store().countEvents(ROOM)).isEqualTo(2);
        assertThat(bob.deliveredIds()).containsExactly(original.id(), editEvent.id());
        assertThat(alice.delivered()).isEmpty();
    }

    @Test
    void editHistoryListsEditsOldestFirst() {
        String first = send(edit("ws-alice", "alice", original.id(), "v2")).event().id();
        String second = send(edit("ws-alice", "alice", original.id(), "v3")).event().id();

        assertThat(kit.editHistory(ROOM, original.id())).extracting(RoomEvent::id).containsExactly(first, second);
        assertThat(stored(original.id()).content()).isEqualTo(new TextContent("v3"));
    }

    @Test
    void everyVersionOfAnEditedMessageIsKeptTheOriginalIncluded() {
        RoomEvent first = send(edit("ws-alice", "alice", original.id(), "v2")).event();
        send(edit("ws-alice", "alice", original.id(), "v3"));

        assertThat(((EditContent) first.content()).previousContent()).isEqualTo(original.content());
        assertThat(((EditContent) bob.delivered().get(1).content()).previousContent()).isEqualTo(original.content());
        assertThat(kit.editHistory(ROOM, original.id())).extracting(edit -> (EditContent) edit.content())
                .extracting(EditContent::previousContent, EditContent::newContent).containsExactly(
                        tuple(original.content(), new TextContent("v2")),
                        tuple(new TextContent("v2"), new TextContent("v3")));
    }

    @Test
    void editHistoryOfAnUnknownEventFails() {
        assertThatThrownBy(() -> kit.editHistory(ROOM, RoomEvent.newId())).isInstanceOf(EventNotFoundException.class);
    }

    @Test
    void editByAnotherUserIsRefusedAndChangesNothing() {
        assertRefused(edit("ws-bob", "bob", original.id(), "hijacked"), ErrorCodes.NOT_ORIGINAL_AUTHOR);
    }

    @Test
    void editWithoutSenderIsRefused() {
        assertRefused(edit("ws-alice", null, original.id(), "anonymous"), ErrorCodes.IDENTITY_REQUIRED);
    }

    @Test
    void editOfAnUnknownEventIsRefused() {
        assertRefused(edit("ws-alice", "alice", RoomEvent.newId(), "v2"), ErrorCodes.TARGET_EVENT_NOT_FOUND);
    }

    @Test
    void editOfAnEventOfAnotherRoomIsRefused() {
        RoomEvent elsewhere = kit.processInbound(text("ws-alice", "alice", "other room"), "room-2").event();
        long countBefore = kit.store().countEvents("room-2");

        assertRefused(edit("ws-alice", "alice", elsewhere.id(), "v2"), ErrorCodes.TARGET_EVENT_NOT_FOUND);
        assertThat(kit.getEvent("room-2", elsewhere.id())).map(RoomEvent::content)
                .contains(new TextContent("other room"));
        assertThat(kit.store().countEvents("room-2")).isEqualTo(countBefore);
    }

    @Test
    void editOfADeletedMessageIsRefused() {
        send(delete("ws-alice", "alice", original.id()));
        long countBefore = kit.store().countEvents(ROOM);

        InboundResult result = send(edit("ws-alice", "alice", original.id(), "back from the dead"));

        assertThat(result.event()).isNull();
        assertThat(result.reason()).isEqualTo(ErrorCodes.TARGET_DELETED);
        assertThat(kit.store().countEvents(ROOM)).isEqualTo(countBefore);
        assertThat(stored(original.id()).isDeleted()).isTrue();
    }

    @Test
    void editOfAnEditEventIsRefused() {
        RoomEvent editEvent = send(edit("ws-alice", "alice", original.id(), "v2")).event();
        long countBefore = kit.store().countEvents(ROOM);

        InboundResult result = send(edit("ws-alice", "alice", editEvent.id(), "v3"));

        assertThat(result.event()).isNull();
        assertThat(result.reason()).isEqualTo(ErrorCodes.TARGET_NOT_EDITABLE);
        assertThat(kit.store().countEvents(ROOM)).isEqualTo(countBefore);
    }

    @Test
    void editTypeWithTextContentIsAContentTypeMismatch() {
        InboundMessage message = InboundMessage.builder().channelId("ws-alice").senderId("alice")
                .eventType(EventType.EDIT).content(new TextContent("v2")).build();

        assertRefused(message, ErrorCodes.CONTENT_TYPE_MISMATCH);
    }

    @Test
    void editWhoseNewContentIsADeleteIsAContentTypeMismatch() {
        InboundMessage message = InboundMessage.builder().channelId("ws-alice").senderId("alice")
                .eventType(EventType.EDIT)
                .content(new EditContent(original.id(), new DeleteContent(original.id()))).build();

        assertRefused(message, ErrorCodes.CONTENT_TYPE_MISMATCH);
    }

    @Test
    void editContentUnderMessageTypeIsAContentTypeMismatch() {
        InboundMessage message = InboundMessage.builder().channelId("ws-alice").senderId("alice")
                .eventType(EventType.MESSAGE).content(new EditContent(original.id(), new TextContent("v2"))).build();

        assertRefused(message, ErrorCodes.CONTENT_TYPE_MISMATCH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin", "System", "SYSTEM", "system_", "alice", ""})
    void forgedEditSourceByANonAuthorIsRefused(String editSource) {
        assertRefused(edit("ws-bob", "bob", original.id(), "forged", editSource), ErrorCodes.NOT_ORIGINAL_AUTHOR);
    }

    @Test
    void authorMayNameAnyNonSystemEditSource() {
        assertThat(send(edit("ws-alice", "alice", original.id(), "v2", "alice")).blocked()).isFalse();
        assertThat(stored(original.id()).content()).isEqualTo(new TextContent("v2"));
    }

    @Test
    void systemEditFromANonSystemChannelIsNotAuthorized() {
        assertRefused(edit("ws-alice", "alice", original.id(), "v2", EditContent.SYSTEM_SOURCE),
                ErrorCodes.NOT_AUTHORIZED);
    }

    @Test
    void systemEditFromASystemChannelIsAllowed() {
        InboundResult result = send(edit("system", null, original.id(), "moderated", EditContent.SYSTEM_SOURCE));

        assertThat(result.blocked()).isFalse();
        assertThat(stored(original.id()).content()).isEqualTo(new TextContent("moderated"));
        assertThat(stored(original.id()).isEdited()).isTrue();
    }

    @Test
    void hookBlockedEditLeavesTheTargetUnchangedAndStoresABlockedEdit() {
        kit.addHook(Hook.of(HookTrigger.BEFORE_BROADCAST, "no-edits", 0,
                (event, context) -> event.type() == EventType.EDIT ? HookResult.block("edits are frozen")
                        : HookResult.allow()));

        InboundResult result = send(edit("ws-alice", "alice", original.id(), "v2"));

        assertThat(result.blocked()).isTrue();
        assertThat(result.reason()).isEqualTo("edits are frozen");
        assertThat(result.event().type()).isEqualTo(EventType.EDIT);
        assertThat(result.event().status()).isEqualTo(EventStatus.BLOCKED);
        assertThat(result.event().blockedBy()).isEqualTo("no-edits");
        assertThat(kit.store().countEvents(ROOM)).isEqualTo(2);
        assertThat(stored(original.id())).isEqualTo(original);
        assertThat(bob.deliveredIds()).containsExactly(original.id());
    }

    @Test
    void hookBlockedEditIsNotPartOfTheEditHistory() {
        kit.addHook(Hook.of(HookTrigger.BEFORE_BROADCAST, "no-edits", 0,
                (event, context) -> event.type() == EventType.EDIT ? HookResult.block("edits are frozen")
                        : HookResult.allow()));

        send(edit("ws-alice", "alice", original.id(), "v2"));

        assertThat(kit.editHistory(ROOM, original.id())).isEmpty();
    }

    private void assertRefused(InboundMessage message, String code) {
        long countBefore = kit.store().countEvents(ROOM);
        int deliveredBefore = bob.delivered().size();

        InboundResult result = send(message);

        assertThat(result.event()).isNull();
        assertThat(result.blocked()).isTrue();
        assertThat(result.reason()).isEqualTo(code);
        assertThat(kit.store().countEvents(ROOM)).isEqualTo(countBefore);
        assertThat(stored(original.id())).isEqualTo(original);
        assertThat(bob.delivered()).hasSize(deliveredBefore);
    }

    private InboundResult send(InboundMessage message) {
        return kit.processInbound(message, ROOM);
    }

    private RoomEvent stored(String eventId) {
        return kit.getEvent(ROOM, eventId).orElseThrow();
    }
}
