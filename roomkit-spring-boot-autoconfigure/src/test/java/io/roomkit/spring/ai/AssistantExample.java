package io.roomkit.spring.ai;

import io.roomkit.channel.ai.AITool;
import io.roomkit.channel.ai.ScriptedAIProvider;
import io.roomkit.channel.ai.ScriptedAIProvider.Step;
import io.roomkit.channel.ai.ToolCall;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.Map;

// README:ai-beans:begin
@Configuration(proxyBeanMethods = false)
class AssistantExample {

    @Bean   // every AITool bean (and every Spring AI ToolCallback bean) is offered to the AI channels
    AITool weather() {
        return AITool.of("weather", "Current weather of a city", args -> "Sunny in " + args.get("city"));
    }

    @Bean   // offline and deterministic; without this bean the application's Spring AI ChatModel answers
    ScriptedAIProvider assistantProvider() {
        return new ScriptedAIProvider(request -> request.round() == 0 && request.lastUserText().contains("weather")
                ? new Step(List.of("The user wants the weather; "), List.of(),
                        List.of(new ToolCall("call-1", "weather", Map.of("city", "Paris"))), null)
                : Step.reply("Here you go!"));
    }
}
// README:ai-beans:end
