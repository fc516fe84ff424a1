package io.roomkit.channel.ai;

import java.util.Map;

/**
 * A tool an {@link AIChannel} may call on a model's request. The channel runs it, publishes TOOL_CALL_START
 * and TOOL_CALL_END around it, and feeds the result back to the model.
 */
public interface AITool {

    String name();

    /** What the tool does, for the model. */
    String description();

    /** JSON Schema of the arguments, for the model; an empty object schema by default. */
    default Map<String, Object> parameters() {
        return Map.of("type", "object", "properties", Map.of());
    }

    /** Runs the tool; the result is turned into text with {@code String.valueOf}. */
    Object call(Map<String, Object> arguments) throws Exception;

    /** A tool from a lambda. */
    static AITool of(String name, String description, ToolFunction function) {
        return new AITool() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public Object call(Map<String, Object> arguments) throws Exception {
                return function.apply(arguments);
            }
        };
    }

    /** The body of a tool made with {@link #of}. */
    @FunctionalInterface
    interface ToolFunction {

        Object apply(Map<String, Object> arguments) throws Exception;
    }
}
