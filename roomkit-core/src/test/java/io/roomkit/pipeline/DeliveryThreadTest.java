package io.roomkit.pipeline;

import io.roomkit.RoomKit;
import io.roomkit.channel.ConnectionSink;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.ChannelType;
import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.roomkit.pipeline.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

/** Which thread delivers: the writer's own only when every recipient is non-blocking, a delivery worker otherwise. */
class DeliveryThreadTest {

    private final RoomKit kit = new RoomKit();
    private final List<String> threads = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        kit.close();
    }

    private void roomWith(String channelId) {
        kit.registerChannel(new RecordingChannel("ws-bob"));
        kit.createRoom("room-1");
        kit.attachChannel("room-1", channelId);
    }

    private String writeFromThisThread() {
        kit.processInbound(text("ws-bob", "bob", "hello"), "room-1");
        return Thread.currentThread().getName();
    }

    @Test
    void aNonBlockingChannelIsDeliveredOnTheWritersThread() {
        kit.registerChannel(new ThreadRecorder("quick"));
        roomWith("quick");

        String writer = writeFromThisThread();

        assertThat(threads).containsExactly(writer);
    }

    @Test
    void anyOtherChannelIsDeliveredByAWorkerSoThatItCannotHoldUpTheWriter() {
        kit.registerChannel(new PlainRecorder("webhook"));
        roomWith("webhook");

        writeFromThisThread();

        assertThat(threads).singleElement().asString().startsWith("roomkit-delivery-");
    }

    @Test
    void aWebSocketChannelIsDeliveredOnTheWritersThreadOnlyWhenItsConnectionsAreNonBlocking() {
        WebSocketChannel quick = new WebSocketChannel("ws-quick");
        quick.connect("tab", (ConnectionSink & NonBlocking) event -> threads.add(Thread.currentThread().getName()));
        WebSocketChannel plain = new WebSocketChannel("ws-plain");
        plain.connect("tab", event -> threads.add(Thread.currentThread().getName()));
        kit.registerChannel(quick);
        kit.registerChannel(plain);

        roomWith("ws-quick");
        String writer = writeFromThisThread();
        assertThat(threads).containsExactly(writer);

        threads.clear();
        kit.detachChannel("room-1", "ws-quick");
        kit.attachChannel("room-1", "ws-plain");
        writeFromThisThread();
        assertThat(threads).singleElement().asString().startsWith("roomkit-delivery-");
    }

    /** Records the delivering thread; may block in principle. */
    private class PlainRecorder extends RecordingChannel {

        PlainRecorder(String id) {
            super(id, ChannelType.WEBHOOK);
        }

        @Override
        public void deliver(RoomEvent event, ChannelBinding binding, RoomContext context) {
            threads.add(Thread.currentThread().getName());
        }
    }

    /** Records the delivering thread and promises never to block. */
    private final class ThreadRecorder extends PlainRecorder implements NonBlocking {

        ThreadRecorder(String id) {
            super(id);
        }
    }
}
