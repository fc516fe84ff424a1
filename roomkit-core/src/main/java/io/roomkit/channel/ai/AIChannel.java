package io.roomkit.channel.ai;

import io.roomkit.channel.Channel;
import io.roomkit.concurrent.DaemonThreads;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.ChannelCategory;
import io.roomkit.model.ChannelType;
import io.roomkit.model.EventSource;
import io.roomkit.model.EventStatus;
import io.roomkit.model.EventType;
import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;
import io.roomkit.model.ToolCallContent;
import io.roomkit.realtime.EphemeralEventType;
import io.roomkit.realtime.RealtimeBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An AI participant: an intelligence channel that answers the room's messages with an {@link AIProvider}.
 * <p>
 * For each message from someone else it sends the recent conversation to the provider and runs a bounded
 * tool loop: when the model asks for tools, the channel publishes TOOL_CALL_START, runs the round's tools in
 * parallel, publishes TOOL_CALL_END (results cut to 500 characters, {@code duration_ms}) and asks again. The
 * model's reasoning becomes THINKING_START / THINKING_DELTA / THINKING_END events. Its answers — a
 * TOOL_CALL_START and a TOOL_CALL_END event per tool call and the reply text, sharing one correlation id —
 * re-enter the pipeline (hooks, storage, broadcast, chain depth). It ignores its own events, tool-call events,
 * edits and deletions. Publishing is best effort: a failing realtime backend never breaks a reply.
 * <p>
 * The kit asks an AI channel on its own threads, never on the sender's. Each model call has a
 * {@linkplain Builder#timeout timeout} and each tool a {@linkplain Builder#toolTimeout timeout of its own}; model
 * calls and tools run on a bounded pool per channel. A tool that fails or times out is reported to the model as
 * {@code Error executing tool <name>: ...} and the turn goes on; a model call that fails or times out ends the
 * turn: the answers so far are kept, the thinking indicator is ended, and a CUSTOM {@code ai_error} event tells
 * the room.
 */
public class AIChannel implements Channel {

    private static final Logger log = LoggerFactory.getLogger(AIChannel.class);

    /** Default time one model call may take. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** Default time one tool call may take. */
    public static final Duration DEFAULT_TOOL_TIMEOUT = Duration.ofSeconds(30);
    /** Default number of model and tool calls of one channel that run at the same time. */
    public static final int DEFAULT_MAX_CONCURRENT_CALLS = 16;
    /** Calls that may wait for a thread; beyond this a call fails at once as too busy. */
    private static final int CALL_QUEUE_CAPACITY = 256;

    private final String id;
    private final AIProvider provider;
    private final String systemPrompt;
    private final List<AITool> tools;
    private final int maxRounds;
    private final int historyLimit;
    private final long thinkingWindowMillis;
    private final Duration timeout;
    private final Duration toolTimeout;
    private final AIEvents events;
    private final ThreadPoolExecutor calls;
    private volatile RealtimeBackend realtime;

    private AIChannel(Builder builder) {
        this.id = Objects.requireNonNull(builder.id, "id");
        this.provider = Objects.requireNonNull(builder.provider, "provider");
        this.systemPrompt = builder.systemPrompt;
        this.tools = List.copyOf(builder.tools);
        this.maxRounds = builder.maxRounds;
        this.historyLimit = builder.historyLimit;
        this.thinkingWindowMillis = builder.thinkingWindowMillis;
        this.realtime = builder.realtime;
        this.timeout = builder.timeout;
        this.toolTimeout = builder.toolTimeout;
        this.events = new AIEvents(id, () -> realtime);
        this.calls = new ThreadPoolExecutor(builder.maxConcurrentCalls, builder.maxConcurrentCalls, 60,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(CALL_QUEUE_CAPACITY),
                DaemonThreads.named("roomkit-ai-" + id + "-"));
        this.calls.allowCoreThreadTimeOut(true);
    }

    public static Builder builder(String id, AIProvider provider) {
        return new Builder(id, provider);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ChannelType type() {
        return ChannelType.AI;
    }

    @Override
    public ChannelCategory category() {
        return ChannelCategory.INTELLIGENCE;
    }

    /** Takes the kit's realtime backend for its events, unless one was given to the builder. */
    @Override
    public void onRegistered(RealtimeBackend kitRealtime) {
        if (realtime == null) {
            realtime = kitRealtime;
        }
    }

    public List<AITool> tools() {
        return tools;
    }

    @Override
    public List<RoomEvent> onEvent(RoomEvent event, ChannelBinding binding, RoomContext context) {
        if (!answers(event)) {
            return List.of();
        }
        Turn turn = new Turn(event, RoomEvent.newId());
        List<AIMessage> conversation = conversation(context);
        int round = 0;
        try {
            for (; round < maxRounds; round++) {
                AIResponse response = generate(event.roomId(), conversation, round);
                if (response.toolCalls().isEmpty()) {
                    turn.reply(response.text(), null);
                    return turn.answers();
                }
                if (!response.text().isBlank()) {
                    turn.reply(response.text(), null);
                }
                conversation.add(AIMessage.assistant(response.text(), response.toolCalls()));
                runTools(event.roomId(), round, response.toolCalls(), turn, conversation);
            }
            turn.reply("I could not finish this within " + maxRounds + " tool rounds.", "max_rounds");
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (TimeoutException ex) {
            log.warn("AI channel {} gave up on event {} in room {}: the model did not answer within {} ms", id,
                    event.id(), event.roomId(), timeout.toMillis());
            events.error(event.roomId(), round, "ai_timeout", "The assistant did not answer in time.");
        }
        catch (Exception ex) {
            log.warn("AI channel {} failed to answer event {} in room {}", id, event.id(), event.roomId(), ex);
            events.error(event.roomId(), round, "ai_failed", "The assistant could not answer.");
        }
        return turn.answers();
    }

    private boolean answers(RoomEvent event) {
        return event.type() == EventType.MESSAGE && event.status() != EventStatus.BLOCKED && !event.isDeleted()
                && !event.source().channelId().equals(id);
    }

    private AIResponse generate(String roomId, List<AIMessage> conversation, int round) throws Exception {
        ReplyStream stream = new ReplyStream(events, roomId, round, thinkingWindowMillis, System::nanoTime);
        AIRequest request = new AIRequest(systemPrompt, List.copyOf(conversation), tools, round);
        AIResponse response;
        try {
            response = await(calls.submit(() -> provider.generate(request, stream)), timeout.toNanos());
        }
        finally {
            stream.finish(); // a failed generation must not leave clients showing "thinking…"
        }
        String reasoning = response.reasoning();
        if (!stream.streamedThinking() && reasoning != null && !reasoning.isEmpty()) {
            events.thinking(roomId, EphemeralEventType.THINKING_START, round, "", 0);
            events.thinking(roomId, EphemeralEventType.THINKING_END, round, reasoning, reasoning.length());
        }
        return response;
    }

    private void runTools(String roomId, int round, List<ToolCall> calls, Turn turn, List<AIMessage> conversation)
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
            return this.calls.submit(() -> run(call));
        }
        catch (RejectedExecutionException ex) {
            return CompletableFuture.completedFuture(new ToolResult(call, "Error executing tool " + call.name()
                    + ": too many calls are running", true));
        }
    }

    /** The tool's result, or an error result when it failed or ran past {@code deadline} (it is interrupted). */
    private ToolResult finish(ToolCall call, Future<ToolResult> running, long deadline) throws InterruptedException {
        try {
            return await(running, deadline - System.nanoTime());
        }
        catch (TimeoutException ex) {
            log.info("Tool {} of AI channel {} timed out after {} ms", call.name(), id, toolTimeout.toMillis());
            return new ToolResult(call, "Error executing tool " + call.name() + ": timed out after "
                    + toolTimeout.toMillis() + " ms", true);
        }
        catch (Exception ex) {
            return new ToolResult(call, "Error executing tool " + call.name() + ": " + ex.getMessage(), true);
        }
    }

    /**
     * The future's value within {@code nanos}; cancels (interrupts) it on a timeout or when this thread is
     * interrupted, and unwraps a failure's cause.
     */
    private static <T> T await(Future<T> future, long nanos) throws Exception {
        try {
            return future.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        }
        catch (TimeoutException | InterruptedException ex) {
            future.cancel(true);
            throw ex;
        }
        catch (ExecutionException ex) {
            throw ex.getCause() instanceof Exception cause ? cause : ex;
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
            log.info("Tool {} of AI channel {} failed", call.name(), id, ex);
            return new ToolResult(call, "Error executing tool " + call.name() + ": " + ex.getMessage(), true);
        }
    }

    /** The room's recent messages as the model sees them: its own as the assistant's, the others' as users'. */
    private List<AIMessage> conversation(RoomContext context) {
        List<AIMessage> conversation = new ArrayList<>();
        for (RoomEvent message : context.recentMessages(historyLimit)) {
            if (message.isDeleted() || message.status() == EventStatus.BLOCKED) {
                continue;
            }
            String text = message.content().plainText();
            conversation.add(message.source().channelId().equals(id) ? AIMessage.assistant(text, List.of())
                    : AIMessage.user(message.source().participantId(), text));
        }
        return conversation;
    }

    @Override
    public void close() {
        calls.shutdownNow();
    }

    /** The answers of one turn, built in order and sharing a correlation id. */
    private final class Turn {

        private final RoomEvent trigger;
        private final String correlationId;
        private final List<RoomEvent> answers = new ArrayList<>();

        Turn(RoomEvent trigger, String correlationId) {
            this.trigger = trigger;
            this.correlationId = correlationId;
        }

        void reply(String text, String loopEndReason) {
            if (text.isBlank()) {
                return;
            }
            RoomEvent.Builder reply = answer(EventType.MESSAGE).content(new TextContent(text));
            if (loopEndReason != null) {
                reply.putMetadata("loop_end_reason", loopEndReason);
            }
            answers.add(reply.build());
        }

        void toolCall(ToolResult result, long durationMs) {
            ToolCall call = result.call();
            answers.add(answer(EventType.TOOL_CALL_START)
                    .content(ToolCallContent.pending(call.name(), call.id(), call.arguments())).build());
            answers.add(answer(EventType.TOOL_CALL_END).content(new ToolCallContent(call.name(), call.id(),
                    call.arguments(), result.text(), result.failed() ? "failed" : "completed", durationMs,
                    result.failed() ? result.text() : null, null)).build());
        }

        private RoomEvent.Builder answer(EventType type) {
            return RoomEvent.builder().roomId(trigger.roomId()).type(type)
                    .source(new EventSource(id, ChannelType.AI, id)).correlationId(correlationId)
                    .parentEventId(trigger.parentEventId());
        }

        List<RoomEvent> answers() {
            return List.copyOf(answers);
        }
    }

    /** Builds an {@link AIChannel}. */
    public static final class Builder {

        private final String id;
        private final AIProvider provider;
        private String systemPrompt;
        private final List<AITool> tools = new ArrayList<>();
        private int maxRounds = 5;
        private int historyLimit = 20;
        private long thinkingWindowMillis = 80;
        private RealtimeBackend realtime;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration toolTimeout = DEFAULT_TOOL_TIMEOUT;
        private int maxConcurrentCalls = DEFAULT_MAX_CONCURRENT_CALLS;

        private Builder(String id, AIProvider provider) {
            this.id = id;
            this.provider = provider;
        }

        public Builder systemPrompt(String systemPrompt) {
            this.systemPrompt = systemPrompt;
            return this;
        }

        public Builder tool(AITool tool) {
            this.tools.add(Objects.requireNonNull(tool, "tool"));
            return this;
        }

        public Builder tools(List<? extends AITool> tools) {
            tools.forEach(this::tool);
            return this;
        }

        /** Most tool rounds in one turn; default 5. */
        public Builder maxRounds(int maxRounds) {
            if (maxRounds < 1) {
                throw new IllegalArgumentException("maxRounds must be at least 1");
            }
            this.maxRounds = maxRounds;
            return this;
        }

        /** Messages of context sent to the model; default 20. */
        public Builder historyLimit(int historyLimit) {
            if (historyLimit < 1 || historyLimit > 1000) {
                throw new IllegalArgumentException("historyLimit must be between 1 and 1000");
            }
            this.historyLimit = historyLimit;
            return this;
        }

        /** Coalescing window of THINKING_DELTA events; default 80 ms, 0 publishes every delta. */
        public Builder thinkingWindow(long millis) {
            if (millis < 0) {
                throw new IllegalArgumentException("the thinking window must not be negative");
            }
            this.thinkingWindowMillis = millis;
            return this;
        }

        /** The backend for TOOL_CALL_* and THINKING_* events; default the kit's. */
        public Builder realtime(RealtimeBackend realtime) {
            this.realtime = realtime;
            return this;
        }

        /** Longest time one model call may take; default 60 s. The turn ends with an {@code ai_timeout}. */
        public Builder timeout(Duration timeout) {
            this.timeout = positive(timeout, "timeout");
            return this;
        }

        /** Longest time one tool call may take; default 30 s. The model is told the tool timed out. */
        public Builder toolTimeout(Duration toolTimeout) {
            this.toolTimeout = positive(toolTimeout, "toolTimeout");
            return this;
        }

        /** Model and tool calls of this channel running at the same time; default 16. */
        public Builder maxConcurrentCalls(int maxConcurrentCalls) {
            if (maxConcurrentCalls < 1) {
                throw new IllegalArgumentException("maxConcurrentCalls must be at least 1");
            }
            this.maxConcurrentCalls = maxConcurrentCalls;
            return this;
        }

        private static Duration positive(Duration duration, String name) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return duration;
        }

        public AIChannel build() {
            return new AIChannel(this);
        }
    }
}
