package io.roomkit.channel.ai;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A deterministic, local {@link AIProvider} for tests, demos and offline development: it plays scripted
 * steps — streamed thinking, tool calls, reply text, each with an optional delay — chosen by a rule on the
 * request. No network, no model.
 * <p>
 * A script is a function from the request to a {@link Step}; {@link #rounds} builds the common case of a fixed
 * sequence of steps indexed by the request's round.
 */
public final class ScriptedAIProvider implements AIProvider {

    private final Function<AIRequest, Step> script;
    private final AtomicInteger calls = new AtomicInteger();

    public ScriptedAIProvider(Function<AIRequest, Step> script) {
        this.script = Objects.requireNonNull(script, "script");
    }

    /** Plays {@code steps.get(round)} for each round (the last step again past the end). */
    public static ScriptedAIProvider rounds(Step... steps) {
        List<Step> list = List.of(steps);
        return new ScriptedAIProvider(request -> list.get(Math.min(request.round(), list.size() - 1)));
    }

    /** Generations served so far. */
    public int calls() {
        return calls.get();
    }

    @Override
    public AIResponse generate(AIRequest request, AIStream stream) throws InterruptedException {
        calls.incrementAndGet();
        Step step = script.apply(request);
        for (String delta : step.thinking()) {
            sleep(step.delay());
            stream.thinking(delta);
        }
        StringBuilder text = new StringBuilder();
        for (String delta : step.text()) {
            sleep(step.delay());
            stream.text(delta);
            text.append(delta);
        }
        return new AIResponse(text.toString(), step.toolCalls(), null);
    }

    private static void sleep(Duration delay) throws InterruptedException {
        if (!delay.isZero()) {
            Thread.sleep(delay.toMillis());
        }
    }

    /** One generation: thinking deltas, then text deltas, then tool calls; {@code delay} before each delta. */
    public record Step(List<String> thinking, List<String> text, List<ToolCall> toolCalls, Duration delay) {

        public Step {
            thinking = List.copyOf(thinking);
            text = List.copyOf(text);
            toolCalls = List.copyOf(toolCalls);
            delay = delay == null ? Duration.ZERO : delay;
        }

        /** A plain reply. */
        public static Step reply(String text) {
            return new Step(List.of(), List.of(text), List.of(), Duration.ZERO);
        }

        /** A reply streamed in pieces: each is a text delta, and the reply is their concatenation. */
        public static Step streamed(String... deltas) {
            return new Step(List.of(), List.of(deltas), List.of(), Duration.ZERO);
        }

        /** A round that calls one tool. */
        public static Step callTool(String id, String name, Map<String, Object> arguments) {
            return new Step(List.of(), List.of(), List.of(new ToolCall(id, name, arguments)), Duration.ZERO);
        }

        /** A round that calls several tools in parallel. */
        public static Step callTools(ToolCall... calls) {
            return new Step(List.of(), List.of(), List.of(calls), Duration.ZERO);
        }

        /** This step, preceded by streamed thinking deltas. */
        public Step thinking(String... deltas) {
            List<String> all = new ArrayList<>(thinking);
            all.addAll(List.of(deltas));
            return new Step(all, text, toolCalls, delay);
        }

        /** This step with a pause before each delta. */
        public Step delayed(Duration pause) {
            return new Step(thinking, text, toolCalls, pause);
        }
    }
}
