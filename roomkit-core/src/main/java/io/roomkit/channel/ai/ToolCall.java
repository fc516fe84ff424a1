package io.roomkit.channel.ai;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A model's request to run one tool.
 *
 * @param id        the provider's id of the call, echoed in the result
 * @param name      the tool's name
 * @param arguments the arguments, as decoded JSON
 */
public record ToolCall(String id, String name, Map<String, Object> arguments) {

    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        arguments = arguments == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    }

    /** {@code {id, name, arguments}}, the shape of TOOL_CALL_START payloads. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", id);
        map.put("name", name);
        map.put("arguments", arguments);
        return map;
    }
}
