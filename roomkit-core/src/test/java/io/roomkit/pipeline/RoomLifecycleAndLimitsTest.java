package io.roomkit.pipeline;

import java.time.Duration;
import io.roomkit.ErrorCodes;
import io.roomkit.RoomKit;
import io.roomkit.RoomKitException;
import io.roomkit.channel.Channel;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.ChannelCategory;
import io.roomkit.model.ChannelType;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventSource;
import io.roomkit.model.EventStatus;
import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.RoomStatus;
import io.roomkit.model.TextContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static io.roomkit.pipeline.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoomLifecycleAndLimitsTest {

    private final RoomKit kit = RoomKit.builder().maxChainDepth(2).build();
    private final RecordingChannel alice = new RecordingChannel("ws-alice");

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void pausedRoomsAcceptEventsButAreNotRoutedTo() {
        kit.registerChannel(alice);
        kit.processInbound(text("ws-alice", "alice", "first"), "room-1");

        assertThat(kit.pauseRoom("room-1").status()).isEqualTo(RoomStatus.PAUSED);
        assertThat(kit.processInbound(text("ws-alice", "alice", "explicit"), "room-1").blocked()).isFalse();
        String routed = kit.processInbound(text("ws-alice", "alice", "routed")).event().roomId();

        assertThat(routed).isNotEqualTo("room-1");
        assertThat(kit.reopenRoom("room-1").status()).isEqualTo(RoomStatus.ACTIVE);
    }

    @Test
    void mutingAChannelThatIsNotAttachedNamesTheProblem() {
        kit.registerChannel(alice);
        kit.createRoom("room-1");

        assertThatThrownBy(() -> kit.muteChannel("room-1", "ws-alice")).isInstanceOf(RoomKitException.class)
                .extracting(ex -> ((RoomKitException) ex).code()).isEqualTo(ErrorCodes.CHANNEL_NOT_ATTACHED);
    }

    @Test
    void answersBeyondTheCascadeBudgetAreStoredBlocked() {
        int budget = 2 * 10;
        kit.registerChannel(alice);
        kit.registerChannel(new ChattyAi(budget + 5));
        kit.createRoom("room-1");
        kit.attachChannel("room-1", "ws-alice");
        kit.attachChannel("room-1", "ai-chatty");

        kit.processInbound(text("ws-alice", "alice", "tell me everything"), "room-1");
        assertThat(kit.awaitIdle(Duration.ofSeconds(10))).isTrue();

        List<RoomEvent> answers = kit.events("room-1", EventQuery.latest(100)).stream()
                .filter(event -> event.source().channelId().equals("ai-chatty")).toList();
        assertThat(answers).hasSize(budget + 5);
        assertThat(answers).filteredOn(event -> event.status() == EventStatus.DELIVERED).hasSize(budget);
        assertThat(answers).filteredOn(event -> event.status() == EventStatus.BLOCKED)
                .extracting(RoomEvent::blockedBy).hasSize(5).containsOnly(ErrorCodes.REENTRY_LOOP_CAP);
        assertThat(alice.delivered()).hasSize(budget);
    }

    /** Answers every human message with many replies at once. */
    private record ChattyAi(int replies) implements Channel {

        @Override
        public String id() {
            return "ai-chatty";
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
        public List<RoomEvent> onEvent(RoomEvent event, ChannelBinding binding, RoomContext context) {
            if (event.chainDepth() > 0) {
                return List.of();
            }
            return IntStream.range(0, replies).mapToObj(i -> RoomEvent.builder().roomId(event.roomId())
                    .source(new EventSource(id(), ChannelType.AI, id())).content(new TextContent("part " + i))
                    .build()).toList();
        }
    }
}
