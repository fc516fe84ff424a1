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
import reactor.core.publisher.Flux;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An {@link AIProvider} on a Spring AI {@link ChatModel}. The channel's tools are offered to the model as tool
 * definitions and run by the channel (so that it can publish TOOL_CALL events), not by the model; reasoning
 * that the model returns in its message metadata ({@code reasoningContent}, {@code reasoning} or
 * {@code thinking}, depending on the provider) becomes thinking events.
 * <p>
 * A model that streams ({@link ChatModel#stream}) is streamed: each chunk's text goes to the channel as it comes
 * (published as {@code ai_text_delta} events, see {@link AIStream}) and its reasoning as thinking deltas, and the
 * reply is the chunks' text joined. A model whose {@code stream} is not supported (Spring AI's default throws
 * {@link UnsupportedOperationException}) is called instead, and after the first such refusal always called.
 */
public class SpringAiProvider implements AIProvider {

    private static final List<String> REASONING_KEYS = List.of("reasoningContent", "reasoning", "thinking");
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private final ChatModel chatModel;
    private final JsonMapper json = JsonMapper.builder().build();
    private volatile boolean streams = true;

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
        Prompt prompt = new Prompt(messages(request), options);
        if (streams) {
            Flux<ChatResponse> chunks;
            try {
                chunks = chatModel.stream(prompt);
            }
            catch (UnsupportedOperationException notStreaming) {
                streams = false;
                chunks = null;
            }
            if (chunks != null) {
                return collect(chunks, stream);
            }
        }
        ChatResponse response = chatModel.call(prompt);
        if (response == null || response.getResult() == null || response.getResult().getOutput() == null) {
            return AIResponse.text("");
        }
        AssistantMessage output = response.getResult().getOutput();
        return new AIResponse(output.getText() == null ? "" : output.getText(), toolCalls(output), reasoning(output));
    }

    /**
     * Reads a streamed generation on the calling thread (the channel's own pool, which bounds it by the channel's
     * timeout): text and reasoning as deltas, tool calls from whichever chunk carries them.
     */
    private AIResponse collect(Flux<ChatResponse> chunks, AIStream stream) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        Map<String, ToolCall> calls = new LinkedHashMap<>();
        // closing the stream cancels the generation when reading a chunk fails or the channel gives up
        try (Stream<ChatResponse> responses = chunks.toStream()) {
            responses.forEach(chunk -> collect(chunk, stream, text, reasoning, calls));
        }
        return new AIResponse(text.toString(), List.copyOf(calls.values()),
                reasoning.isEmpty() ? null : reasoning.toString());
    }

    /** One chunk: its reasoning and text go to the channel as deltas; its tool calls are kept by id. */
    private void collect(ChatResponse chunk, AIStream stream, StringBuilder text, StringBuilder reasoning,
            Map<String, ToolCall> calls) {
        if (chunk == null || chunk.getResult() == null || chunk.getResult().getOutput() == null) {
            return;
        }
        AssistantMessage output = chunk.getResult().getOutput();
        String thinking = reasoning(output);
        if (thinking != null) {
            reasoning.append(thinking);
            stream.thinking(thinking);
        }
        if (output.getText() != null && !output.getText().isEmpty()) {
            text.append(output.getText());
            stream.text(output.getText());
        }
        toolCalls(output).forEach(call -> calls.put(call.id(), call));
    }

    private List<ToolCall> toolCalls(AssistantMessage output) {
        return output.getToolCalls().stream()
                .map(call -> new ToolCall(call.id(), call.name(), arguments(call.arguments()))).toList();
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
