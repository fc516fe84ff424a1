package io.roomkit.pipeline;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKit;
import io.roomkit.channel.SystemChannel;
import io.roomkit.hook.Hook;
import io.roomkit.hook.HookResult;
import io.roomkit.hook.HookTrigger;
import io.roomkit.model.DeleteType;
import io.roomkit.model.EditContent;
import io.roomkit.model.EventStatus;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.InboundResult;
import io.roomkit.model.ParticipantRole;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.SystemContent;
import io.roomkit.model.TextContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.roomkit.pipeline.Messages.delete;
import static io.roomkit.pipeline.Messages.edit;
import static io.roomkit.pipeline.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

class DeleteTest {

    private static final String ROOM = "room-1";

    private RoomKit kit;
    private RecordingChannel bob;
    private RoomEvent original;

    private void start(RoomKit newKit) {
        kit = newKit;
        bob = new RecordingChannel("ws-bob");
        kit.registerChannel(new RecordingChannel("ws-alice"));
        kit.registerChannel(bob);
        kit.registerChannel(new RecordingChannel("ws-mod"));
        kit.registerChannel(new SystemChannel("system"));
        kit.createRoom(ROOM);
        kit.attachChannel(ROOM, "ws-alice");
        kit.attachChannel(ROOM, "ws-bob");
        original = send(text("ws-alice", "alice", "secret")).event();
    }

    private void start() {
        start(new RoomKit());
    }

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void senderDeleteMarksTheTargetDeletedAndKeepsItsIndex() {
        start();

        InboundResult result = send(delete("ws-alice", "alice", original.id(), DeleteType.SENDER, "typo"));

        assertThat(result.blocked()).isFalse();
        RoomEvent target = stored(original.id());
        assertThat(target.index()).isEqualTo(original.index());
        assertThat(target.isDeleted()).isTrue();
        assertThat(target.metadata()).containsEntry("delete_type", "sender").containsEntry("deleted_by", "alice")
                .containsEntry("reason", "typo").containsKey("deleted_at");
    }

    @Test
    void senderDeleteRedactsTheContentToATombstone() {
        start();

        send(delete("ws-alice", "alice", original.id()));

        assertThat(stored(original.id()).content()).isInstanceOfSatisfying(SystemContent.class,
                tombstone -> assertThat(tombstone.code()).isEqualTo("message_deleted"));
    }

    @Test
    void deleteRedactsEveryVersionHeldByEarlierEdits() {
        start();
        send(edit("ws-alice", "alice", original.id(), "still secret"));
        send(edit("ws-alice", "alice", original.id(), "even more secret"));

        send(delete("ws-alice", "alice", original.id()));

        assertThat(kit.editHistory(ROOM, original.id())).hasSize(2).allSatisfy(edit -> assertThat(edit.content())
                .isInstanceOfSatisfying(EditContent.class, content -> assertThat(List.of(content.newContent(),
                        content.previousContent())).allSatisfy(version -> assertThat(version)
                                .isInstanceOfSatisfying(SystemContent.class,
                                        tombstone -> assertThat(tombstone.code()).isEqualTo("message_deleted")))));
    }

    @Test
    void deleteEventIsAppendedAndBroadcast() {
        start();

        RoomEvent deleteEvent = send(delete("ws-alice", "alice", original.id())).event();

        assertThat(deleteEvent.type()).isEqualTo(EventType.DELETE);
        assertThat(deleteEvent.index()).isEqualTo(1);
        assertThat(deleteEvent.status()).isEqualTo(EventStatus.DELIVERED);
        assertThat(deleteEvent.targetEventId()).isEqualTo(original.id());
        assertThat(bob.deliveredIds()).containsExactly(original.id(), deleteEvent.id());
    }

    @Test
    void deleteByANonAuthorIsRefused() {
        start();

        assertRefused(delete("ws-bob", "bob", original.id()), ErrorCodes.NOT_ORIGINAL_AUTHOR);
    }

    @Test
    void deletingTwiceIsRefusedAsAlreadyDeleted() {
        start();
        send(delete("ws-alice", "alice", original.id()));
        long countBefore = kit.store().countEvents(ROOM);

        InboundResult result = send(delete("ws-alice", "alice", original.id()));

        assertThat(result.event()).isNull();
        assertThat(result.blocked()).isTrue();
        assertThat(result.reason()).isEqualTo(ErrorCodes.ALREADY_DELETED);
        assertThat(kit.store().countEvents(ROOM)).isEqualTo(countBefore);
    }

    @Test
    void deleteOfAnUnknownEventIsRefused() {
        start();

        assertRefused(delete("ws-alice", "alice", RoomEvent.newId()), ErrorCodes.TARGET_EVENT_NOT_FOUND);
    }

    @Test
    void deleteTypeWithTextContentIsAContentTypeMismatch() {
        start();
        InboundMessage message = InboundMessage.builder().channelId("ws-alice").senderId("alice")
                .eventType(EventType.DELETE).content(new TextContent("delete please")).build();

        assertRefused(message, ErrorCodes.CONTENT_TYPE_MISMATCH);
    }

    @Test
    void adminDeleteByANonOwnerIsNotAuthorized() {
        start();
        kit.addParticipant(ROOM, "bob", ParticipantRole.MEMBER);

        assertRefused(delete("ws-bob", "bob", original.id(), DeleteType.ADMIN, "spam"), ErrorCodes.NOT_AUTHORIZED);
    }

    @Test
    void adminDeleteOfOwnMessageByANonOwnerIsNotAuthorized() {
        start();

        assertRefused(delete("ws-alice", "alice", original.id(), DeleteType.ADMIN, null), ErrorCodes.NOT_AUTHORIZED);
    }

    @Test
    void adminDeleteByAnOwnerIsAllowedForSomeoneElsesMessage() {
        start();
        kit.addParticipant(ROOM, "bob", ParticipantRole.OWNER);

        InboundResult result = send(delete("ws-bob", "bob", original.id(), DeleteType.ADMIN, "spam"));

        assertThat(result.blocked()).isFalse();
        assertThat(stored(original.id()).metadata()).containsEntry("deleted", true)
                .containsEntry("delete_type", "admin").containsEntry("deleted_by", "bob");
    }

    @Test
    void adminDeleteByAModeratorOfTheModeratorCheckIsAllowed() {
        start(RoomKit.builder().moderatorCheck((participantId, context) -> "mod".equals(participantId)).build());

        InboundResult result = send(delete("ws-mod", "mod", original.id(), DeleteType.ADMIN, "off topic"));

        assertThat(result.blocked()).isFalse();
        assertThat(stored(original.id()).metadata()).containsEntry("deleted", true)
                .containsEntry("deleted_by", "mod");
    }

    @Test
    void moderatorCheckDoesNotAuthorizeOthers() {
        start(RoomKit.builder().moderatorCheck((participantId, context) -> "mod".equals(participantId)).build());

        assertRefused(delete("ws-bob", "bob", original.id(), DeleteType.ADMIN, null), ErrorCodes.NOT_AUTHORIZED);
    }

    @Test
    void systemDeleteFromANonSystemChannelIsNotAuthorizedEvenForTheAuthor() {
        start();

        assertRefused(delete("ws-alice", "alice", original.id(), DeleteType.SYSTEM, null), ErrorCodes.NOT_AUTHORIZED);
    }

    @Test
    void systemDeleteFromASystemChannelIsAllowed() {
        start();

        InboundResult result = send(delete("system", null, original.id(), DeleteType.SYSTEM, "retention"));

        assertThat(result.blocked()).isFalse();
        assertThat(stored(original.id()).metadata()).containsEntry("deleted", true)
                .containsEntry("delete_type", "system").containsEntry("deleted_by", "system");
    }

    @Test
    void hookBlockedDeleteLeavesTheTargetUnchangedAndStoresABlockedDelete() {
        start();
        kit.addHook(Hook.of(HookTrigger.BEFORE_BROADCAST, "keep-everything", 0,
                (event, context) -> event.type() == EventType.DELETE ? HookResult.block("retention")
                        : HookResult.allow()));

        InboundResult result = send(delete("ws-alice", "alice", original.id()));

        assertThat(result.blocked()).isTrue();
        assertThat(result.event().status()).isEqualTo(EventStatus.BLOCKED);
        assertThat(result.event().blockedBy()).isEqualTo("keep-everything");
        assertThat(stored(original.id())).isEqualTo(original);
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
