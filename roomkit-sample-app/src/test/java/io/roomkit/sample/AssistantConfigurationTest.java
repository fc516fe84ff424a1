package io.roomkit.sample;

import io.roomkit.RoomKit;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.channel.ai.AIChannel;
import io.roomkit.channel.ai.ScriptedAIProvider.Step;
import io.roomkit.channel.ai.ToolCall;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;
import io.roomkit.model.ToolCallContent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The scripted demo assistant of the sample's assistant room. */
class AssistantConfigurationTest {

    private final AssistantConfiguration configuration = new AssistantConfiguration();

    @Test
    void aWeatherQuestionThinksThenCallsTheWeatherToolForTheCityItNames() {
        Step step = AssistantConfiguration.firstRound("Any idea what the weather is like in New York?");

        assertThat(String.join("", step.thinking())).contains("the weather in New York");
        assertThat(step.toolCalls()).extracting(ToolCall::name, ToolCall::arguments)
                .containsExactly(tuple("weather", Map.of("city", "New York")));
        assertThat(step.text()).isEmpty();
    }

    @Test
    void askingForTheWeatherAndTheTimeCallsBothToolsWithParisByDefault() {
        Step step = AssistantConfiguration.firstRound("weather and time please");

        assertThat(step.toolCalls()).extracting(ToolCall::name).containsExactly("weather", "clock");
        assertThat(step.toolCalls().get(0).arguments()).containsEntry("city", "Paris");
    }

    @Test
    void anythingElseIsAnsweredDirectlyWithWhatItUnderstood() {
        Step step = AssistantConfiguration.firstRound("Sometimes I  wonder\nabout timelines");

        assertThat(step.toolCalls()).isEmpty();
        assertThat(String.join("", step.text())).contains("\u201cSometimes I wonder about timelines\u201d");
    }

    @Test
    void inARoomItAnswersAWeatherQuestionWithTheToolsResult() {
        try (RoomKit kit = new RoomKit()) {
            kit.registerChannel(AIChannel.builder("assistant", configuration.assistantProvider())
                    .tools(List.of(configuration.weather(), configuration.clock())).build());
            kit.autoAttach("assistant", "assistant");
            kit.registerChannel(new WebSocketChannel("ws-alice"));

            kit.processInbound(InboundMessage.builder().channelId("ws-alice").senderId("alice")
                    .content(new TextContent("How is the weather in London?")).build(), "assistant");
            assertThat(kit.awaitIdle(Duration.ofSeconds(10))).isTrue(); // the assistant answers on its own thread

            List<RoomEvent> events = kit.events("assistant", EventQuery.latest(10));
            assertThat(events).extracting(RoomEvent::type).containsExactly(EventType.MESSAGE,
                    EventType.TOOL_CALL_START, EventType.TOOL_CALL_END, EventType.MESSAGE);
            assertThat(((ToolCallContent) events.get(2).content()).result()).isEqualTo("Light rain, 14 °C in London");
            assertThat(events.get(3).content()).isEqualTo(new TextContent("The weather: Light rain, 14 °C in London."));
        }
    }
}
