package io.roomkit.benchmarks;

import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The wire form of ephemeral events with Jackson 3: encoding ({@code toMap()} then {@code writeValueAsString})
 * and decoding ({@code readValue} to a map then {@code fromMap}), for a typing event (no data) and a tool-call
 * event (a nested payload).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class EphemeralJsonBenchmark {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    @Param({ "typing_start", "tool_call_start" })
    public String type;

    private JsonMapper mapper;
    private EphemeralEvent event;
    private String json;

    @Setup
    public void prepare() {
        mapper = JsonMapper.builder().build();
        if (type.equals("typing_start")) {
            event = EphemeralEvent.of("room-1", EphemeralEventType.TYPING_START, "alice", Map.of());
        }
        else {
            Map<String, Object> call = new LinkedHashMap<>();
            call.put("id", "call_1");
            call.put("name", "lookup_order");
            call.put("arguments", Map.of("order_id", "A-1234", "include_items", true));
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("tool_calls", List.of(call));
            data.put("channel_id", "ai-assistant");
            event = EphemeralEvent.of("room-1", EphemeralEventType.TOOL_CALL_START, "ai-assistant", "ai-assistant",
                    data);
        }
        json = encode();
        if (!decode().equals(event)) {
            throw new IllegalStateException("The JSON round trip changed the event: " + json);
        }
    }

    @Benchmark
    public String encode() {
        return mapper.writeValueAsString(event.toMap());
    }

    @Benchmark
    public EphemeralEvent decode() {
        return EphemeralEvent.fromMap(mapper.readValue(json, MAP));
    }
}
