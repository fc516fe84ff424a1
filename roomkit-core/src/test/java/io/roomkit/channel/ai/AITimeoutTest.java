package io.roomkit.channel.ai;

import io.roomkit.RoomKit;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.channel.ai.ScriptedAIProvider.Step;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;
import io.roomkit.model.ToolCallContent;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Models and tools that take too long, or for ever, are timed out; the asker and the room never wait for them. */
class AITimeoutTest {

    private static final String ROOM = "room-1";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final RoomKit kit = new RoomKit();
    private final List<EphemeralEvent> seen = new CopyOnWriteArrayList<>();
    private final CountDownLatch never = new CountDownLatch(1);

    @AfterEach
    void close() {
        never.countDown();
        kit.close();
    }

    private void roomWith(AIChannel ai) {
        kit.registerChannel(new WebSocketChannel("ws-alice"));
        kit.registerChannel(ai);
        kit.createRoom(ROOM);
        kit.attachChannel(ROOM, "ws-alice");
        kit.attachChannel(ROOM, ai.id());
        kit.subscribeRoom(ROOM, seen::add);
    }

    private RoomEvent ask(String text) {
        return kit.processInbound(InboundMessage.text("ws-alice", "alice", text), ROOM).event();
    }

    @Test
    void aModelThatNeverAnswersIsTimedOutEndsItsThinkingAndTheRoomKeepsWorking() {
        AIProvider hanging = (request, stream) -> {
            if (request.lastUserText().equals("hard")) {
                stream.thinking("Let me think...");
                never.await(); // ignores nothing: interrupted when timed out
            }
            return AIResponse.text("easy answer");
        };
        roomWith(AIChannel.builder("ai-bot", hanging).thinkingWindow(0).timeout(Duration.ofMillis(300)).build());

        RoomEvent question = ask("hard");

        assertThat(question.index()).isZero(); // returned without waiting for the model
        await().atMost(WAIT).until(() -> seen.stream().anyMatch(event -> "ai_error".equals(event.data().get("kind"))));
        assertThat(seen).extracting(event -> event.type()).containsSubsequence(EphemeralEventType.THINKING_START,
                EphemeralEventType.THINKING_END, EphemeralEventType.CUSTOM);
        EphemeralEvent error = seen.get(seen.size() - 1);
        assertThat(error.data()).containsEntry("code", "ai_timeout").containsEntry("channel_id", "ai-bot");

        ask("easy");
        assertThat(kit.awaitIdle(WAIT)).isTrue();
        assertThat(kit.events(ROOM, EventQuery.latest(10))).extracting(event -> event.content().plainText())
                .containsExactly("hard", "easy", "easy answer");
    }

    @Test
    void aToolThatHangsIsTimedOutAndTheReplyStillComes() {
        AITool slow = AITool.of("slow", "never returns", args -> {
            never.await();
            return "too late";
        });
        roomWith(AIChannel.builder("ai-bot", ScriptedAIProvider.rounds(Step.callTool("c1", "slow", Map.of()),
                Step.reply("Sorry, the lookup timed out."))).tool(slow).toolTimeout(Duration.ofMillis(300)).build());

        ask("look it up");
        assertThat(kit.awaitIdle(WAIT)).isTrue();

        List<RoomEvent> timeline = kit.events(ROOM, EventQuery.latest(10));
        assertThat(timeline).extracting(RoomEvent::type).containsExactly(EventType.MESSAGE,
                EventType.TOOL_CALL_START, EventType.TOOL_CALL_END, EventType.MESSAGE);
        ToolCallContent end = (ToolCallContent) timeline.get(2).content();
        assertThat(end.status()).isEqualTo("failed");
        assertThat(String.valueOf(end.result())).isEqualTo("Error executing tool slow: timed out after 300 ms");
        assertThat(timeline.get(3).content()).isEqualTo(new TextContent("Sorry, the lookup timed out."));
        // ephemeral events reach listeners asynchronously, after awaitIdle: wait for it
        await().atMost(WAIT).untilAsserted(() -> assertThat(seen)
                .filteredOn(event -> event.type() == EphemeralEventType.TOOL_CALL_END).singleElement()
                .satisfies(event -> assertThat(event.data().get("tool_calls").toString()).contains("timed out")));
    }

    @Test
    void aFailingModelIsReportedToTheRoom() {
        roomWith(AIChannel.builder("ai-bot", (request, stream) -> {
            throw new IllegalStateException("quota exceeded");
        }).build());

        ask("hi");
        assertThat(kit.awaitIdle(WAIT)).isTrue();

        await().atMost(WAIT).until(() -> !seen.isEmpty());
        assertThat(seen).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(EphemeralEventType.CUSTOM);
            assertThat(event.data()).containsEntry("kind", "ai_error").containsEntry("code", "ai_failed");
        });
        assertThat(kit.events(ROOM, EventQuery.latest(10))).hasSize(1);
    }

    @Test
    void aSlowModelDoesNotHoldUpItsAsker() throws InterruptedException {
        CountDownLatch asked = new CountDownLatch(1);
        roomWith(AIChannel.builder("ai-bot", (request, stream) -> {
            asked.countDown();
            never.await();
            return AIResponse.text("late");
        }).build());

        ask("question");

        assertThat(asked.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(never.getCount()).isOne(); // the model is still busy, and the asker has its result already
    }
}
