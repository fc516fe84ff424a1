package io.roomkit.sample.browser;

import io.roomkit.RoomKit;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventType;
import io.roomkit.model.RoomEvent;
import io.roomkit.sample.SampleApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's {@code secure} profile in two browsers: Spring Security's form login with the demo users, the
 * signed-in user as the STOMP user (the page sends its CSRF token with CONNECT, as {@code @EnableWebSocketSecurity}
 * requires), and no way for the page to choose another name.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("secure")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@ExtendWith(Chromium.Installed.class)
class SecureProfileBrowserTest {

    @TempDir
    static Path dataDir;

    private static Chromium.Browser aliceBrowser;
    private static Chromium.Browser bobBrowser;

    @LocalServerPort
    int port;

    @Autowired
    RoomKit kit;

    final String room = "room-" + UUID.randomUUID().toString().substring(0, 8);

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) {
        registry.add("sample.data-dir", () -> dataDir.toString());
    }

    @BeforeAll
    static void startBrowsers() {
        aliceBrowser = Chromium.start();
        bobBrowser = Chromium.start();
    }

    @AfterEach
    void noConsoleErrors() {
        assertThat(aliceBrowser.consoleErrors()).as("Alice's console").isEmpty();
        assertThat(bobBrowser.consoleErrors()).as("Bob's console").isEmpty();
    }

    @AfterAll
    static void quitBrowsers() {
        for (Chromium.Browser browser : new Chromium.Browser[] { aliceBrowser, bobBrowser }) {
            if (browser != null) {
                browser.close();
            }
        }
    }

    private String baseUrl() {
        return "http://localhost:" + port;
    }

    @Test
    void signedInUsersChatAsThemselves() {
        ChatPage alice = new ChatPage(aliceBrowser.driver(), baseUrl(), "alice");
        ChatPage bob = new ChatPage(bobBrowser.driver(), baseUrl(), "bob");
        assertThat(alice.signInWithPassword("wonderland")).isEmpty();
        assertThat(bob.signInWithPassword("builder")).isEmpty();
        alice.openRoom(room);
        bob.openRoom(room);

        // what the page keeps for the development sign-in must not matter
        alice.script("sessionStorage.setItem('roomkit.sample.user', 'bob')");
        alice.send("Hello Bob, it is really me");
        bob.awaitMessage("Hello Bob, it is really me");
        bob.send("Hi Alice");
        alice.awaitMessage("Hi Alice");

        alice.await(d -> alice.presence().equals(List.of("alice", "bob")));
        List<RoomEvent> stored = kit.events(room, EventQuery.latest(10)).stream()
                .filter(event -> event.type() == EventType.MESSAGE).toList();
        assertThat(stored).extracting(event -> event.source().participantId()).containsExactly("alice", "bob");
        assertThat(stored).extracting(event -> event.source().channelId()).containsExactly("ws-alice", "ws-bob");
    }

    @Test
    void aWrongPasswordDoesNotSignIn() {
        try (Chromium.Browser browser = Chromium.start()) {
            ChatPage mallory = new ChatPage(browser.driver(), baseUrl(), "alice");

            assertThat(mallory.signInWithPassword("not-her-password")).isEqualTo("refused");
            browser.driver().get(baseUrl() + "/");
            assertThat(browser.driver().getCurrentUrl()).contains("/login");
        }
    }
}
