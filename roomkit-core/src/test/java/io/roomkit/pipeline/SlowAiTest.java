package io.roomkit.pipeline;

import io.roomkit.RoomKit;
import io.roomkit.channel.Channel;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.ChannelCategory;
import io.roomkit.model.ChannelType;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventSource;
import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.roomkit.pipeline.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A model that takes its time holds up neither its asker nor the room: the question returns at once, and others'
 * messages flow while the model thinks.
 */
class SlowAiTest {

    private final RoomKit kit = new RoomKit();
    private final RecordingChannel alice = new RecordingChannel("ws-alice");
    private final RecordingChannel bob = new RecordingChannel("ws-bob");
    private final CountDownLatch thinking = new CountDownLatch(1);
    private final CountDownLatch answer = new CountDownLatch(1);

    @AfterEach
    void close() {
        answer.countDown();
        kit.close();
    }

    @Test
    void theQuestionReturnsAndOtherMessagesAreDeliveredWhileTheModelThinks() throws Exception {
        kit.registerChannel(alice);
        kit.registerChannel(bob);
        kit.registerChannel(new SlowAi());
        kit.createRoom("room-1");
        kit.attachChannel("room-1", "ws-alice");
        kit.attachChannel("room-1", "ws-bob");
        kit.attachChannel("room-1", "ai-slow");

        kit.processInbound(text("ws-alice", "alice", "a hard question"), "room-1");
        assertThat(bob.delivered()).extracting(event -> event.content().plainText())
                .containsExactly("a hard question");
        assertThat(thinking.await(10, TimeUnit.SECONDS)).isTrue();

        kit.processInbound(text("ws-bob", "bob", "meanwhile"), "room-1");
        assertThat(alice.delivered()).extracting(event -> event.content().plainText()).containsExactly("meanwhile");
        assertThat(answer.getCount()).isOne(); // the model is still thinking

        answer.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> alice.delivered().size() == 2);
        assertThat(kit.events("room-1", EventQuery.latest(10))).extracting(event -> event.content().plainText())
                .containsExactly("a hard question", "meanwhile", "the answer");
    }

    /** Answers each human message once it is allowed to. */
    private final class SlowAi implements Channel {

        @Override
        public String id() {
            return "ai-slow";
        }

        @Override
        public ChannelType type() {
            return ChannelType.AI;
        }

        @Override
        public ChannelCategory category() {
            return ChannelCategory.INTELLIGENCE;
        }

        @Override
        public List<RoomEvent> onEvent(RoomEvent event, ChannelBinding binding, RoomContext context)
                throws InterruptedException {
            if (!event.content().plainText().equals("a hard question")) {
                return List.of();
            }
            thinking.countDown();
            answer.await(10, TimeUnit.SECONDS);
            return List.of(RoomEvent.builder().roomId(event.roomId()).source(new EventSource(id(), ChannelType.AI,
                    id())).content(new TextContent("the answer")).build());
        }
    }
}
