package io.roomkit.sample.browser;

import io.roomkit.RoomKit;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.ChannelType;
import io.roomkit.model.EventSource;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;
import io.roomkit.store.EventCommit;
import io.roomkit.sample.SampleApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WindowType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Alice and Bob, each in a browser of their own, chatting through the sample application. */
@SpringBootTest(classes = { SampleApplication.class, ConnectionControl.class },
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@ExtendWith(Chromium.Installed.class)
class ChatBrowserTest {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path dataDir;

    private static Chromium.Browser aliceBrowser;
    private static Chromium.Browser bobBrowser;

    @LocalServerPort
    int port;

    @Autowired
    RoomKit kit;

    @Autowired
    ConnectionControl connections;

    ChatPage alice;
    ChatPage bob;
    final String room = "room-" + UUID.randomUUID().toString().substring(0, 8);

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) {
        registry.add("sample.data-dir", () -> dataDir.toString());
    }

    @BeforeEach
    void signInBothUsers() {
        String baseUrl = "http://localhost:" + port;
        if (aliceBrowser == null) {
            aliceBrowser = Chromium.start();
            bobBrowser = Chromium.start();
            new ChatPage(aliceBrowser.driver(), baseUrl, "Alice").signIn();
            new ChatPage(bobBrowser.driver(), baseUrl, "Bob").signIn();
        }
        alice = new ChatPage(aliceBrowser.driver(), baseUrl, "Alice");
        bob = new ChatPage(bobBrowser.driver(), baseUrl, "Bob");
        alice.openRoom(room);
        bob.openRoom(room);
    }

    @AfterEach
    void noConsoleErrors() {
        connections.refuseNewConnections(false);
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
        aliceBrowser = null;
        bobBrowser = null;
    }

    @Test
    void signingInRefusesANameThatCannotBeALogin() {
        alice.signOut();

        assertThat(alice.submitName("Alice Smith")).contains("no spaces");
        assertThat(alice.signedIn()).isFalse();
        assertThat(alice.submitName("Alice")).isEmpty();
        alice.await(d -> alice.signedIn());
    }

    @Test
    void aRoomCreatedByOnePersonAppearsInTheOthersListAndCanBeJoined() {
        String created = room + "-new";
        alice.createRoom(created);
        alice.send("Welcome to the new room");

        bob.clickRoom(created);

        bob.awaitMessage("Welcome to the new room");
        alice.await(d -> alice.presence().equals(List.of("Alice", "Bob")));
    }

    @Test
    void theOwnerSeesWhoJoinsAndRemovesAMember() {
        String owned = room + "-owned";
        alice.createRoom(owned);
        bob.clickRoom(owned);
        alice.await(d -> alice.systemLines().equals(List.of("Alice joined", "Bob joined")));

        alice.removeMember("Bob");

        bob.await(d -> bob.notice().contains("You were removed from this room"));
        alice.await(d -> alice.systemLines().contains("Bob was removed") && alice.presence().equals(List.of("Alice")));
        assertThat(kit.getParticipant(owned, "Bob")).isEmpty();
    }

    @Test
    void messagesReachTheOtherPersonInOrderAsPlainText() {
        alice.send("Hi Bob");
        String hostile = "<b>bold?</b> <img src=x onerror=\"document.title='pwned'\"> & <script>alert(1)</script>";
        bob.awaitMessage("Hi Bob");
        bob.send(hostile);

        alice.awaitMessage(hostile);
        assertThat(alice.messageTexts()).containsExactly("Hi Bob", hostile);
        assertThat(bob.messageTexts()).containsExactly("Hi Bob", hostile);
        assertThat(alice.script("return document.querySelectorAll('#messages b, #messages img, #messages script')"
                + ".length")).isEqualTo(0L);
        assertThat(alice.driver.getTitle()).isEqualTo("RoomKit chat");
    }

    @Test
    void escapeCancelsAnEditAndEnterSavesItWithAnEditedMarkAndAHistoryThatKeepsTheOriginal() {
        String id = alice.send("Helo wrld");
        alice.startEdit(id);
        alice.editInput(id).sendKeys(" typo fixed?", Keys.ESCAPE);
        assertThat(alice.bodyOf(id)).isEqualTo("Helo wrld");

        alice.edit(id, "Hello world");

        bob.await(d -> "Hello world".equals(bob.bodyOf(id)) && bob.hasEditedMark(id));
        assertThat(bob.actionsOf(id)).containsExactly("React", "Reply");
        assertThat(alice.actionsOf(id)).containsExactly("React", "Reply", "Edit", "Delete");
        bob.showEditHistory(id);
        bob.await(d -> bob.editHistory(id).equals(List.of("Helo wrld", "Hello world")));
    }

    @Test
    void deletedMessagesShowAPlaceholderAlsoAfterAReload() {
        String kept = alice.send("This one stays");
        String id = alice.send("Oops, wrong room");
        bob.awaitMessage("Oops, wrong room");

        alice.delete(id);

        bob.await(d -> "Message deleted".equals(bob.bodyOf(id)));
        assertThat(bob.actionsOf(id)).isEmpty();
        bob.reload();
        bob.awaitIn(room);
        bob.await(d -> "Message deleted".equals(bob.bodyOf(id)));
        assertThat(bob.messageIds()).containsExactly(kept, id);
        assertThat(bob.messageTexts()).containsExactly("This one stays", "Message deleted");
    }

    @Test
    void typingIndicatorAggregatesTypersAndExpires() {
        alice.type("Let me th");
        bob.await(d -> bob.typingIndicator().equals("Alice is typing…"));

        kit.publishTyping(room, "Carol", true);
        bob.await(d -> bob.typingIndicator().equals("Alice and Carol are typing…"));
        alice.await(d -> alice.typingIndicator().equals("Carol is typing…"));

        alice.clearComposer();
        bob.await(d -> bob.typingIndicator().equals("Carol is typing…"));
        // Carol never says she stopped: the indicator expires by itself.
        bob.await(d -> bob.typingIndicator().isEmpty());
    }

    @Test
    void reactionsShowPerEmojiCountsAndWhoReacted() {
        String id = alice.send("Lunch at noon?");
        bob.awaitMessage("Lunch at noon?");

        bob.reactWithPicker(id, "👍");
        alice.await(d -> alice.reactionsOf(id).containsKey("👍"));
        alice.clickReaction(id, "👍");
        alice.reactWithPicker(id, "🎉");

        bob.await(d -> bob.reactionsOf(id).size() == 2 && bob.reactionsOf(id).get("👍").startsWith("2|"));
        assertThat(bob.reactionsOf(id)).containsEntry("👍", "2|Reacted with 👍: Alice and Bob|true")
                .containsEntry("🎉", "1|Reacted with 🎉: Alice|false");

        bob.clickReaction(id, "👍");
        alice.await(d -> "1|Reacted with 👍: Alice|true".equals(alice.reactionsOf(id).get("👍")));
    }

    @Test
    void reactionCountsSurviveAReloadAndReachALateReader() {
        String id = alice.send("Pizza or sushi?");
        bob.awaitMessage("Pizza or sushi?");
        bob.reactWithPicker(id, "🎉");
        alice.reactWithPicker(id, "🎉");
        bob.await(d -> "2|Reacted with 🎉: Alice and Bob|true".equals(bob.reactionsOf(id).get("🎉")));

        bob.reload();
        bob.awaitIn(room);

        bob.await(d -> "2|Reacted with 🎉: Alice and Bob|true".equals(bob.reactionsOf(id).get("🎉")));
        bob.clickReaction(id, "🎉");
        alice.await(d -> "1|Reacted with 🎉: Alice|true".equals(alice.reactionsOf(id).get("🎉")));
    }

    @Test
    void aThreadOpensInASidePanelAndItsReplyCountRisesLiveAndSurvivesAReload() {
        String id = alice.send("Who has the keys?");
        bob.awaitMessage("Who has the keys?");

        bob.openThread(id);
        bob.replyInThread("I do");

        bob.await(d -> bob.threadReplies().equals(List.of("Bob: I do")));
        alice.await(d -> "1 reply".equals(alice.threadLinkOf(id)));
        alice.reload();
        alice.awaitIn(room);
        alice.await(d -> "1 reply".equals(alice.threadLinkOf(id)));
        alice.openThreadFromCount(id);
        alice.await(d -> alice.threadReplies().equals(List.of("Bob: I do")));
        alice.replyInThread("Thanks");
        bob.await(d -> bob.threadReplies().size() == 2 && "2 replies".equals(bob.threadLinkOf(id)));
    }

    @Test
    void readReceiptsShowWhoHasSeenAMessageAndSurviveAReload() {
        String id = alice.send("Did you see this?");
        bob.awaitMessage("Did you see this?");

        alice.await(d -> alice.seenBy(id).equals("Seen by Bob"));
        alice.reload();
        alice.awaitIn(room);
        alice.await(d -> alice.seenBy(id).equals("Seen by Bob"));
    }

    @Test
    void unreadCountsGoDownWhenTheMessagesAreRead() {
        String other = room + "-news";
        alice.openRoom(other);
        alice.send("News one");
        alice.send("News two");

        bob.await(d -> bob.unreadBadge(other) == 2 && bob.badgeVisible(other));
        alice.await(d -> alice.unreadBadge(other) == 0);

        bob.clickRoom(other);
        bob.awaitMessage("News two");
        bob.clickRoom(room);
        bob.await(d -> bob.unreadBadge(other) == 0 && !bob.badgeVisible(other));
        assertThat(kit.unreadCount(other, "ws-Bob")).isZero();
    }

    @Test
    void aMentionCompletesWithTabAndRaisesTheMentionBadgeOfARoomTheOtherUserIsNotLookingAt() {
        String other = room + "-ping";
        bob.openRoom(other);
        bob.awaitIn(other);
        bob.openRoom(room);
        bob.awaitIn(room);
        alice.await(d -> alice.presence().contains("Bob"));

        alice.type("@Bo");
        alice.await(d -> alice.mentionSuggestions().equals(List.of("@Bob")));
        alice.composer().sendKeys(Keys.TAB);
        assertThat(alice.composerText()).isEqualTo("@Bob ");
        alice.clearComposer();

        alice.openRoom(other);
        alice.awaitIn(other);
        alice.send("@Bob the deploy is done");

        // the room list shows mentions only from /user/queue/rooms: the rooms API has no mention counts
        bob.await(d -> bob.mentionBadge(other) == 1 && bob.unreadBadge(other) == 1);
        assertThat(kit.unreadMentionCount(other, "ws-Bob", "Bob")).isEqualTo(1);
        bob.clickRoom(other);
        bob.awaitMessage("@Bob the deploy is done");
        bob.clickRoom(room);
        bob.await(d -> bob.mentionBadge(other) == 0 && bob.unreadBadge(other) == 0);
    }

    @Test
    void presenceCountsSeveralTabsAsOnePersonAndShowsJoinAndLeave() {
        alice.await(d -> alice.presence().equals(List.of("Alice", "Bob")));

        String firstTab = bob.driver.getWindowHandle();
        bob.driver.switchTo().newWindow(WindowType.TAB);
        bob.signInToRoom(room);
        bob.await(d -> connections.sessionsOf("Bob").size() == 2);
        bob.driver.close();
        bob.driver.switchTo().window(firstTab);
        bob.await(d -> connections.sessionsOf("Bob").size() == 1);
        bob.send("Still here in my first tab");
        alice.awaitMessage("Still here in my first tab");
        assertThat(alice.presence()).containsExactly("Alice", "Bob");

        bob.openRoom(room + "-elsewhere");
        alice.await(d -> alice.presence().equals(List.of("Alice")));

        bob.openRoom(room);
        alice.await(d -> alice.presence().equals(List.of("Alice", "Bob")));
    }

    @Test
    void aDroppedConnectionIsAnnouncedAndCaughtUpWithoutDuplicatesOrGaps() {
        String first = alice.send("Before the drop");
        bob.awaitMessage("Before the drop");

        connections.refuseNewConnections(true);
        assertThat(connections.drop("Bob")).isEqualTo(1);
        bob.await(d -> "lost".equals(bob.connectionState()));
        assertThat(bob.connectionText()).contains("Connection lost");

        alice.send("While you were away 1");
        alice.send("While you were away 2");
        alice.edit(first, "Before the drop (edited)");
        alice.await(d -> "Before the drop (edited)".equals(alice.bodyOf(first)));
        bob.type("Sent while offline");
        bob.composer().sendKeys(Keys.ENTER);
        bob.await(d -> bob.pendingTexts().equals(List.of("Sent while offline")));
        assertThat(bob.messageTexts()).containsExactly("Before the drop");

        connections.refuseNewConnections(false);
        bob.await(d -> "online".equals(bob.connectionState()));
        List<String> expected = List.of("Before the drop (edited)", "While you were away 1", "While you were away 2",
                "Sent while offline");
        bob.await(d -> bob.messageTexts().equals(expected) && bob.pendingTexts().isEmpty());
        alice.await(d -> alice.messageTexts().equals(expected));
        assertThat(bob.messageIds()).doesNotHaveDuplicates().containsExactlyElementsOf(alice.messageIds());
        assertThat(bob.connectionText()).isEqualTo("Reconnected");
    }

    @Test
    void aMessageWhoseFrameWasLostIsFetchedWithoutReconnecting() {
        alice.send("Before the gap");
        // Stored but never broadcast: what a browser sees when a broker loses the frame.
        kit.store().commit(EventCommit.of(RoomEvent.builder().roomId(room).type(EventType.MESSAGE)
                .source(new EventSource("ws-Bob", ChannelType.WEBSOCKET, "Bob"))
                .content(new TextContent("Lost on the way")).build()));
        bob.send("After the gap");

        alice.awaitMessage("Lost on the way");
        assertThat(alice.messageTexts()).containsSubsequence("Before the gap", "Lost on the way", "After the gap");
        assertThat(alice.messageIds()).doesNotHaveDuplicates();
        assertThat(alice.connectionText()).as("repaired on the open connection").isEqualTo("Connected");
    }

    @Test
    void scrollingBackLoadsOlderPagesUntilTheBeginning() {
        kit.registerChannelIfAbsent(new WebSocketChannel("ws-Carol"));
        String history = room + "-history";
        for (int i = 1; i <= 120; i++) {
            kit.processInbound(InboundMessage.builder().channelId("ws-Carol").senderId("Carol")
                    .content(new TextContent("Message " + i)).build(), history);
        }
        bob.openRoom(history);
        // the newest page of 50 events: Bob's "joined" line and 49 messages
        assertThat(bob.messageTexts()).hasSize(49).endsWith("Message 120");

        while (!bob.atBeginningOfConversation()) {
            int loaded = bob.messageTexts().size();
            bob.scrollToTop();
            bob.await(d -> bob.messageTexts().size() > loaded || bob.atBeginningOfConversation());
        }

        assertThat(bob.messageTexts()).containsExactlyElementsOf(
                IntStream.rangeClosed(1, 120).mapToObj(i -> "Message " + i).toList());
        assertThat(bob.messageIds()).doesNotHaveDuplicates();
    }

    @Test
    void theAssistantShowsThinkingAndToolIndicatorsThenStreamsItsAnswerWithTheToolResult() throws IOException {
        alice.openRoom("assistant");
        alice.recordAssistantActivity();
        String question = "What's the weather in Paris?";
        alice.type(question);
        alice.composer().sendKeys(Keys.ENTER);

        alice.awaitQuickly(d -> alice.assistantActivity().equals(List.of("Assistant is thinking…")));
        alice.awaitQuickly(d -> alice.assistantActivity().equals(List.of("Using tool weather…")));
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve("assistant-working.png"),
                aliceBrowser.driver().getScreenshotAs(OutputType.BYTES));
        String answer = "assistant: The weather: Sunny, 22 °C in Paris.";
        alice.await(d -> alice.conversation().contains(answer));

        alice.await(d -> alice.assistantActivity().isEmpty());
        assertThat(alice.conversation()).containsSubsequence("Alice (you): " + question,
                "🔧 weather → Sunny, 22 °C in Paris", answer);
        assertThat(alice.recordedAssistantActivity()).containsSubsequence("Assistant is thinking…",
                "Using tool weather…", "").endsWith("");
        // no "writing" flicker between thinking and the tool call: it writes only once text comes
        List<String> recorded = alice.recordedAssistantActivity();
        assertThat(recorded.subList(0, recorded.indexOf("Using tool weather…"))).doesNotContain("Assistant is writing…")
                .endsWith("Assistant is thinking…");
        assertThat(alice.script("return [...document.querySelectorAll('#messages li.message')].filter(li => "
                + "li.querySelector('.bot-badge')).map(li => li.querySelector('.author').textContent)"))
                .isEqualTo(List.of("assistant"));
        assertThat(alice.recordedThinking()).anyMatch(text -> text.contains("the weather in Paris"));
        // the answer grew while it was written: a part of it showed before the stored message replaced it
        String answerText = answer.substring("assistant: ".length());
        assertThat(alice.recordedDrafts()).isNotEmpty().allMatch(answerText::startsWith)
                .anyMatch(draft -> draft.length() < answerText.length());
        assertThat(alice.pendingTexts()).isEmpty();
        Files.write(SCREENSHOTS.resolve("assistant.png"), aliceBrowser.driver().getScreenshotAs(OutputType.BYTES));

        List<String> shown = alice.conversation();
        alice.reload();
        alice.awaitIn("assistant");
        alice.await(d -> alice.conversation().equals(shown));
    }

    @Test
    void consecutiveMessagesOfOneAuthorAreGroupedUnderADayWithInitialsAvatars() {
        String first = alice.send("First of two");
        String second = alice.send("Second of two");
        String reply = bob.send("A reply");
        alice.awaitMessage("A reply");
        String again = alice.send("Alice again");
        bob.awaitMessage("Alice again");

        for (ChatPage page : List.of(alice, bob)) {
            page.await(d -> page.isContinued(second) && !page.isContinued(first) && !page.isContinued(reply)
                    && !page.isContinued(again));
            assertThat(page.daySeparators()).containsExactly("Today");
            assertThat(page.avatarOf(first)).isEqualTo("AL");
            assertThat(page.avatarOf(reply)).isEqualTo("BO");
        }
    }

    @Test
    void aRoomListNoticeInPlainWordsGoesAwayOnceTheServerIsBack() {
        alice.setOffline(true);
        try {
            alice.script("document.dispatchEvent(new Event('visibilitychange'))"); // the page asks for the list
            alice.await(d -> alice.notice().startsWith("The room list could not be updated"));
            assertThat(alice.notice()).doesNotContain("Failed to fetch");
        }
        finally {
            alice.setOffline(false);
        }
        alice.script("document.dispatchEvent(new Event('visibilitychange'))");
        alice.await(d -> alice.notice().isEmpty());
        // the browser logged the requests that failed while it was offline, and nothing else
        assertThat(aliceBrowser.consoleErrors()).allMatch(line -> line.contains("ERR_INTERNET_DISCONNECTED"));
    }

    @Test
    void aConversationLooksTidy() throws IOException {
        alice.send("Morning Bob! Did the deploy go out?");
        bob.awaitMessage("Morning Bob! Did the deploy go out?");
        String reply = bob.send("Yes, at 9:05. Metrics look normal so far.");
        alice.awaitMessage("Yes, at 9:05. Metrics look normal so far.");
        String typo = alice.send("Great, thanks. I'll tell the tem.");
        alice.edit(typo, "Great, thanks. I'll tell the team.");
        String oops = bob.send("Sending the incident doc now");
        bob.delete(oops);
        bob.reactWithPicker(typo, "🎉");
        alice.reactWithPicker(reply, "👍");
        bob.reactWithPicker(reply, "👀");
        String retro = bob.send("Shall we do the retro at 3?");
        alice.awaitMessage("Shall we do the retro at 3?");
        alice.await(d -> alice.seenBy(typo).equals("Seen by Bob"));
        bob.await(d -> bob.seenBy(retro).equals("Seen by Alice"));
        alice.type("Sounds good");
        bob.await(d -> bob.typingIndicator().equals("Alice is typing…"));
        alice.await(d -> alice.reactionsOf(reply).size() == 2 && alice.hasEditedMark(typo));
        bob.await(d -> bob.reactionsOf(typo).size() == 1 && "Message deleted".equals(bob.bodyOf(oops)));

        Files.createDirectories(SCREENSHOTS);
        byte[] left = aliceBrowser.driver().getScreenshotAs(OutputType.BYTES);
        byte[] right = bobBrowser.driver().getScreenshotAs(OutputType.BYTES);
        Files.write(SCREENSHOTS.resolve("conversation-alice.png"), left);
        Files.write(SCREENSHOTS.resolve("conversation-bob.png"), right);
        Path combined = SCREENSHOTS.resolve("conversation.png");
        sideBySide(List.of(left, right), combined);
        assertThat(combined).isNotEmptyFile();
        alice.clearComposer();
    }

    @Test
    void onANarrowScreenNothingOverflowsSidewaysAndTheSendButtonIsOnScreen() throws IOException {
        bob.send("A phone-sized window still shows the whole conversation without scrolling sideways.");
        Dimension wide = bob.driver.manage().window().getSize();
        bob.driver.manage().window().setSize(new Dimension(390, 844));
        try {
            bob.await(d -> (Long) bob.script("return window.innerWidth") <= 390L);
            assertThat(bob.script("return document.documentElement.scrollWidth <= window.innerWidth"))
                    .isEqualTo(true);
            // the composer and its Send button are on the screen, not below it
            assertThat(bob.script("const r = document.querySelector('#composer button[type=submit]')"
                    + ".getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight "
                    + "&& r.right <= window.innerWidth && r.width > 0")).isEqualTo(true);
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve("narrow-bob.png"), bobBrowser.driver().getScreenshotAs(OutputType.BYTES));
        }
        finally {
            bob.driver.manage().window().setSize(wide);
        }
    }

    private static void sideBySide(List<byte[]> screenshots, Path target) throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        for (byte[] png : screenshots) {
            images.add(ImageIO.read(new ByteArrayInputStream(png)));
        }
        int gap = 16;
        int width = images.stream().mapToInt(BufferedImage::getWidth).sum() + gap * (images.size() - 1);
        int height = images.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = canvas.createGraphics();
        graphics.setColor(Color.DARK_GRAY);
        graphics.fillRect(0, 0, width, height);
        int x = 0;
        for (BufferedImage image : images) {
            graphics.drawImage(image, x, 0, null);
            x += image.getWidth() + gap;
        }
        graphics.dispose();
        ImageIO.write(canvas, "png", target.toFile());
    }
}
