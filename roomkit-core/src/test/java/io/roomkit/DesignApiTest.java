package io.roomkit;

import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.DeleteContent;
import io.roomkit.model.DeleteType;
import io.roomkit.model.EditContent;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.InboundResult;
import io.roomkit.model.ParticipantRole;
import io.roomkit.model.Room;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import io.roomkit.store.InMemoryConversationStore;
import io.roomkit.realtime.InMemoryRealtime;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The public API exactly as DESIGN.md §2 writes it: code outside this repository compiles against these
 * calls, so this test fails to compile when one of them changes shape.
 */
class DesignApiTest {

    @Test
    void theDesignSnippetCompilesAndRuns() {
        var store = new InMemoryConversationStore();
        var backend = new InMemoryRealtime();
        RoomKit kit = RoomKit.builder().store(store).realtime(backend).build();
        List<Map<String, Object>> toolCalls = List.of(Map.of("id", "c1", "name", "search", "arguments", Map.of()));
        String targetEventId = "evt-1";

        kit.publishTyping("room-1", "alice", true);
        kit.publishTyping("room-1", "alice", true, Map.of("name", "Alice"));
        kit.publishPresence("room-1", "alice", "online");
        kit.publishReaction("room-1", "alice", targetEventId, "thumbsup");
        kit.publishReaction("room-1", "alice", targetEventId, "thumbsup", "remove");
        kit.publishToolCall("room-1", "ai-bot", toolCalls, EphemeralEventType.TOOL_CALL_END, 42L);
        String subId = kit.subscribeRoom("room-1", event -> { });
        boolean removed = kit.unsubscribeRoom(subId);
        kit.realtime().publishToRoom("room-1", EphemeralEvent.of("room-1", EphemeralEventType.CUSTOM, "system",
                Map.of("action", "file_uploaded", "filename", "report.pdf")));

        Room room = kit.createRoom("room-1");
        Optional<Room> found = kit.getRoom("room-1");
        kit.addParticipant("room-1", "alice", ParticipantRole.OWNER);
        kit.registerChannel(new WebSocketChannel("ws-alice"));
        kit.attachChannel("room-1", "ws-alice");

        InboundResult r = kit.processInbound(InboundMessage.text("ws-alice", "alice", "Hello"));
        InboundMessage message = InboundMessage.text("ws-alice", "alice", "Hello again");
        InboundResult r2 = kit.processInbound(message, "room-1");
        String originalId = r.event().id();
        kit.processInbound(InboundMessage.builder().channelId("ws-alice").senderId("alice")
                .eventType(EventType.EDIT)
                .content(new EditContent(originalId, new TextContent("Fixed typo!"))).build());
        String msgId = r2.event().id();
        kit.processInbound(InboundMessage.builder().channelId("ws-alice").senderId("alice")
                .eventType(EventType.DELETE)
                .content(new DeleteContent(msgId, DeleteType.SENDER, "Changed my mind")).build());
        String eventId = originalId;
        kit.markRead("room-1", "ws-alice", eventId);
        kit.markAllRead("room-1", "ws-alice");
        long unread = kit.unreadCount("room-1", "ws-alice");
        List<RoomEvent> page = kit.events("room-1", EventQuery.latest(50));
        List<RoomEvent> after = kit.events("room-1", EventQuery.after(0, 50));
        Optional<RoomEvent> e = kit.getEvent("room-1", eventId);
        List<RoomEvent> edits = kit.editHistory("room-1", eventId);
        kit.closeRoom("room-1");
        kit.close();

        assertThat(removed).isTrue();
        assertThat(room.id()).isEqualTo("room-1");
        assertThat(found).isPresent();
        assertThat(r.event().roomId()).as("routed to the one room ws-alice is bound to").isEqualTo("room-1");
        assertThat(page).extracting(RoomEvent::index).containsExactly(0L, 1L, 2L, 3L);
        assertThat(after).hasSize(3);
        assertThat(e).isPresent();
        assertThat(edits).hasSize(1);
        assertThat(unread).isZero();
        assertThat(backend.isClosed()).isTrue();
    }

    @Test
    void createRoomRefusesATakenId() {
        try (RoomKit kit = new RoomKit()) {
            kit.createRoom("room-1");
            assertThatThrownBy(() -> kit.createRoom("room-1")).isInstanceOf(RoomKitException.class)
                    .extracting(ex -> ((RoomKitException) ex).code()).isEqualTo("room_exists");
        }
    }

    @Test
    void ephemeralEventRecordHasTheDesignedComponents() {
        EphemeralEvent event = EphemeralEvent.of("room-1", EphemeralEventType.TYPING_START, "alice", Map.of());
        assertThat(List.of(event.id(), event.roomId(), event.type(), event.userId(), event.data(), event.timestamp()))
                .doesNotContainNull();
        assertThat(event.channelId()).isNull();
        assertThat(EphemeralEventType.values()).hasSize(13);
        assertThat(EphemeralEventType.fromValue("typing_start")).isEqualTo(EphemeralEventType.TYPING_START);
    }
}
