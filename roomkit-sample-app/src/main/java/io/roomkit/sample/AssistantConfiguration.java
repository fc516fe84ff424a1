package io.roomkit.sample;

import io.roomkit.channel.ai.AIMessage;
import io.roomkit.channel.ai.AIRequest;
import io.roomkit.channel.ai.AITool;
import io.roomkit.channel.ai.ScriptedAIProvider;
import io.roomkit.channel.ai.ScriptedAIProvider.Step;
import io.roomkit.channel.ai.ToolCall;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo assistant of the {@code assistant} room ({@code roomkit.ai.channels[0]}): a scripted, offline provider
 * that thinks out loud, looks up the weather or the time with a tool when asked, and otherwise says what it
 * understood. No model and no network; the pauses only make the indicators visible to a person.
 */
@Configuration(proxyBeanMethods = false)
class AssistantConfiguration {

    /** Pause before each streamed delta of the scripted assistant. */
    static final Duration DELTA_DELAY = Duration.ofMillis(50);
    /** How long the demo tools pretend to take. */
    static final Duration TOOL_LATENCY = Duration.ofMillis(600);

    /** A capitalised name of one or two words after "in", "at" or "for". */
    private static final Pattern CITY =
            Pattern.compile("\\b(?:in|at|for)\\s+(\\p{Lu}[\\p{L}'-]*(?:\\s\\p{Lu}[\\p{L}'-]*)?)");
    private static final Pattern TIME = Pattern.compile("\\b(?:time|clock)\\b");
    private static final String DEFAULT_CITY = "Paris";
    private static final Map<String, String> WEATHER = Map.of(
            "paris", "Sunny, 22 °C",
            "london", "Light rain, 14 °C",
            "berlin", "Cloudy, 17 °C",
            "tokyo", "Clear skies, 26 °C",
            "new york", "Windy, 19 °C");

    @Bean
    AITool weather() {
        return AITool.of("weather", "Current weather of a city (canned demo data)", arguments -> {
            Thread.sleep(TOOL_LATENCY.toMillis());
            String city = String.valueOf(arguments.getOrDefault("city", DEFAULT_CITY));
            return WEATHER.getOrDefault(city.toLowerCase(Locale.ROOT), "Partly cloudy, 18 °C") + " in " + city;
        });
    }

    @Bean
    AITool clock() {
        Clock clock = Clock.systemDefaultZone();
        return AITool.of("clock", "The server's current time", arguments -> {
            Thread.sleep(TOOL_LATENCY.toMillis());
            return DateTimeFormatter.ofPattern("HH:mm (zzzz)", Locale.ENGLISH).format(ZonedDateTime.now(clock));
        });
    }

    @Bean
    ScriptedAIProvider assistantProvider() {
        return new ScriptedAIProvider(request -> (request.round() == 0 ? firstRound(request.lastUserText())
                : answerWithToolResults(request)).delayed(DELTA_DELAY));
    }

    /** Thinks, then calls the tools the question needs, or answers directly when it needs none. */
    static Step firstRound(String question) {
        String lower = question.toLowerCase(Locale.ROOT);
        List<ToolCall> calls = new ArrayList<>();
        StringBuilder thinking = new StringBuilder("Let me read the question. ");
        if (lower.contains("weather")) {
            String city = cityIn(question);
            thinking.append("It is about the weather in ").append(city).append(", so I will ask the weather tool. ");
            calls.add(new ToolCall("weather-1", "weather", Map.of("city", city)));
        }
        if (TIME.matcher(lower).find()) {
            thinking.append("It asks for the time, which the clock tool knows. ");
            calls.add(new ToolCall("clock-1", "clock", Map.of()));
        }
        if (!calls.isEmpty()) {
            return new Step(words(thinking.toString(), 2), List.of(), calls, null);
        }
        thinking.append("There is nothing to look up, so I can answer directly.");
        String reply = "You said \u201c" + shorten(question) + "\u201d. I'm the sample's scripted demo assistant "
                + "(offline, no model): ask me about the weather in a city, or the time.";
        return new Step(words(thinking.toString(), 2), words(reply, 3), List.of(), null);
    }

    /** Turns this turn's tool results into the reply. */
    static Step answerWithToolResults(AIRequest request) {
        List<String> sentences = new ArrayList<>();
        for (AIMessage message : toolResultsOfThisTurn(request.messages())) {
            sentences.add(switch (message.name()) {
                case "weather" -> "The weather: " + message.content() + ".";
                case "clock" -> "It is " + message.content() + " on the server.";
                default -> message.name() + " says: " + message.content() + ".";
            });
        }
        return new Step(words("I have what I need; now I write the answer.", 2), words(String.join(" ", sentences), 3),
                List.of(), null);
    }

    private static List<AIMessage> toolResultsOfThisTurn(List<AIMessage> messages) {
        List<AIMessage> results = new ArrayList<>();
        for (int i = messages.size() - 1; i >= 0 && messages.get(i).role() != AIMessage.Role.USER; i--) {
            if (messages.get(i).role() == AIMessage.Role.TOOL) {
                results.add(0, messages.get(i));
            }
        }
        return results;
    }

    static String cityIn(String question) {
        Matcher matcher = CITY.matcher(question);
        return matcher.find() ? matcher.group(1) : DEFAULT_CITY;
    }

    /** The text as streamed deltas of {@code perDelta} words each. */
    private static List<String> words(String text, int perDelta) {
        List<String> deltas = new ArrayList<>();
        Matcher matcher = Pattern.compile("(?:\\S+\\s*){1," + perDelta + "}").matcher(text);
        while (matcher.find()) {
            deltas.add(matcher.group());
        }
        return deltas;
    }

    private static String shorten(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() <= 120 ? flat : flat.substring(0, 119) + "…";
    }
}
