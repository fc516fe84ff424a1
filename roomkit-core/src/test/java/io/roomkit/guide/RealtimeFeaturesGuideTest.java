package io.roomkit.guide;

import io.roomkit.RoomKit;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.DeleteContent;
import io.roomkit.model.DeleteType;
import io.roomkit.model.EditContent;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.InboundResult;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import io.roomkit.realtime.EphemeralListener;
import io.roomkit.realtime.InMemoryRealtime;
import io.roomkit.realtime.RealtimeBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every example of the realtime features guide ({@code shared/reference/seed-realtime-features.md}), in Java,
 * one test per example, in the guide's order.
 */
class RealtimeFeaturesGuideTest {

    private RoomKit kit;
    private final BlockingQueue<EphemeralEvent> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void subscribe() {
        kit = new RoomKit();
        kit.subscribeRoom("room-1", received::add);
    }

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void typingIndicators() throws Exception {
        kit.publishTyping("room-1", "alice", true);
        kit.publishTyping("room-1", "alice", false);
        kit.publishTyping("room-1", "alice", true, Map.of("name", "Alice"));

        assertThat(next()).extracting(EphemeralEvent::type, EphemeralEvent::userId, EphemeralEvent::data)
                .containsExactly(EphemeralEventType.TYPING_START, "alice", Map.of());
        assertThat(next().type()).isEqualTo(EphemeralEventType.TYPING_STOP);
        assertThat(next().data()).isEqualTo(Map.of("name", "Alice"));
    }

    @Test
    void presenceTracking() throws Exception {
        kit.publishPresence("room-1", "alice", "online");
        kit.publishPresence("room-1", "alice", "away");
        kit.publishPresence("room-1", "alice", "offline");
        kit.publishPresence("room-1", "alice", "in_meeting");

        assertThat(next().type()).isEqualTo(EphemeralEventType.PRESENCE_ONLINE);
        assertThat(next().type()).isEqualTo(EphemeralEventType.PRESENCE_AWAY);
        assertThat(next().type()).isEqualTo(EphemeralEventType.PRESENCE_OFFLINE);
        EphemeralEvent custom = next();
        assertThat(custom.type()).isEqualTo(EphemeralEventType.CUSTOM);
        assertThat(custom.data()).isEqualTo(Map.of("status", "in_meeting"));
    }

    @Test
    void reactions() throws Exception {
        String targetEventId = "evt-1";
        kit.publishReaction("room-1", "alice", targetEventId, "thumbsup");
        kit.publishReaction("room-1", "alice", targetEventId, "thumbsup", "remove");

        assertThat(next().data()).isEqualTo(Map.of("target_event_id", "evt-1", "emoji", "thumbsup", "action", "add"));
        assertThat(next().data()).isEqualTo(Map.of("target_event_id", "evt-1", "emoji", "thumbsup", "action", "remove"));
    }

    @Test
    void readReceipts() throws Exception {
        kit.registerChannel(new WebSocketChannel("ws-alice"));
        kit.registerChannel(new WebSocketChannel("ws-bob"));
        kit.processInbound(InboundMessage.text("ws-bob", "bob", "first"), "room-1");
        String eventId = kit.processInbound(InboundMessage.text("ws-bob", "bob", "second"), "room-1").event().id();
        kit.processInbound(InboundMessage.text("ws-bob", "bob", "third"), "room-1");

        kit.publishReadReceipt("room-1", "alice", eventId);
        kit.markRead("room-1", "ws-alice", eventId);

        EphemeralEvent receipt = next();
        assertThat(receipt.type()).isEqualTo(EphemeralEventType.READ_RECEIPT);
        assertThat(receipt.data()).isEqualTo(Map.of("event_id", eventId));
        assertThat(kit.unreadCount("room-1", "ws-alice")).isEqualTo(1);

        kit.markAllRead("room-1", "ws-alice");
        assertThat(kit.unreadCount("room-1", "ws-alice")).isZero();
    }

    @Test
    void subscribingToEvents() throws Exception {
        List<String> printed = new CopyOnWriteArrayList<>();
        EphemeralListener onEvent = event -> {
            switch (event.type()) {
                case TYPING_START -> printed.add(event.userId() + " is typing...");
                case PRESENCE_ONLINE -> printed.add(event.userId() + " came online");
                case REACTION -> printed.add(event.userId() + " reacted with " + event.data().get("emoji"));
                case TOOL_CALL_START -> printed.add("AI calling: " + toolNames(event));
                default -> { }
            }
        };
        String subId = kit.subscribeRoom("room-1", onEvent);

        kit.publishTyping("room-1", "alice", true);
        kit.publishPresence("room-1", "bob", "online");
        kit.publishReaction("room-1", "carol", "evt-1", "tada");
        kit.publishToolCall("room-1", "ai-bot", List.of(Map.of("id", "call-1", "name", "search", "arguments", Map.of())));
        await().atMost(Duration.ofSeconds(10)).until(() -> printed.size() == 4);

        assertThat(printed).containsExactly("alice is typing...", "bob came online", "carol reacted with tada",
                "AI calling: [search]");
        assertThat(kit.unsubscribeRoom(subId)).isTrue();
        kit.publishTyping("room-1", "alice", false);
        next(); // the test's own subscription still receives; the removed one does not
        assertThat(printed).hasSize(4);
    }

    @Test
    void messageEditing() {
        kit.registerChannel(new WebSocketChannel("ws-alice"));
        String originalId = kit.processInbound(InboundMessage.text("ws-alice", "alice", "Fixd typo"), "room-1")
                .event().id();

        InboundResult edit = kit.processInbound(InboundMessage.builder().channelId("ws-alice").senderId("alice")
                .eventType(EventType.EDIT)
                .content(new EditContent(originalId, new TextContent("Fixed typo!"))).build());

        assertThat(edit.blocked()).isFalse();
        RoomEvent original = kit.getEvent("room-1", originalId).orElseThrow();
        assertThat(original.content()).isEqualTo(new TextContent("Fixed typo!"));
        assertThat(original.isEdited()).isTrue();
        assertThat(kit.editHistory("room-1", originalId)).extracting(RoomEvent::id).containsExactly(edit.event().id());
    }

    @Test
    void messageDeletion() {
        kit.registerChannel(new WebSocketChannel("ws-alice"));
        String msgId = kit.processInbound(InboundMessage.text("ws-alice", "alice", "Oops"), "room-1").event().id();

        InboundResult delete = kit.processInbound(InboundMessage.builder().channelId("ws-alice").senderId("alice")
                .eventType(EventType.DELETE)
                .content(new DeleteContent(msgId, DeleteType.SENDER, "Changed my mind")).build());

        assertThat(delete.blocked()).isFalse();
        RoomEvent deleted = kit.getEvent("room-1", msgId).orElseThrow();
        assertThat(deleted.isDeleted()).isTrue();
        assertThat(deleted.metadata()).containsEntry("reason", "Changed my mind").containsEntry("delete_type", "sender");
        assertThat(deleted.content().plainText()).doesNotContain("Oops");
        assertThat(kit.events("room-1", EventQuery.latest(10))).extracting(RoomEvent::type)
                .containsExactly(EventType.MESSAGE, EventType.DELETE);
    }

    @Test
    void toolCallEvents() throws Exception {
        List<String> printed = new CopyOnWriteArrayList<>();
        String subId = kit.subscribeRoom("room-1", event -> {
            if (event.type() == EphemeralEventType.TOOL_CALL_START) {
                printed.add("Calling: " + toolNames(event));
            }
            else if (event.type() == EphemeralEventType.TOOL_CALL_END) {
                printed.add("Completed in " + event.data().get("duration_ms") + "ms");
            }
        });
        List<Map<String, Object>> toolCalls = List.of(Map.of("id", "call-1", "name", "web_search", "arguments",
                Map.of("q", "roomkit")));

        kit.publishToolCall("room-1", "ai-bot", toolCalls);
        kit.publishToolCall("room-1", "ai-bot", toolCalls, EphemeralEventType.TOOL_CALL_END, 42L);

        await().atMost(Duration.ofSeconds(10)).until(() -> printed.size() == 2);
        assertThat(printed).containsExactly("Calling: [web_search]", "Completed in 42ms");
        kit.unsubscribeRoom(subId);
    }

    @Test
    void customEphemeralEvents() throws Exception {
        EphemeralEvent event = EphemeralEvent.of("room-1", EphemeralEventType.CUSTOM, "system",
                Map.of("action", "file_uploaded", "filename", "report.pdf"));

        kit.realtime().publishToRoom("room-1", event);

        assertThat(next()).isEqualTo(event);
    }

    @Test
    void customRealtimeBackend() throws Exception {
        MapTransportBackend backend = new MapTransportBackend();
        try (RoomKit custom = RoomKit.builder().realtime(backend).build()) {
            BlockingQueue<EphemeralEvent> seen = new LinkedBlockingQueue<>();
            custom.subscribeRoom("room-1", seen::add);

            custom.publishTyping("room-1", "alice", true);

            assertThat(backend.wire).singleElement().satisfies(wire -> assertThat(wire).containsEntry("type",
                    "typing_start"));
            assertThat(seen.poll(10, TimeUnit.SECONDS)).extracting(EphemeralEvent::userId).isEqualTo("alice");
        }
        assertThat(backend.closed).isTrue();
    }

    @Test
    void serializationForTransport() {
        EphemeralEvent event = EphemeralEvent.of("room-1", EphemeralEventType.TYPING_START, "alice", Map.of());

        assertThat(EphemeralEvent.fromMap(event.toMap())).isEqualTo(event);
    }

    @Test
    void adjustingTheQueueSize() throws Exception {
        try (RoomKit custom = RoomKit.builder().realtime(new InMemoryRealtime(500)).build()) {
            BlockingQueue<EphemeralEvent> seen = new LinkedBlockingQueue<>();
            custom.subscribeRoom("room-1", seen::add);
            custom.publishPresence("room-1", "alice", "online");
            assertThat(seen.poll(10, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void combiningEphemeralAndPersistent() throws Exception {
        kit.registerChannel(new WebSocketChannel("ws-bob"));
        kit.registerChannel(new WebSocketChannel("ws-alice"));
        String eventId = kit.processInbound(InboundMessage.text("ws-bob", "bob", "hi"), "room-1").event().id();
        List<Map<String, Object>> sentToWebSocket = new CopyOnWriteArrayList<>();
        kit.subscribeRoom("room-1", event -> {
            if (event.type() == EphemeralEventType.READ_RECEIPT) {
                sentToWebSocket.add(Map.of("type", "seen", "user", event.userId()));
                kit.markRead("room-1", "ws-" + event.userId(), (String) event.data().get("event_id"));
            }
        });
        assertThat(kit.unreadCount("room-1", "ws-alice")).isEqualTo(1);

        kit.publishReadReceipt("room-1", "alice", eventId);

        await().atMost(Duration.ofSeconds(10)).until(() -> kit.unreadCount("room-1", "ws-alice") == 0);
        assertThat(sentToWebSocket).containsExactly(Map.of("type", "seen", "user", "alice"));
    }

    private EphemeralEvent next() throws InterruptedException {
        EphemeralEvent event = received.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("an event within 10 s").isNotNull();
        return event;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> toolNames(EphemeralEvent event) {
        return ((List<Map<String, Object>>) event.data().get("tool_calls")).stream()
                .map(call -> call.get("name")).toList();
    }

    /**
     * The guide's custom backend, reduced to what a test can run: events travel as {@code toMap()} maps,
     * as they would over Redis, and come back through {@code fromMap}.
     */
    private static final class MapTransportBackend implements RealtimeBackend {

        private final InMemoryRealtime local = new InMemoryRealtime();
        private final List<Map<String, Object>> wire = new CopyOnWriteArrayList<>();
        private volatile boolean closed;

        @Override
        public void publish(String channel, EphemeralEvent event) {
            Map<String, Object> payload = event.toMap();
            wire.add(payload);
            local.publish(channel, EphemeralEvent.fromMap(payload));
        }

        @Override
        public String subscribe(String channel, EphemeralListener listener) {
            return local.subscribe(channel, listener);
        }

        @Override
        public boolean unsubscribe(String subscriptionId) {
            return local.unsubscribe(subscriptionId);
        }

        @Override
        public void close() {
            closed = true;
            local.close();
        }
    }
}
