package io.roomkit.pipeline;

import io.roomkit.RoomKit;
import io.roomkit.hook.Hook;
import io.roomkit.hook.HookResult;
import io.roomkit.hook.HookTrigger;
import io.roomkit.model.ChannelType;
import io.roomkit.model.DeleteContent;
import io.roomkit.model.EditContent;
import io.roomkit.model.EventSource;
import io.roomkit.model.EventStatus;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundResult;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.SystemContent;
import io.roomkit.model.TextContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.roomkit.pipeline.Messages.delete;
import static io.roomkit.pipeline.Messages.edit;
import static io.roomkit.pipeline.Messages.keyed;
import static io.roomkit.pipeline.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

class HookPipelineTest {

    private static final String ROOM = "room-1";

    private final RoomKit kit = new RoomKit();
    private final RecordingChannel bob = new RecordingChannel("ws-bob");

    @BeforeEach
    void setUp() {
        kit.registerChannel(new RecordingChannel("ws-alice"));
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
    void blockingHookStoresABlockedEventNamedAfterTheHook() {
        kit.addHook(Hook.of(HookTrigger.BEFORE_BROADCAST, "spam-filter", 0,
                (event, context) -> HookResult.block("no spam")));

        InboundResult result = sendText("buy now");

        assertThat(result.blocked()).isTrue();
        assertThat(result.reason()).isEqualTo("no spam");
        assertThat(result.event().status()).isEqualTo(EventStatus.BLOCKED);
        assertThat(result.event().blockedBy()).isEqualTo("spam-filter");
        assertThat(kit.getEvent(ROOM, result.event().id())).contains(result.event());
    }

    @Test
    void blockedEventIsNotDelivered() {
        kit.addHook(Hook.of(HookTrigger.BEFORE_BROADCAST, "spam-filter", 0,
                (event, context) -> HookResult.block("no spam")));

        sendText("buy now");

        assertThat(bob.delivered()).isEmpty();
    }

    @Test
    void blockStopsTheChainOfLaterHooks() {
        AtomicInteger laterCalls = new AtomicInteger();
        kit.addHook(Hook.of(HookTrigger.BEFORE_BROADCAST, "first", 1, (event, context) -> HookResult.block("stop")));
        kit.addHook(Hook.of(HookTrigger.BEFORE_BROADCAST, "later", 2, (event, context) -> {
            laterCalls.incrementAndGet();
            return HookResult.allow();
        }));

        sendText("hello");

        assertThat(laterCalls).hasValue(0);
    }

    @Test
    void modifiedContentIsStoredAndDelivered() {
        kit.addHook((event, context) -> HookResult.modify(
                event.toBuilder().content(new TextContent("[REDACTED]")).build()));

        InboundResult result = sendText("my password is hunter2");

        assertThat(result.blocked()).isFalse();
        assertThat(kit.getEvent(ROOM, result.event().id())).map(RoomEvent::content)
                .contains(new TextContent("[REDACTED]"));
        assertThat(bob.delivered()).extracting(RoomEvent::content).containsExactly(new TextContent("[REDACTED]"));
    }

    @Test
    void modificationCannotChangeIdTypeOrSource() {
        AtomicReference<RoomEvent> seen = new AtomicReference<>();
        kit.addHook((event, context) -> {
            seen.set(event);
            return HookResult.modify(event.toBuilder().id("forged").type(EventType.SYSTEM)
                    .source(new EventSource("ws-evil", ChannelType.SYSTEM, "mallory"))
                    .idempotencyKey("other-key").content(new SystemContent("changed")).build());
        });

        RoomEvent stored = kit.processInbound(keyed("ws-alice", "alice", "hello", "key-1"), ROOM).event();

        assertThat(stored.id()).isEqualTo(seen.get().id());
        assertThat(stored.type()).isEqualTo(EventType.MESSAGE);
        assertThat(stored.source()).isEqualTo(seen.get().source());
        assertThat(stored.idempotencyKey()).isEqualTo("key-1");
        assertThat(stored.content()).isEqualTo(new SystemContent("changed"));
        assertThat(kit.getEvent(ROOM, "forged")).isEmpty();
    }

    @Test
    void modificationsAreSeenByLaterHooks() {
        kit.addHook(Hook.of(HookTrigger.BEFORE_BROADCAST, "tagger", 1, (event, context) -> HookResult.modify(
                event.toBuilder().metadata(Map.of("tag", "checked")).build())));
        kit.addHook(Hook.of(HookTrigger.BEFORE_BROADCAST, "gate", 2, (event, context) ->
                "checked".equals(event.metadata().get("tag")) ? HookResult.allow() : HookResult.block("unchecked")));

        InboundResult result = sendText("hello");

        assertThat(result.blocked()).isFalse();
        assertThat(result.event().metadata()).containsEntry("tag", "checked");
    }

    @Test
    void lowerPriorityRunsFirstRegardlessOfRegistrationOrder() {
        List<Integer> order = new CopyOnWriteArrayList<>();
        for (int priority : new int[] {2, 0, 1}) {
            kit.addHook(Hook.of(HookTrigger.BEFORE_BROADCAST, "p" + priority, priority, (event, context) -> {
                order.add(priority);
                return HookResult.allow();
            }));
        }

        sendText("hello");

        assertThat(order).containsExactly(0, 1, 2);
    }

    @Test
    void throwingHookIsTreatedAsAllow() {
        kit.addHook(Hook.of(HookTrigger.BEFORE_BROADCAST, "broken", 0, (event, context) -> {
            throw new IllegalStateException("hook bug");
        }));

        InboundResult result = sendText("hello");

        assertThat(result.blocked()).isFalse();
        assertThat(result.event().status()).isEqualTo(EventStatus.DELIVERED);
        assertThat(bob.deliveredIds()).containsExactly(result.event().id());
    }

    @Test
    void hookReturningNullIsTreatedAsAllow() {
        kit.addHook((event, context) -> null);

        assertThat(sendText("hello").blocked()).isFalse();
    }

    @Test
    void afterBroadcastRunsOncePerEventAfterDelivery() {
        List<String> observed = new CopyOnWriteArrayList<>();
        List<Boolean> deliveredFirst = new CopyOnWriteArrayList<>();
        kit.addHook(Hook.observer(HookTrigger.AFTER_BROADCAST, "after", (event, context) -> {
            observed.add(event.id());
            deliveredFirst.add(bob.received(event.id()));
        }));

        String first = sendText("one").event().id();
        String second = sendText("two").event().id();

        assertThat(observed).containsExactly(first, second);
        assertThat(deliveredFirst).containsOnly(true);
    }

    @Test
    void afterBroadcastDoesNotRunForBlockedEvents() {
        List<String> observed = new CopyOnWriteArrayList<>();
        kit.addHook(Hook.observer(HookTrigger.AFTER_BROADCAST, "after", (event, context) -> observed.add(event.id())));
        kit.addHook(Hook.of(HookTrigger.BEFORE_BROADCAST, "blocker", 0, (event, context) -> HookResult.block("no")));

        sendText("hello");

        assertThat(observed).isEmpty();
    }

    @Test
    void afterBroadcastResultCannotBlock() {
        kit.addHook(Hook.of(HookTrigger.AFTER_BROADCAST, "late-block", 0, (event, context) -> HookResult.block("no")));

        InboundResult result = sendText("hello");

        assertThat(result.blocked()).isFalse();
        assertThat(result.event().status()).isEqualTo(EventStatus.DELIVERED);
    }

    @Test
    void onEventUpdatedReceivesTheEditedTarget() {
        List<RoomEvent> updated = new CopyOnWriteArrayList<>();
        kit.addHook(Hook.observer(HookTrigger.ON_EVENT_UPDATED, "updated", (event, context) -> updated.add(event)));
        RoomEvent original = sendText("v1").event();

        kit.processInbound(edit("ws-alice", "alice", original.id(), "v2"), ROOM);

        assertThat(updated).singleElement().satisfies(target -> {
            assertThat(target.id()).isEqualTo(original.id());
            assertThat(target.content()).isEqualTo(new TextContent("v2"));
            assertThat(target.isEdited()).isTrue();
        });
    }

    @Test
    void onEventDeletedReceivesTheDeletedTarget() {
        List<RoomEvent> deleted = new CopyOnWriteArrayList<>();
        kit.addHook(Hook.observer(HookTrigger.ON_EVENT_DELETED, "deleted", (event, context) -> deleted.add(event)));
        RoomEvent original = sendText("v1").event();

        kit.processInbound(delete("ws-alice", "alice", original.id()), ROOM);

        assertThat(deleted).singleElement().satisfies(target -> {
            assertThat(target.id()).isEqualTo(original.id());
            assertThat(target.isDeleted()).isTrue();
        });
        assertThat(kit.getEvent(ROOM, original.id())).isPresent();
    }

    @Test
    void mutationHooksDoNotFireForBlockedEditsOrPlainMessages() {
        List<RoomEvent> mutated = new CopyOnWriteArrayList<>();
        kit.addHook(Hook.observer(HookTrigger.ON_EVENT_UPDATED, "updated", (event, context) -> mutated.add(event)));
        kit.addHook(Hook.observer(HookTrigger.ON_EVENT_DELETED, "deleted", (event, context) -> mutated.add(event)));
        kit.addHook(Hook.of(HookTrigger.BEFORE_BROADCAST, "no-edits", 0, (event, context) ->
                event.type() == EventType.EDIT ? HookResult.block("frozen") : HookResult.allow()));
        RoomEvent original = sendText("v1").event();

        kit.processInbound(edit("ws-alice", "alice", original.id(), "v2"), ROOM);

        assertThat(mutated).isEmpty();
    }

    @Test
    void hookMayRewriteTheNewContentOfAnEdit() {
        RoomEvent original = sendText("v1").event();
        kit.addHook((event, context) -> event.content() instanceof EditContent edit
                ? HookResult.modify(
                        event.toBuilder().content(edit.withNewContent(new TextContent("v2 (checked)"))).build())
                : HookResult.allow());

        kit.processInbound(edit("ws-alice", "alice", original.id(), "v2"), ROOM);

        assertThat(kit.getEvent(ROOM, original.id())).map(RoomEvent::content)
                .contains(new TextContent("v2 (checked)"));
    }

    @Test
    void hookCannotRetargetAnEdit() {
        RoomEvent original = sendText("v1").event();
        RoomEvent bystander = kit.processInbound(text("ws-bob", "bob", "not yours"), ROOM).event();
        kit.addHook((event, context) -> event.type() == EventType.EDIT
                ? HookResult.modify(event.toBuilder()
                        .content(new EditContent(bystander.id(), new TextContent("hijacked"))).build())
                : HookResult.allow());

        RoomEvent editEvent = kit.processInbound(edit("ws-alice", "alice", original.id(), "v2"), ROOM).event();

        assertThat(editEvent.targetEventId()).isEqualTo(original.id());
        assertThat(kit.getEvent(ROOM, bystander.id())).contains(bystander);
        assertThat(kit.getEvent(ROOM, original.id())).map(RoomEvent::content).contains(new TextContent("v2"));
    }

    @Test
    void hookCannotTurnAMessageIntoADelete() {
        RoomEvent original = sendText("v1").event();
        kit.addHook((event, context) -> "sneaky".equals(event.content().plainText())
                ? HookResult.modify(event.toBuilder().content(new DeleteContent(original.id())).build())
                : HookResult.allow());

        InboundResult result = sendText("sneaky");

        assertThat(kit.getEvent(ROOM, original.id())).contains(original);
        assertThat(result.event().type()).isEqualTo(EventType.MESSAGE);
    }

    @Test
    void removedHookNoLongerRuns() {
        kit.addHook(Hook.of(HookTrigger.BEFORE_BROADCAST, "blocker", 0, (event, context) -> HookResult.block("no")));

        assertThat(kit.removeHook("blocker")).isTrue();

        assertThat(sendText("hello").blocked()).isFalse();
        assertThat(kit.removeHook("blocker")).isFalse();
    }

    private InboundResult sendText(String body) {
        return kit.processInbound(text("ws-alice", "alice", body), ROOM);
    }
}
