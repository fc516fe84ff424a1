package io.roomkit.spring.ai;

import io.roomkit.RoomKit;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.RoomEvent;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import io.roomkit.spring.boot.RoomKitAiAutoConfiguration;
import io.roomkit.spring.boot.RoomKitAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The README's assistant example, run as written. */
class AssistantExampleTest {

    @Test
    void theReadmeAssistantAnswersWithAToolCall() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RoomKitAutoConfiguration.class,
                        RoomKitAiAutoConfiguration.class))
                .withUserConfiguration(AssistantExample.class)
                .withPropertyValues("roomkit.ai.channels[0].id=assistant", "roomkit.ai.channels[0].rooms=assistant-*")
                .run(context -> {
                    RoomKit kit = context.getBean(RoomKit.class);
                    List<EphemeralEvent> seen = new CopyOnWriteArrayList<>();
                    kit.subscribeRoom("assistant-1", seen::add);
                    kit.registerChannel(new WebSocketChannel("ws-alice"));

                    kit.processInbound(InboundMessage.text("ws-alice", "alice", "weather please"), "assistant-1");
                    assertThat(kit.awaitIdle(Duration.ofSeconds(10))).isTrue();

                    assertThat(kit.events("assistant-1", EventQuery.latest(10))).extracting(RoomEvent::type)
                            .containsExactly(EventType.MESSAGE, EventType.TOOL_CALL_START, EventType.TOOL_CALL_END,
                                    EventType.MESSAGE);
                    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 6);
                    assertThat(seen).extracting(EphemeralEvent::type).containsExactly(
                            EphemeralEventType.THINKING_START, EphemeralEventType.THINKING_DELTA,
                            EphemeralEventType.THINKING_END, EphemeralEventType.TOOL_CALL_START,
                            EphemeralEventType.TOOL_CALL_END, EphemeralEventType.CUSTOM);
                    assertThat(seen.get(5).data()).containsEntry("kind", "ai_text_delta");
                });
    }
}
