package io.roomkit;

import io.roomkit.model.InboundMessage;
import io.roomkit.channel.WebSocketChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest {

    @Test
    void storesAMessage() {
        try (RoomKit kit = new RoomKit()) {
            kit.registerChannel(new WebSocketChannel("ws-alice"));
            var result = kit.processInbound(InboundMessage.text("ws-alice", "alice", "Hello"), "room-1");
            assertThat(result.blocked()).isFalse();
            assertThat(result.event().index()).isZero();
        }
    }
}
