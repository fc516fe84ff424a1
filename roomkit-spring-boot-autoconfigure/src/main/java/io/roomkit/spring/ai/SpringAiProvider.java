package io.roomkit.spring.ai;

import io.roomkit.channel.ai.AIMessage;
import io.roomkit.channel.ai.AIProvider;
import io.roomkit.channel.ai.AIRequest;
import io.roomkit.channel.ai.AIResponse;
import io.roomkit.channel.ai.AIStream;
import io.roomkit.channel.ai.AITool;
import io.roomkit.channel.ai.ToolCall;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link AIProvider} on a Spring AI {@link ChatModel}. The channel's tools are offered to the model as tool
 * definitions and run by the channel (so that it can publish TOOL_CALL events), not by the model; reasoning
 * that the model returns in its message metadata ({@code reasoningContent}, {@code reasoning} or
 * {@code thinking}, depending on the provider) becomes thinking events. Calls are not streamed.
 */
public class SpringAiProvider implements AIProvider {

    private static final List<String> REASONING_KEYS = List.of("reasoningContent", "reasoning", "thinking");
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private final ChatModel chatModel;
    private final JsonMapper json = JsonMapper.builder().build();

    public SpringAiProvider(ChatModel chatModel) {
        this.chatModel = chatModel;
    }

    /** A Spring AI tool callback as a RoomKit tool, so that Spring AI tools work in AI channels. */
    public static AITool tool(ToolCallback callback) {
        ToolDefinition definition = callback.getToolDefinition();
        JsonMapper json = JsonMapper.builder().build();
        Map<String, Object> schema = definition.inputSchema() == null || definition.inputSchema().isBlank()
                ? Map.of("type", "object") : json.readValue(definition.inputSchema(), MAP);
        return new AITool() {
            @Override
            public String name() {
                return definition.name();
            }

            @Override
            public String description() {
                return definition.description();
            }

            @Override
            public Map<String, Object> parameters() {
                return schema;
            }

            @Override
            public Object call(Map<String, Object> arguments) {
                return callback.call(json.writeValueAsString(arguments));
            }
        };
    }

    @Override
    public AIResponse generate(AIRequest request, AIStream stream) {
        ToolCallingChatOptions options = ToolCallingChatOptions.builder()
                .toolCallbacks(request.tools().stream().map(this::definitionOnly).toList()).build();
        ChatResponse response = chatModel.call(new Prompt(messages(request), options));
        if (response == null || response.getResult() == null || response.getResult().getOutput() == null) {
            return AIResponse.text("");
        }
        AssistantMessage output = response.getResult().getOutput();
        List<ToolCall> calls = output.getToolCalls().stream()
                .map(call -> new ToolCall(call.id(), call.name(), arguments(call.arguments()))).toList();
        return new AIResponse(output.getText() == null ? "" : output.getText(), calls, reasoning(output));
    }

    private List<Message> messages(AIRequest request) {
        List<Message> messages = new ArrayList<>();
        if (request.systemPrompt() != null && !request.systemPrompt().isBlank()) {
            messages.add(new SystemMessage(request.systemPrompt()));
        }
        for (AIMessage message : request.messages()) {
            messages.add(switch (message.role()) {
                case USER -> new UserMessage(message.name() == null ? message.content()
                        : message.name() + ": " + message.content());
                case ASSISTANT -> AssistantMessage.builder().content(message.content())
                        .toolCalls(message.toolCalls().stream().map(call -> new AssistantMessage.ToolCall(call.id(),
                                "function", call.name(), json.writeValueAsString(call.arguments()))).toList())
                        .build();
                case TOOL -> ToolResponseMessage.builder().responses(List.of(new ToolResponseMessage.ToolResponse(
                        message.toolCallId(), message.name(), message.content()))).build();
            });
        }
        return messages;
    }

    /** A callback that describes the tool to the model; the channel, not the model, runs it. */
    private ToolCallback definitionOnly(AITool tool) {
        ToolDefinition definition = ToolDefinition.builder().name(tool.name()).description(tool.description())
                .inputSchema(json.writeValueAsString(tool.parameters())).build();
        return new ToolCallback() {
            @Override
            public ToolDefinition getToolDefinition() {
                return definition;
            }

            @Override
            public String call(String arguments) {
                try {
                    return String.valueOf(tool.call(arguments(arguments)));
                }
                catch (Exception ex) {
                    return "Error executing tool " + tool.name() + ": " + ex.getMessage();
                }
            }
        };
    }

    private Map<String, Object> arguments(String jsonArguments) {
        return jsonArguments == null || jsonArguments.isBlank() ? Map.of() : json.readValue(jsonArguments, MAP);
    }

    private static String reasoning(AssistantMessage output) {
        for (String key : REASONING_KEYS) {
            if (output.getMetadata().get(key) instanceof String text && !text.isBlank()) {
                return text;
            }
        }
        return null;
    }
}
