package io.roomkit.channel.ai;

import io.roomkit.channel.Channel;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.ChannelCategory;
import io.roomkit.model.ChannelType;
import io.roomkit.model.EventStatus;
import io.roomkit.model.EventType;
import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;
import io.roomkit.realtime.RealtimeBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.time.Duration;
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
 * <p>
 * This class holds a turn's loop; the calls it makes are its collaborators': {@code ModelCalls} asks the model and
 * streams what it says, {@code ToolRunner} runs a round's tools, {@code TurnAnswers} builds the events a turn
 * answers with, and {@code AICallPool} is the bounded pool both kinds of call run on.
 */
public class AIChannel implements Channel {

    private static final Logger log = LoggerFactory.getLogger(AIChannel.class);

    /** Default time one model call may take. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** Default time one tool call may take. */
    public static final Duration DEFAULT_TOOL_TIMEOUT = Duration.ofSeconds(30);
    /** Default number of model and tool calls of one channel that run at the same time. */
    public static final int DEFAULT_MAX_CONCURRENT_CALLS = 16;

    private final String id;
    private final List<AITool> tools;
    private final int maxRounds;
    private final int historyLimit;
    private final Duration timeout;
    private final AIEvents events;
    private final AICallPool calls;
    private final ModelCalls model;
    private final ToolRunner toolRunner;
    private volatile RealtimeBackend realtime;

    private AIChannel(Builder builder) {
        this.id = Objects.requireNonNull(builder.id, "id");
        AIProvider provider = Objects.requireNonNull(builder.provider, "provider");
        this.tools = List.copyOf(builder.tools);
        this.maxRounds = builder.maxRounds;
        this.historyLimit = builder.historyLimit;
        this.realtime = builder.realtime;
        this.timeout = builder.timeout;
        this.events = new AIEvents(id, () -> realtime);
        this.calls = new AICallPool(id, builder.maxConcurrentCalls);
        this.model = new ModelCalls(provider, builder.systemPrompt, tools, builder.thinkingWindowMillis, timeout,
                events, calls);
        this.toolRunner = new ToolRunner(id, tools, builder.toolTimeout, events, calls);
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
        TurnAnswers turn = new TurnAnswers(id, event, RoomEvent.newId());
        List<AIMessage> conversation = conversation(context);
        int round = 0;
        try {
            for (; round < maxRounds; round++) {
                AIResponse response = model.generate(event.roomId(), conversation, round);
                if (response.toolCalls().isEmpty()) {
                    turn.reply(response.text(), null);
                    return turn.answers();
                }
                if (!response.text().isBlank()) {
                    turn.reply(response.text(), null);
                }
                conversation.add(AIMessage.assistant(response.text(), response.toolCalls()));
                toolRunner.runRound(event.roomId(), round, response.toolCalls(), turn, conversation);
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
        calls.close();
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
