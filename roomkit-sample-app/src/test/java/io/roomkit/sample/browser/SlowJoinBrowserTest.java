package io.roomkit.sample.browser;

import io.roomkit.RoomKit;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.TextContent;
import io.roomkit.sample.SampleApplication;
import io.roomkit.spring.stomp.RoomAccessPolicy;
import io.roomkit.spring.stomp.RoomKitStompInterceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;
import java.security.Principal;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A page whose subscriptions the server refuses for a moment, as a node that has just started refuses some when
 * every client reconnects to it at once and its database is slower than {@code roomkit.store.timeout}: the page
 * subscribes again and receives the room's messages, including one stored while it was refused. (Before the page
 * retried, its events subscription was simply gone: the load tool on PostgreSQL lost thousands of deliveries
 * that way, and a browser saw a notice and then nothing.)
 */
@SpringBootTest(classes = { SampleApplication.class, SlowJoinBrowserTest.SlowFirstAccessCheck.class },
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "roomkit.store.timeout=300ms")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@ExtendWith(Chromium.Installed.class)
class SlowJoinBrowserTest {

    @TempDir
    static Path dataDir;

    @LocalServerPort
    int port;

    @Autowired
    RoomKit kit;

    @Autowired
    RoomKitStompInterceptor interceptor;

    private Chromium.Browser browser;

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) {
        registry.add("sample.data-dir", () -> dataDir.toString());
    }

    @AfterEach
    void quitBrowser() {
        if (browser != null) {
            assertThat(browser.consoleErrors()).isEmpty();
            browser.close();
        }
    }

    @Test
    void aSubscriptionRefusedAsUnavailableIsMadeAgainAndMissesNothing() {
        String room = "slow-" + UUID.randomUUID().toString().substring(0, 8);
        kit.createRoom(room);
        kit.registerChannelIfAbsent(new WebSocketChannel("ws-Bob"));
        kit.processInbound(message("Before Alice came"), room);
        browser = Chromium.start();
        ChatPage alice = new ChatPage(browser.driver(), "http://localhost:" + port, "Alice");
        alice.signIn();

        alice.openRoom(room);
        // stored while the page may still be subscribing again: live or fetched by the catch-up, but not lost
        kit.processInbound(message("Right after Alice came"), room);
        alice.awaitMessage("Right after Alice came");
        // the page subscribed again: the server holds its events subscription, so this one arrives live
        await().atMost(Duration.ofSeconds(30))
                .until(() -> interceptor.isHeld("/topic/rooms." + room + ".events"));
        kit.processInbound(message("Live for Alice"), room);
        alice.awaitMessage("Live for Alice");

        assertThat(SlowFirstAccessCheck.DELAYED).as("the first access check was slower than the store timeout")
                .contains("Alice@" + room);
        assertThat(alice.messageTexts()).containsSubsequence("Before Alice came", "Right after Alice came",
                "Live for Alice");
        assertThat(alice.messageIds()).doesNotHaveDuplicates();
    }

    private static InboundMessage message(String text) {
        return InboundMessage.builder().channelId("ws-Bob").senderId("Bob").content(new TextContent(text)).build();
    }

    /**
     * Makes the first access check of each user in a {@code slow-} room take longer than the store timeout (a
     * database that is slow to answer), so that RoomKit refuses that frame with {@code unavailable}.
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class SlowFirstAccessCheck {

        /** The user@room pairs whose first check was made slow. */
        static final Set<String> DELAYED = ConcurrentHashMap.newKeySet();

        @Bean
        static BeanPostProcessor slowFirstAccessCheckPostProcessor() {
            return new BeanPostProcessor() {

                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    return bean instanceof RoomAccessPolicy policy ? slowed(policy) : bean;
                }
            };
        }

        static RoomAccessPolicy slowed(RoomAccessPolicy policy) {
            return new RoomAccessPolicy() {

                @Override
                public boolean canSubscribe(Principal user, String roomId) {
                    slowTheFirstTime(user, roomId);
                    return policy.canSubscribe(user, roomId);
                }

                @Override
                public boolean canSend(Principal user, String roomId) {
                    slowTheFirstTime(user, roomId);
                    return policy.canSend(user, roomId);
                }

                @Override
                public String refusalCode(Principal user, String roomId) {
                    return policy.refusalCode(user, roomId);
                }
            };
        }

        private static void slowTheFirstTime(Principal user, String roomId) {
            if (roomId.startsWith("slow-") && DELAYED.add(user.getName() + "@" + roomId)) {
                try {
                    Thread.sleep(1_000); // the database answering late, not a wait for the test's sake
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
