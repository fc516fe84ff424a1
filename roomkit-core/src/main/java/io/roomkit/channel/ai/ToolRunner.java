package io.roomkit.channel.ai;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Runs the tools one round of an {@link AIChannel}'s turn asks for: all of them at once on the channel's
 * {@link AICallPool}, each within the tool timeout, between a TOOL_CALL_START and a TOOL_CALL_END event. A tool
 * that fails, times out or does not exist gives an error result for the model rather than ending the turn.
 */
final class ToolRunner {

    /** The channel's category, so that the log settings of {@code AIChannel} keep covering its tools. */
    private static final Logger log = LoggerFactory.getLogger(AIChannel.class);

    private final String channelId;
    private final List<AITool> tools;
    private final Duration toolTimeout;
    private final AIEvents events;
    private final AICallPool pool;

    ToolRunner(String channelId, List<AITool> tools, Duration toolTimeout, AIEvents events, AICallPool pool) {
        this.channelId = channelId;
        this.tools = tools;
        this.toolTimeout = toolTimeout;
        this.events = events;
        this.pool = pool;
    }

    /** Runs the round's {@code calls}; each result becomes answers of {@code turn} and a message of the model's. */
    void runRound(String roomId, int round, List<ToolCall> calls, TurnAnswers turn, List<AIMessage> conversation)
            throws InterruptedException {
        events.toolCallStart(roomId, round, calls);
        long start = System.nanoTime();
        List<Future<ToolResult>> running = calls.stream().map(this::start).toList();
        List<ToolResult> results = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            results.add(finish(calls.get(i), running.get(i), start + toolTimeout.toNanos()));
        }
        long durationMs = (System.nanoTime() - start) / 1_000_000;
        events.toolCallEnd(roomId, round, results, durationMs);
        for (ToolResult result : results) {
            turn.toolCall(result, durationMs);
            conversation.add(AIMessage.tool(result.call(), result.text()));
        }
    }

    private Future<ToolResult> start(ToolCall call) {
        try {
            return pool.submit(() -> run(call));
        }
        catch (RejectedExecutionException ex) {
            return CompletableFuture.completedFuture(new ToolResult(call, "Error executing tool " + call.name()
                    + ": too many calls are running", true));
        }
    }

    /** The tool's result, or an error result when it failed or ran past {@code deadline} (it is interrupted). */
    private ToolResult finish(ToolCall call, Future<ToolResult> running, long deadline) throws InterruptedException {
        try {
            return AICallPool.await(running, deadline - System.nanoTime());
        }
        catch (TimeoutException ex) {
            log.info("Tool {} of AI channel {} timed out after {} ms", call.name(), channelId, toolTimeout.toMillis());
            return new ToolResult(call, "Error executing tool " + call.name() + ": timed out after "
                    + toolTimeout.toMillis() + " ms", true);
        }
        catch (Exception ex) {
            return new ToolResult(call, "Error executing tool " + call.name() + ": " + ex.getMessage(), true);
        }
    }

    private ToolResult run(ToolCall call) {
        AITool tool = tools.stream().filter(candidate -> candidate.name().equals(call.name())).findFirst()
                .orElse(null);
        if (tool == null) {
            return new ToolResult(call, "Error executing tool " + call.name() + ": no such tool", true);
        }
        try {
            return new ToolResult(call, String.valueOf(tool.call(call.arguments())), false);
        }
        catch (Exception ex) {
            log.info("Tool {} of AI channel {} failed", call.name(), channelId, ex);
            return new ToolResult(call, "Error executing tool " + call.name() + ": " + ex.getMessage(), true);
        }
    }
}
