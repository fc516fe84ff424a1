package io.roomkit.sample.browser;

import io.roomkit.RoomKit;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import io.roomkit.sample.SampleApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page's presence list in a room above {@code roomkit.presence.coalesce-above} (1 here): arrivals and
 * departures reach it as presence diffs, which it applies over the history snapshot (a departure that leaves the
 * room small again may come as a per-user event, which the page applies as before).
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "roomkit.presence.coalesce-above=1", "roomkit.presence.coalesce-window=50ms" })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@ExtendWith(Chromium.Installed.class)
class CoalescedPresenceBrowserTest {

    @TempDir
    static Path dataDir;

    @LocalServerPort
    int port;

    @Autowired
    RoomKit kit;

    private Chromium.Browser aliceBrowser;
    private Chromium.Browser bobBrowser;

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) {
        registry.add("sample.data-dir", () -> dataDir.toString());
    }

    @AfterEach
    void quitBrowsers() {
        for (Chromium.Browser browser : new Chromium.Browser[] { aliceBrowser, bobBrowser }) {
            if (browser != null) {
                assertThat(browser.consoleErrors()).isEmpty();
                browser.close();
            }
        }
    }

    @Test
    void thePresenceListAppliesDiffs() {
        String room = "room-" + UUID.randomUUID().toString().substring(0, 8);
        List<EphemeralEvent> diffs = new CopyOnWriteArrayList<>();
        kit.subscribeRoom(room, event -> {
            if (event.type() == EphemeralEventType.CUSTOM && "presence_diff".equals(event.data().get("kind"))) {
                diffs.add(event);
            }
        });
        String baseUrl = "http://localhost:" + port;
        aliceBrowser = Chromium.start();
        bobBrowser = Chromium.start();
        ChatPage alice = new ChatPage(aliceBrowser.driver(), baseUrl, "Alice");
        ChatPage bob = new ChatPage(bobBrowser.driver(), baseUrl, "Bob");
        alice.signIn();
        bob.signIn();
        alice.openRoom(room);

        bob.openRoom(room);
        alice.await(d -> alice.presence().equals(List.of("Alice", "Bob")));

        bob.openRoom(room + "-elsewhere");
        alice.await(d -> alice.presence().equals(List.of("Alice")));
        // Bob's arrival made the room larger than 1; his departure may come either way, the room being small again
        assertThat(diffs).as("Bob's arrival came as a diff").anyMatch(diff -> diff.data().get("online")
                .toString().contains("Bob"));
    }
}
