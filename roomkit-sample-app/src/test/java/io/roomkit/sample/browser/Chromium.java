package io.roomkit.sample.browser;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium driven by its own chromedriver: both binaries are named explicitly, so Selenium
 * never looks for or downloads anything. Without them the browser tests are skipped, except under {@code CI=true}
 * where that is a failure.
 */
final class Chromium {

    /** Debian's paths; {@code -Dsample.chromium.binary=...} and {@code -Dsample.chromium.driver=...} override them. */
    static final Path BINARY = Path.of(System.getProperty("sample.chromium.binary", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("sample.chromium.driver", "/usr/bin/chromedriver"));

    private Chromium() {
    }

    /**
     * Enables a test class only where Chromium and chromedriver are installed; where they are not, the class is
     * skipped with the reason, except under {@code CI=true} where that is a failure.
     */
    static final class Installed implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String missing = Stream.of(BINARY, DRIVER).filter(path -> !Files.isExecutable(path))
                    .map(Path::toString).reduce((a, b) -> a + " and " + b).orElse(null);
            if (missing == null) {
                return ConditionEvaluationResult.enabled("Chromium and chromedriver are installed");
            }
            String reason = "Browser tests need " + missing + " (apt-get install -y chromium chromium-driver)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(reason + "; CI=true, so they may not be skipped");
            }
            return ConditionEvaluationResult.disabled(reason);
        }
    }

    /** A new browser with a fresh profile; {@link Browser#close()} quits it and deletes the profile. */
    static Browser start() {
        Path profile;
        try {
            profile = Files.createTempDirectory("roomkit-chromium-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--no-default-browser-check", "--disable-features=Translate", "--window-size=1200,800",
                "--user-data-dir=" + profile);
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().withLogOutput(OutputStream.nullOutputStream()).build();
        return new Browser(new ChromeDriver(service, options), profile);
    }

    /** A running browser and its profile directory. */
    record Browser(ChromeDriver driver, Path profile) implements AutoCloseable {

        /** Console messages at SEVERE level since the last call (reading them empties the browser's buffer). */
        List<String> consoleErrors() {
            return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                    .map(LogEntry::toString).toList();
        }

        @Override
        public void close() {
            try {
                driver.quit();
            }
            finally {
                deleteRecursively(profile);
            }
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
        catch (IOException ex) {
            // a leftover temporary profile is harmless
        }
    }
}
