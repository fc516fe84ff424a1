package io.roomkit.pipeline;

import io.roomkit.RoomKit;
import io.roomkit.channel.Channel;
import io.roomkit.hook.Hook;
import io.roomkit.hook.HookTrigger;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.ChannelType;
import io.roomkit.model.EventQuery;
import io.roomkit.model.InboundResult;
import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;

import static io.roomkit.pipeline.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Writes into a room from inside one of its deliveries: a hook or a channel that posts a follow-up. */
class NestedWriteTest {

    private static final String ROOM = "room-1";
    private static final Duration LIMIT = Duration.ofSeconds(10);

    private final RoomKit kit = new RoomKit();
    private final RecordingChannel alice = new RecordingChannel("ws-alice");
    private final RecordingChannel bob = new RecordingChannel("ws-bob");

    @BeforeEach
    void setUp() {
        kit.registerChannel(alice);
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
    void afterBroadcastHookMayWriteIntoTheSameRoom() {
        kit.addHook(Hook.observer(HookTrigger.AFTER_BROADCAST, "auto-reply", (event, context) -> {
            if (event.source().channelId().equals("ws-alice")) {
                kit.processInbound(text("ws-bob", "bob", "auto reply"), ROOM);
            }
        }));

        InboundResult result = assertTimeoutPreemptively(LIMIT,
                () -> kit.processInbound(text("ws-alice", "alice", "hello"), ROOM));

        assertThat(result.blocked()).isFalse();
        assertGapless(2);
        assertThat(alice.delivered()).extracting(RoomEvent::index).containsExactly(1L);
        assertThat(bob.delivered()).extracting(RoomEvent::index).containsExactly(0L);
    }

    @Test
    void channelMayWriteIntoTheRoomFromItsDelivery() {
        kit.registerChannel(new Channel() {
            @Override
            public String id() {
                return "bridge";
            }

            @Override
            public ChannelType type() {
                return ChannelType.WEBHOOK;
            }

            @Override
            public void deliver(RoomEvent event, ChannelBinding binding, RoomContext context) {
                if (event.source().channelId().equals("ws-alice")) {
                    kit.processInbound(text("bridge", "remote", "echo"), ROOM);
                }
            }
        });
        kit.attachChannel(ROOM, "bridge");

        assertTimeoutPreemptively(LIMIT, () -> kit.processInbound(text("ws-alice", "alice", "hello"), ROOM));

        assertGapless(2);
        assertThat(alice.delivered()).extracting(RoomEvent::index).containsExactly(1L);
        assertThat(bob.delivered()).extracting(RoomEvent::index).containsExactly(0L, 1L);
    }

    @Test
    void aiAnswersAnEventWrittenFromInsideADelivery() {
        FakeAiChannel bot = new FakeAiChannel("ai-bot");
        kit.registerChannel(bot);
        kit.attachChannel(ROOM, "ai-bot");
        kit.addHook(Hook.observer(HookTrigger.AFTER_BROADCAST, "auto-reply", (event, context) -> {
            if (event.source().channelId().equals("ws-alice")) {
                kit.processInbound(text("ws-bob", "bob", "auto reply"), ROOM);
            }
        }));

        assertTimeoutPreemptively(LIMIT, () -> kit.processInbound(text("ws-alice", "alice", "hello"), ROOM));
        assertThat(kit.awaitIdle(LIMIT)).isTrue();

        assertThat(bot.seen()).hasSize(2);
        List<RoomEvent> answers = kit.events(ROOM, EventQuery.latest(100)).stream()
                .filter(event -> event.source().channelId().equals("ai-bot")).toList();
        assertThat(answers).hasSize(2);
        assertGapless(4);
    }

    private void assertGapless(int expected) {
        assertThat(kit.events(ROOM, EventQuery.latest(100))).extracting(RoomEvent::index)
                .containsExactlyElementsOf(LongStream.range(0, expected).boxed().toList());
    }
}
