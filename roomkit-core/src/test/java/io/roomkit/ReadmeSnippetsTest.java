package io.roomkit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the README's code examples equal to compiled, tested code. A README block announced by
 * {@code <!-- snippet:NAME FILE -->} must be the text between {@code // README:NAME:begin} and
 * {@code // README:NAME:end} in FILE (indentation removed).
 */
class ReadmeSnippetsTest {

    private static final Pattern SNIPPET = Pattern.compile(
            "<!-- snippet:(\\S+) (\\S+) -->\\s*```\\w*\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyReadmeSnippetMatchesItsSource() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String readme = Files.readString(root.resolve("README.md"));
        Matcher matcher = SNIPPET.matcher(readme);
        List<String> checked = new ArrayList<>();
        while (matcher.find()) {
            String name = matcher.group(1);
            String source = Files.readString(root.resolve(matcher.group(2)));
            assertThat(matcher.group(3)).as("README snippet '%s' vs %s", name, matcher.group(2))
                    .isEqualTo(between(source, name));
            checked.add(name);
        }
        assertThat(checked).as("README snippets found").contains("quick-start", "beans", "listeners", "ai-beans",
                "js-connect", "js-subscribe", "js-history", "js-resubscribe", "js-publish");
    }

    private static String between(String source, String name) {
        String begin = "// README:" + name + ":begin\n";
        int start = source.indexOf(begin);
        int end = source.indexOf("// README:" + name + ":end");
        assertThat(start).as("marker %s in source", begin.strip()).isNotNegative();
        String block = source.substring(start + begin.length(), source.lastIndexOf('\n', end) + 1);
        return dedent(block);
    }

    private static String dedent(String block) {
        List<String> lines = block.lines().toList();
        int indent = lines.stream().filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return out.toString();
    }
}
