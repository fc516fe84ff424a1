package io.roomkit;

import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.EditContent;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.InboundResult;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;
import io.roomkit.realtime.EphemeralEventType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The README's quick start, verbatim between the markers, so that the README cannot drift from the API. */
class ReadmeQuickStartTest {

    @Test
    void quickStart() {
        List<String> seen = new CopyOnWriteArrayList<>();
        // README:quick-start:begin
        try (RoomKit kit = new RoomKit()) {                      // in-memory store and realtime backend
            kit.registerChannel(new WebSocketChannel("ws-alice"));
            kit.registerChannel(new WebSocketChannel("ws-bob"));
            kit.createRoom("room-1");
            kit.attachChannel("room-1", "ws-bob");

            // ephemeral: published to subscribers, never stored
            String subscription = kit.subscribeRoom("room-1", event -> {
                if (event.type() == EphemeralEventType.TYPING_START) {
                    seen.add(event.userId() + " is typing...");
                }
            });
            kit.publishTyping("room-1", "alice", true);

            // persistent: stored with the room's next index and broadcast to the other channels
            InboundResult sent = kit.processInbound(InboundMessage.text("ws-alice", "alice", "Helo"), "room-1");
            kit.processInbound(InboundMessage.builder().channelId("ws-alice").senderId("alice")
                    .eventType(EventType.EDIT)
                    .content(new EditContent(sent.event().id(), new TextContent("Hello"))).build());

            List<RoomEvent> history = kit.events("room-1", EventQuery.latest(50));   // MESSAGE (edited), EDIT
            long unread = kit.unreadCount("room-1", "ws-bob");                       // 1
            kit.markRead("room-1", "ws-bob", sent.event().id());
            // README:quick-start:end
            await().until(() -> !seen.isEmpty());
            kit.unsubscribeRoom(subscription);

            assertThat(seen).containsExactly("alice is typing...");
            assertThat(history).extracting(RoomEvent::type).containsExactly(EventType.MESSAGE, EventType.EDIT);
            assertThat(history.get(0).content()).isEqualTo(new TextContent("Hello"));
            assertThat(unread).isEqualTo(1);
            assertThat(kit.unreadCount("room-1", "ws-bob")).isZero();
        }
    }
}
