package io.roomkit.spring.ai;

import java.time.Duration;
import java.util.List;

/**
 * One AI channel to register ({@code roomkit.ai.channels[n].*}); the auto-configuration's properties provide it,
 * so this package does not depend on them.
 */
public interface AiChannelSettings {

    String id();

    List<String> rooms();

    String systemPrompt();

    /** The name of the {@code AIProvider} bean, or blank for the only one (or Spring AI's model). */
    String provider();

    int maxRounds();

    int historyLimit();

    Duration thinkingWindow();

    Duration timeout();

    Duration toolTimeout();
}
