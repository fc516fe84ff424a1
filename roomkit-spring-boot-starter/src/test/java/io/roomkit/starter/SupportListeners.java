package io.roomkit.starter;

import io.roomkit.RoomKit;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.RoomEvent;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import io.roomkit.spring.listener.RoomEventListener;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

// README:listeners:begin
@Component
class SupportListeners {

    private final RoomKit kit;
    final List<String> typing = new CopyOnWriteArrayList<>();
    final List<RoomEvent> escalations = new CopyOnWriteArrayList<>();

    SupportListeners(RoomKit kit) {
        this.kit = kit;
    }

    @RoomEventListener(rooms = "${app.support-room}", types = EphemeralEventType.TYPING_START)
    void onTyping(EphemeralEvent event) {
        typing.add(event.userId());
    }

    @RoomEventListener(rooms = "support-*", eventTypes = EventType.MESSAGE)
    void onMessage(RoomEvent event) {
        if (event.content().plainText().contains("urgent")) {
            escalations.add(event);
            kit.processInbound(InboundMessage.text("ws-support-desk", "desk", "An agent is on the way."),
                    event.roomId());
        }
    }
}
// README:listeners:end
