package io.roomkit.channel.ai;

import io.roomkit.RoomKit;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.channel.ai.ScriptedAIProvider.Step;
import io.roomkit.hook.HookResult;
import io.roomkit.model.DeleteContent;
import io.roomkit.model.EditContent;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventStatus;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;
import io.roomkit.model.ToolCallContent;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import io.roomkit.realtime.InMemoryRealtime;
import io.roomkit.realtime.RealtimeBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AIChannelTest {

    private static final String ROOM = "room-1";

    private final RoomKit kit = new RoomKit();
    private final List<EphemeralEvent> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        kit.close();
    }

    private void roomWith(AIChannel... ais) {
        kit.registerChannel(new WebSocketChannel("ws-alice"));
        kit.createRoom(ROOM);
        kit.attachChannel(ROOM, "ws-alice");
        for (AIChannel ai : ais) {
            kit.registerChannel(ai);
            kit.attachChannel(ROOM, ai.id());
        }
        kit.subscribeRoom(ROOM, seen::add);
    }

    /** Asks, then waits for the answer, which the kit produces on its own threads. */
    private RoomEvent ask(String text) {
        RoomEvent question = kit.processInbound(InboundMessage.text("ws-alice", "alice", text), ROOM).event();
        assertThat(kit.awaitIdle(Duration.ofSeconds(10))).isTrue();
        return question;
    }

    private List<RoomEvent> timeline() {
        return kit.events(ROOM, EventQuery.latest(200));
    }

    private List<EphemeralEvent> ephemeral(int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= count);
        return List.copyOf(seen);
    }

    @Test
    void plainReplyIsStoredOneHopDeeperWithACorrelationId() {
        roomWith(AIChannel.builder("ai-bot", ScriptedAIProvider.rounds(Step.reply("Hi Alice!"))).build());

        RoomEvent question = ask("hello");

        List<RoomEvent> timeline = timeline();
        assertThat(timeline).extracting(RoomEvent::type).containsExactly(EventType.MESSAGE, EventType.MESSAGE);
        RoomEvent reply = timeline.get(1);
        assertThat(reply.content()).isEqualTo(new TextContent("Hi Alice!"));
        assertThat(reply.source().channelId()).isEqualTo("ai-bot");
        assertThat(reply.chainDepth()).isEqualTo(1);
        assertThat(reply.correlationId()).isNotNull();
        assertThat(reply.index()).isGreaterThan(question.index());
    }

    @Test
    void oneToolRoundPublishesStartAndEndAndStoresTheCallsAndTheReply() {
        AITool weather = AITool.of("weather", "Weather for a city", args -> "Sunny in " + args.get("city"));
        roomWith(AIChannel.builder("ai-bot", ScriptedAIProvider.rounds(
                Step.callTool("call-1", "weather", Map.of("city", "Paris")), Step.reply("It is sunny.")))
                .tool(weather).build());

        ask("weather in Paris?");

        List<EphemeralEvent> events = ephemeral(3);
        assertThat(events).extracting(EphemeralEvent::type).containsExactly(EphemeralEventType.TOOL_CALL_START,
                EphemeralEventType.TOOL_CALL_END, EphemeralEventType.CUSTOM);
        assertThat(events.get(2).data()).containsEntry("kind", "ai_text_delta").containsEntry("text", "It is sunny.")
                .containsEntry("round", 1);
        EphemeralEvent start = events.get(0);
        assertThat(start.userId()).isEqualTo("ai-bot");
        assertThat(start.channelId()).isEqualTo("ai-bot");
        assertThat(start.data()).isEqualTo(Map.of("tool_calls", List.of(Map.of("id", "call-1", "name", "weather",
                "arguments", Map.of("city", "Paris"))), "channel_id", "ai-bot", "round", 0));
        EphemeralEvent end = events.get(1);
        assertThat(end.data()).containsEntry("tool_calls", List.of(Map.of("id", "call-1", "name", "weather",
                "result", "Sunny in Paris"))).containsEntry("round", 0).containsKey("duration_ms");

        List<RoomEvent> answers = timeline().subList(1, 4);
        assertThat(answers).extracting(RoomEvent::type).containsExactly(EventType.TOOL_CALL_START,
                EventType.TOOL_CALL_END, EventType.MESSAGE);
        assertThat(answers).extracting(RoomEvent::correlationId).containsOnly(answers.get(0).correlationId());
        assertThat(((ToolCallContent) answers.get(0).content()).status()).isEqualTo("pending");
        ToolCallContent completed = (ToolCallContent) answers.get(1).content();
        assertThat(completed.status()).isEqualTo("completed");
        assertThat(completed.result()).isEqualTo("Sunny in Paris");
        assertThat(answers.get(2).content()).isEqualTo(new TextContent("It is sunny."));
    }

    @Test
    void severalRoundsAreNumberedFromZero() {
        AITool echo = AITool.of("echo", "Echo", args -> args.get("x"));
        roomWith(AIChannel.builder("ai-bot", ScriptedAIProvider.rounds(Step.callTool("c1", "echo", Map.of("x", 1)),
                Step.callTool("c2", "echo", Map.of("x", 2)), Step.reply("done"))).tool(echo).build());

        ask("go");

        assertThat(ephemeral(5)).extracting(event -> event.type().value() + ":" + event.data().get("round"))
                .containsExactly("tool_call_start:0", "tool_call_end:0", "tool_call_start:1", "tool_call_end:1",
                        "custom:2");
        assertThat(timeline()).extracting(RoomEvent::type).containsExactly(EventType.MESSAGE,
                EventType.TOOL_CALL_START, EventType.TOOL_CALL_END, EventType.TOOL_CALL_START,
                EventType.TOOL_CALL_END, EventType.MESSAGE);
    }

    @Test
    void toolsOfOneRoundRunInParallel() {
        CountDownLatch bothRunning = new CountDownLatch(2);
        AITool.ToolFunction waitForTheOther = args -> {
            bothRunning.countDown();
            return bothRunning.await(10, TimeUnit.SECONDS) ? "together" : "alone";
        };
        roomWith(AIChannel.builder("ai-bot", ScriptedAIProvider.rounds(
                Step.callTools(new ToolCall("a", "left", Map.of()), new ToolCall("b", "right", Map.of())),
                Step.reply("ok"))).tool(AITool.of("left", "", waitForTheOther))
                .tool(AITool.of("right", "", waitForTheOther)).build());

        ask("both");

        List<EphemeralEvent> events = ephemeral(2);
        assertThat((List<?>) events.get(0).data().get("tool_calls")).hasSize(2);
        List<Object> results = ((List<?>) events.get(1).data().get("tool_calls")).stream()
                .map(call -> (Object) ((Map<?, ?>) call).get("result")).toList();
        assertThat(results).containsExactly("together", "together");
        assertThat(events.get(1).data().get("duration_ms")).isInstanceOf(Long.class);
    }

    @Test
    void aToolThatThrowsIsRecordedAndTheReplyStillComes() {
        AITool broken = AITool.of("broken", "", args -> {
            throw new IllegalStateException("database down");
        });
        roomWith(AIChannel.builder("ai-bot", ScriptedAIProvider.rounds(Step.callTool("c1", "broken", Map.of()),
                Step.reply("Sorry, that failed."))).tool(broken).build());

        ask("try it");

        EphemeralEvent end = ephemeral(2).get(1);
        assertThat(end.type()).isEqualTo(EphemeralEventType.TOOL_CALL_END);
        assertThat(end.data().get("tool_calls").toString()).contains("Error executing tool broken: database down");
        List<RoomEvent> timeline = timeline();
        ToolCallContent failed = (ToolCallContent) timeline.get(2).content();
        assertThat(failed.status()).isEqualTo("failed");
        assertThat(failed.error()).contains("database down");
        assertThat(timeline.get(3).content()).isEqualTo(new TextContent("Sorry, that failed."));
    }

    @Test
    void longToolResultsAreCutTo500CharactersInTheEvent() {
        AITool verbose = AITool.of("verbose", "", args -> "x".repeat(2000));
        roomWith(AIChannel.builder("ai-bot", ScriptedAIProvider.rounds(Step.callTool("c1", "verbose", Map.of()),
                Step.reply("ok"))).tool(verbose).build());

        ask("go");

        Map<?, ?> call = (Map<?, ?>) ((List<?>) ephemeral(2).get(1).data().get("tool_calls")).get(0);
        assertThat((String) call.get("result")).hasSize(500);
        assertThat(((ToolCallContent) timeline().get(2).content()).result()).asString().hasSize(2000);
    }

    @Test
    void streamedThinkingIsCoalescedAndLossless() {
        List<String> deltas = IntStream.range(0, 100).mapToObj(i -> "thought" + (i % 10) + " ").toList();
        String full = String.join("", deltas);
        roomWith(AIChannel.builder("ai-bot", ScriptedAIProvider.rounds(
                new Step(deltas, List.of("Answer."), List.of(), Duration.ofMillis(3)))).build());

        ask("think");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> seen.stream().anyMatch(e -> e.type() == EphemeralEventType.THINKING_END));
        List<EphemeralEvent> thinking = seen.stream().filter(e -> e.type() != EphemeralEventType.CUSTOM).toList();
        assertThat(thinking.get(0).type()).isEqualTo(EphemeralEventType.THINKING_START);
        assertThat(thinking.get(0).data()).containsEntry("thinking", "").containsEntry("thinking_length", 0)
                .containsEntry("round", 0).containsEntry("channel_id", "ai-bot");
        assertThat(thinking.get(thinking.size() - 1).type()).isEqualTo(EphemeralEventType.THINKING_END);
        assertThat(thinking.get(thinking.size() - 1).data()).containsEntry("thinking", full)
                .containsEntry("thinking_length", full.length());
        List<EphemeralEvent> deltaEvents = thinking.stream()
                .filter(e -> e.type() == EphemeralEventType.THINKING_DELTA).toList();
        assertThat(deltaEvents.stream().map(e -> (String) e.data().get("thinking")).collect(Collectors.joining()))
                .isEqualTo(full);
        assertThat(deltaEvents).as("coalesced: far fewer publishes than the 100 deltas").hasSizeLessThan(40)
                .hasSizeGreaterThan(1);
    }

    @Test
    void aStreamedReplyReachesSubscribersAsCoalescedTextDeltasAndIsStoredOnce() {
        List<String> pieces = IntStream.range(0, 60).mapToObj(i -> "word" + i + " ").toList();
        String full = String.join("", pieces);
        roomWith(AIChannel.builder("ai-bot", ScriptedAIProvider.rounds(
                new Step(List.of(), pieces, List.of(), Duration.ofMillis(3)))).build());

        ask("tell me a story");

        // subscribers get events on their own threads: wait for the last piece, then look at them all
        await().atMost(Duration.ofSeconds(10)).until(() -> textDeltas().stream()
                .map(e -> (String) e.data().get("text")).collect(Collectors.joining()).length() >= full.length());
        List<EphemeralEvent> deltas = textDeltas();
        assertThat(deltas.stream().map(e -> (String) e.data().get("text")).collect(Collectors.joining()))
                .isEqualTo(full);
        assertThat(deltas).as("coalesced: fewer publishes than the 60 deltas").hasSizeLessThan(60)
                .allSatisfy(e -> assertThat(e.data()).containsEntry("round", 0).containsEntry("channel_id", "ai-bot")
                        .containsKeys("kind", "text", "round", "channel_id").hasSize(4));
        assertThat(timeline()).filteredOn(event -> event.source().channelId().equals("ai-bot"))
                .singleElement().satisfies(reply -> assertThat(reply.content().plainText()).isEqualTo(full));
    }

    private List<EphemeralEvent> textDeltas() {
        return seen.stream().filter(e -> e.type() == EphemeralEventType.CUSTOM
                && "ai_text_delta".equals(e.data().get("kind"))).toList();
    }

    @Test
    void aReplyThatIsNotStreamedPublishesNoTextDelta() {
        AIProvider whole = (request, stream) -> AIResponse.text("All at once.");
        roomWith(AIChannel.builder("ai-bot", whole).build());

        ask("hi");
        kit.publishTyping(ROOM, "alice", true); // delivered after anything the reply published

        assertThat(timeline()).extracting(event -> event.content().plainText()).containsExactly("hi", "All at once.");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> seen.stream().anyMatch(e -> e.type() == EphemeralEventType.TYPING_START));
        assertThat(seen).noneMatch(e -> "ai_text_delta".equals(e.data().get("kind")));
    }

    @Test
    void aWindowOfZeroPublishesEveryDelta() {
        roomWith(AIChannel.builder("ai-bot", ScriptedAIProvider.rounds(Step.reply("ok").thinking("a", "b", "c")))
                .thinkingWindow(0).build());

        ask("think");

        assertThat(ephemeral(6)).extracting(EphemeralEvent::type).containsExactly(EphemeralEventType.THINKING_START,
                EphemeralEventType.THINKING_DELTA, EphemeralEventType.THINKING_DELTA,
                EphemeralEventType.THINKING_DELTA, EphemeralEventType.THINKING_END, EphemeralEventType.CUSTOM);
    }

    @Test
    void reasoningOfANonStreamingProviderIsPublishedAsStartThenEnd() {
        AIProvider reasoning = (request, stream) -> new AIResponse("42", List.of(), "Six times seven.");
        roomWith(AIChannel.builder("ai-bot", reasoning).build());

        ask("the answer?");

        List<EphemeralEvent> events = ephemeral(2);
        assertThat(events).extracting(EphemeralEvent::type).containsExactly(EphemeralEventType.THINKING_START,
                EphemeralEventType.THINKING_END);
        assertThat(events.get(1).data()).containsEntry("thinking", "Six times seven.").containsEntry("round", 0);
    }

    @Test
    void theReplyGoesThroughHooksAndStorage() {
        kit.addHook((event, context) -> event.source().channelId().equals("ai-bot")
                ? HookResult.modify(event.toBuilder().content(new TextContent("[reviewed] "
                        + event.content().plainText())).build())
                : HookResult.allow());
        roomWith(AIChannel.builder("ai-bot", ScriptedAIProvider.rounds(Step.reply("Hello"))).build());

        ask("hi");

        assertThat(timeline().get(1).content()).isEqualTo(new TextContent("[reviewed] Hello"));
    }

    @Test
    void twoAssistantsStopAtTheChainDepthLimit() {
        AIChannel first = AIChannel.builder("ai-one", ScriptedAIProvider.rounds(Step.reply("one"))).build();
        AIChannel second = AIChannel.builder("ai-two", ScriptedAIProvider.rounds(Step.reply("two"))).build();
        roomWith(first, second);

        ask("start");

        List<RoomEvent> timeline = timeline();
        assertThat(timeline).filteredOn(e -> e.status() == EventStatus.DELIVERED).extracting(RoomEvent::chainDepth)
                .allMatch(depth -> depth < RoomKit.DEFAULT_MAX_CHAIN_DEPTH);
        assertThat(timeline).filteredOn(e -> e.status() == EventStatus.BLOCKED).isNotEmpty()
                .extracting(RoomEvent::blockedBy).containsOnly("event_chain_depth_limit");
        assertThat(timeline).extracting(RoomEvent::index)
                .containsExactlyElementsOf(IntStream.range(0, timeline.size()).mapToObj(i -> (long) i).toList());
    }

    @Test
    void editsDeletesAndToolEventsAreNotAnswered() {
        ScriptedAIProvider provider = ScriptedAIProvider.rounds(Step.reply("answer"));
        roomWith(AIChannel.builder("ai-bot", provider).build());
        RoomEvent question = ask("q");
        int afterQuestion = provider.calls();

        kit.processInbound(InboundMessage.builder().channelId("ws-alice").senderId("alice").eventType(EventType.EDIT)
                .content(new EditContent(question.id(), new TextContent("q2"))).build(), ROOM);
        kit.processInbound(InboundMessage.builder().channelId("ws-alice").senderId("alice")
                .eventType(EventType.DELETE).content(new DeleteContent(question.id())).build(), ROOM);
        assertThat(kit.awaitIdle(Duration.ofSeconds(10))).isTrue();

        assertThat(afterQuestion).isEqualTo(1);
        assertThat(provider.calls()).isEqualTo(1);
    }

    @Test
    void subscribersSeeToolAndThinkingEventsInOrder() {
        AITool lookup = AITool.of("lookup", "", args -> "found");
        roomWith(AIChannel.builder("ai-bot", ScriptedAIProvider.rounds(
                Step.callTool("c1", "lookup", Map.of()).thinking("Let me look that up."),
                Step.reply("Here it is.").thinking("Now answer."))).tool(lookup).thinkingWindow(0).build());

        ask("find it");

        assertThat(ephemeral(9)).extracting(event -> event.type().value() + ":" + event.data().get("round"))
                .containsExactly("thinking_start:0", "thinking_delta:0", "thinking_end:0", "tool_call_start:0",
                        "tool_call_end:0", "thinking_start:1", "thinking_delta:1", "thinking_end:1", "custom:1");
    }

    @Test
    void aFailingRealtimeBackendNeverBreaksTheReply() {
        RealtimeBackend broken = new InMemoryRealtime() {
            @Override
            public void publish(String channel, EphemeralEvent event) {
                throw new IllegalStateException("backend down");
            }
        };
        AITool tool = AITool.of("t", "", args -> "r");
        AIChannel ai = AIChannel.builder("ai-bot", ScriptedAIProvider.rounds(Step.callTool("c1", "t", Map.of()),
                Step.reply("fine").thinking("hmm"))).tool(tool).realtime(broken).build();
        roomWith(ai);

        ask("go");

        assertThat(timeline()).last().extracting(RoomEvent::content).isEqualTo(new TextContent("fine"));
        broken.close();
    }

    @Test
    void theModelSeesTheConversationWithItsOwnMessagesAsTheAssistants() {
        List<AIRequest> requests = Collections.synchronizedList(new ArrayList<>());
        AIProvider recording = (request, stream) -> {
            requests.add(request);
            return AIResponse.text("reply " + requests.size());
        };
        roomWith(AIChannel.builder("ai-bot", recording).systemPrompt("Be brief.").build());

        ask("first");
        ask("second");

        AIRequest last = requests.get(1);
        assertThat(last.systemPrompt()).isEqualTo("Be brief.");
        assertThat(last.messages()).extracting(m -> m.role() + ":" + m.content()).containsExactly("USER:first",
                "ASSISTANT:reply 1", "USER:second");
        assertThat(last.lastUserText()).isEqualTo("second");
    }

    @Test
    void autoAttachPutsTheAssistantInMatchingRoomsFromTheirFirstMessage() {
        kit.registerChannel(new WebSocketChannel("ws-alice"));
        kit.registerChannel(AIChannel.builder("ai-help", ScriptedAIProvider.rounds(Step.reply("How can I help?")))
                .build());
        kit.autoAttach("ai-help", "support-*");

        kit.processInbound(InboundMessage.text("ws-alice", "alice", "hello"), "support-1");
        kit.processInbound(InboundMessage.text("ws-alice", "alice", "hello"), "sales-1");
        assertThat(kit.awaitIdle(Duration.ofSeconds(10))).isTrue();

        assertThat(kit.events("support-1", EventQuery.latest(10))).hasSize(2);
        assertThat(kit.events("sales-1", EventQuery.latest(10))).hasSize(1);
    }

}
