package io.roomkit.spring.ai;

import io.roomkit.RoomKit;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.channel.ai.AIProvider;
import io.roomkit.channel.ai.ScriptedAIProvider;
import io.roomkit.channel.ai.ScriptedAIProvider.Step;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;
import io.roomkit.model.ToolCallContent;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import io.roomkit.spring.boot.RoomEventListenerAutoConfiguration;
import io.roomkit.spring.boot.RoomKitAiAutoConfiguration;
import io.roomkit.spring.boot.RoomKitAutoConfiguration;
import io.roomkit.spring.listener.RoomEventListener;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RoomKitAiAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RoomKitAutoConfiguration.class,
                    RoomEventListenerAutoConfiguration.class, RoomKitAiAutoConfiguration.class))
            .withPropertyValues("roomkit.ai.channels[0].id=ai-help", "roomkit.ai.channels[0].rooms=support-*",
                    "roomkit.ai.channels[0].system-prompt=Be helpful.");

    private static List<RoomEvent> ask(RoomKit kit, String room, String text) {
        kit.registerChannelIfAbsent(new WebSocketChannel("ws-alice"));
        kit.processInbound(InboundMessage.text("ws-alice", "alice", text), room);
        assertThat(kit.awaitIdle(Duration.ofSeconds(10))).isTrue(); // AI channels answer on their own threads
        return kit.events(room, EventQuery.latest(50));
    }

    @Test
    void anAiProviderBeanAnswersInTheConfiguredRooms() {
        runner.withBean(AIProvider.class, () -> ScriptedAIProvider.rounds(Step.reply("How can I help?")))
                .run(context -> {
                    RoomKit kit = context.getBean(RoomKit.class);
                    assertThat(kit.channel("ai-help")).isPresent();
                    assertThat(ask(kit, "support-1", "hi")).extracting(event -> event.content().plainText())
                            .containsExactly("hi", "How can I help?");
                    assertThat(ask(kit, "sales-1", "hi")).hasSize(1);
                });
    }

    @Test
    void aSpringAiChatModelDrivesToolCallsThroughTheChannel() {
        runner.withUserConfiguration(FakeSpringAi.class).run(context -> {
            RoomKit kit = context.getBean(RoomKit.class);
            List<RoomEvent> timeline = ask(kit, "support-2", "weather in Paris?");

            assertThat(timeline).extracting(RoomEvent::type).containsExactly(EventType.MESSAGE,
                    EventType.TOOL_CALL_START, EventType.TOOL_CALL_END, EventType.MESSAGE);
            assertThat(((ToolCallContent) timeline.get(2).content()).result()).isEqualTo("Sunny in Paris");
            assertThat(timeline.get(3).content()).isEqualTo(new TextContent("It is sunny in Paris."));
            FakeSpringAi fake = context.getBean(FakeSpringAi.class);
            assertThat(fake.prompts).hasSize(2);
            assertThat(((ToolCallingChatOptions) fake.prompts.get(0).getOptions()).getToolCallbacks())
                    .extracting(callback -> callback.getToolDefinition().name()).containsExactly("weather");
            List<Message> second = fake.prompts.get(1).getInstructions();
            assertThat(second.get(0).getText()).isEqualTo("Be helpful.");
            assertThat(second.get(second.size() - 1)).isInstanceOfSatisfying(ToolResponseMessage.class,
                    response -> assertThat(response.getResponses().get(0).responseData()).isEqualTo("Sunny in Paris"));
        });
    }

    @Test
    void listenersSeeToolAndThinkingEventsInOrder() {
        runner.withBean(AIProvider.class, () -> ScriptedAIProvider.rounds(
                Step.callTool("c1", "lookup", Map.of()).thinking("Looking it up."), Step.reply("Found it.")))
                .withBean(ToolListener.class).withPropertyValues("roomkit.ai.channels[0].thinking-window=0ms")
                .run(context -> {
                    ask(context.getBean(RoomKit.class), "support-3", "find it");
                    ToolListener listener = context.getBean(ToolListener.class);
                    await().atMost(Duration.ofSeconds(10)).until(() -> listener.types.size() >= 5);
                    assertThat(listener.types).containsExactly(EphemeralEventType.THINKING_START,
                            EphemeralEventType.THINKING_DELTA, EphemeralEventType.THINKING_END,
                            EphemeralEventType.TOOL_CALL_START, EphemeralEventType.TOOL_CALL_END);
                });
    }

    @Test
    void aStreamingChatModelIsStreamedToClientsAndItsReplyStoredOnce() {
        runner.withUserConfiguration(StreamingSpringAi.class).withBean(TextDeltaListener.class)
                .withPropertyValues("roomkit.ai.channels[0].thinking-window=0ms").run(context -> {
                    List<RoomEvent> timeline = ask(context.getBean(RoomKit.class), "support-5", "weather?");

                    assertThat(timeline).extracting(event -> event.content().plainText())
                            .containsExactly("weather?", "It is sunny in Paris.");
                    TextDeltaListener listener = context.getBean(TextDeltaListener.class);
                    await().atMost(Duration.ofSeconds(10)).until(() -> listener.texts.size() >= 3);
                    assertThat(listener.texts).containsExactly("It is ", "sunny ", "in Paris.");
                    assertThat(listener.thinking).containsExactly("Checking the sky.");
                });
    }

    @Test
    void worksWithoutSpringAiOnTheClasspath() {
        runner.withClassLoader(new FilteredClassLoader(ChatModel.class))
                .withBean(AIProvider.class, () -> ScriptedAIProvider.rounds(Step.reply("offline")))
                .run(context -> assertThat(ask(context.getBean(RoomKit.class), "support-4", "hi"))
                        .extracting(event -> event.content().plainText()).containsExactly("hi", "offline"));
    }

    @Test
    void aChannelWithoutAProviderFailsStartUpWithAClearMessage() {
        runner.run(context -> assertThat(context).hasFailed().getFailure()
                .hasStackTraceContaining("AI channel 'ai-help' has no provider"));
    }

    @Test
    void noChannelsMeansNothingIsRegistered() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RoomKitAutoConfiguration.class,
                RoomKitAiAutoConfiguration.class)).run(context -> assertThat(context).hasNotFailed()
                        .getBean(RoomKit.class).satisfies(kit -> assertThat(kit.channel("ai-help")).isEmpty()));
    }

    static class ToolListener {

        final List<EphemeralEventType> types = new CopyOnWriteArrayList<>();

        @RoomEventListener(rooms = "support-*", types = { EphemeralEventType.THINKING_START,
                EphemeralEventType.THINKING_DELTA, EphemeralEventType.THINKING_END, EphemeralEventType.TOOL_CALL_START,
                EphemeralEventType.TOOL_CALL_END })
        void onAiEvent(EphemeralEvent event) {
            types.add(event.type());
        }
    }

    static class TextDeltaListener {

        final List<String> texts = new CopyOnWriteArrayList<>();
        final List<String> thinking = new CopyOnWriteArrayList<>();

        @RoomEventListener(rooms = "support-*", types = { EphemeralEventType.CUSTOM,
                EphemeralEventType.THINKING_END })
        void onAiEvent(EphemeralEvent event) {
            if ("ai_text_delta".equals(event.data().get("kind"))) {
                texts.add((String) event.data().get("text"));
            }
            else if (event.type() == EphemeralEventType.THINKING_END) {
                thinking.add((String) event.data().get("thinking"));
            }
        }
    }

    /** A ChatModel that only streams: its reply comes in three chunks after some reasoning. */
    @Configuration(proxyBeanMethods = false)
    static class StreamingSpringAi {

        @Bean
        ChatModel chatModel() {
            return new ChatModel() {
                @Override
                public ChatResponse call(Prompt prompt) {
                    throw new IllegalStateException("a streaming model is streamed");
                }

                @Override
                public Flux<ChatResponse> stream(Prompt prompt) {
                    AssistantMessage reasoning = AssistantMessage.builder().content("")
                            .properties(Map.of("reasoningContent", "Checking the sky.")).build();
                    return Flux.just(reasoning, new AssistantMessage("It is "), new AssistantMessage("sunny "),
                            new AssistantMessage("in Paris.")).map(message -> new ChatResponse(
                                    List.of(new Generation(message))));
                }
            };
        }
    }

    /** A ChatModel that asks for the weather tool once, then answers with its result. */
    @Configuration(proxyBeanMethods = false)
    static class FakeSpringAi {

        final List<Prompt> prompts = new CopyOnWriteArrayList<>();

        @Bean
        ChatModel chatModel() {
            return prompt -> {
                prompts.add(prompt);
                Message last = prompt.getInstructions().get(prompt.getInstructions().size() - 1);
                AssistantMessage output = last instanceof ToolResponseMessage tool
                        ? new AssistantMessage("It is " + tool.getResponses().get(0).responseData()
                                .replace("Sunny", "sunny") + ".")
                        : AssistantMessage.builder().content("").toolCalls(List.of(new AssistantMessage.ToolCall(
                                "call-1", "function", "weather", "{\"city\":\"Paris\"}"))).build();
                return new ChatResponse(List.of(new Generation(output)));
            };
        }

        @Bean
        ToolCallback weather() {
            ToolDefinition definition = ToolDefinition.builder().name("weather").description("Weather of a city")
                    .inputSchema("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}").build();
            return new ToolCallback() {
                @Override
                public ToolDefinition getToolDefinition() {
                    return definition;
                }

                @Override
                public String call(String arguments) {
                    return "Sunny in " + (arguments.contains("Paris") ? "Paris" : "?");
                }
            };
        }
    }
}
