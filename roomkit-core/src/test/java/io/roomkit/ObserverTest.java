package io.roomkit;

import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.InboundResult;
import io.roomkit.pipeline.InboundObserver;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObserverTest {

    @Test
    void observersSeeResultsAndFailuresWithTheirDuration() {
        List<String> seen = new CopyOnWriteArrayList<>();
        InboundObserver observer = new InboundObserver() {
            @Override
            public void processed(InboundMessage message, InboundResult result, long nanos) {
                seen.add((result.blocked() ? "blocked:" + result.reason() : "stored") + (nanos > 0 ? "" : "!"));
            }

            @Override
            public void failed(InboundMessage message, RuntimeException error, long nanos) {
                seen.add("failed:" + ((RoomKitException) error).code());
            }
        };
        InboundObserver broken = (message, result, nanos) -> {
            throw new IllegalStateException("observer bug");
        };
        try (RoomKit kit = RoomKit.builder().observer(broken).observer(observer).build()) {
            kit.registerChannel(new WebSocketChannel("ws-alice"));
            kit.processInbound(InboundMessage.text("ws-alice", "alice", "hi"), "room-1");
            kit.closeRoom("room-1");
            kit.processInbound(InboundMessage.text("ws-alice", "alice", "hi"), "room-1");
            assertThatThrownBy(() -> kit.processInbound(InboundMessage.text("ws-nobody", "x", "hi"), "room-1"))
                    .isInstanceOf(ChannelNotRegisteredException.class);
        }

        assertThat(seen).containsExactly("stored", "blocked:room_closed", "failed:channel_not_registered");
    }
}
