package io.roomkit.channel.ai;

import io.roomkit.realtime.EphemeralEventType;

import java.time.Duration;
import java.util.List;

/**
 * One {@link AIChannel}'s calls to its {@link AIProvider}, one per round of a turn: each runs on the channel's
 * {@link AICallPool} within the model timeout, and what the provider streams (thinking, reply text) is published
 * as it comes.
 */
final class ModelCalls {

    private final AIProvider provider;
    private final String systemPrompt;
    private final List<AITool> tools;
    private final long thinkingWindowMillis;
    private final Duration timeout;
    private final AIEvents events;
    private final AICallPool pool;

    ModelCalls(AIProvider provider, String systemPrompt, List<AITool> tools, long thinkingWindowMillis,
            Duration timeout, AIEvents events, AICallPool pool) {
        this.provider = provider;
        this.systemPrompt = systemPrompt;
        this.tools = tools;
        this.thinkingWindowMillis = thinkingWindowMillis;
        this.timeout = timeout;
        this.events = events;
        this.pool = pool;
    }

    /**
     * The model's response to {@code conversation}; a {@link java.util.concurrent.TimeoutException} when it took
     * longer than the timeout, the provider's own exception when it failed.
     */
    AIResponse generate(String roomId, List<AIMessage> conversation, int round) throws Exception {
        ReplyStream stream = new ReplyStream(events, roomId, round, thinkingWindowMillis, System::nanoTime);
        AIRequest request = new AIRequest(systemPrompt, List.copyOf(conversation), tools, round);
        AIResponse response;
        try {
            response = AICallPool.await(pool.submit(() -> provider.generate(request, stream)), timeout.toNanos());
        }
        finally {
            stream.finish(); // a failed generation must not leave clients showing "thinking…"
        }
        String reasoning = response.reasoning();
        if (!stream.streamedThinking() && reasoning != null && !reasoning.isEmpty()) {
            // a provider that does not stream gets its reasoning shown as one whole thinking sequence
            events.thinking(roomId, EphemeralEventType.THINKING_START, round, "", 0);
            events.thinking(roomId, EphemeralEventType.THINKING_END, round, reasoning, reasoning.length());
        }
        return response;
    }
}
