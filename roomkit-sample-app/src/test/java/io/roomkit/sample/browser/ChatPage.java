package io.roomkit.sample.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.chromium.HasNetworkConditions;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One person's browser window on the chat: interactions go through real clicks and key presses; reads use small
 * scripts over the DOM, which is quicker than fetching elements one by one.
 */
final class ChatPage {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    final String user;
    final WebDriver driver;
    private final String baseUrl;

    ChatPage(WebDriver driver, String baseUrl, String user) {
        this.driver = driver;
        this.baseUrl = baseUrl;
        this.user = user;
    }

    // ---- navigation ----------------------------------------------------------------------------------------

    void signIn() {
        driver.get(baseUrl + "/");
        WebElement name = await(d -> visible(By.id("name-input")));
        name.sendKeys(user);
        name.sendKeys(Keys.ENTER);
        await(d -> visible(By.id("whoami")));
    }

    /**
     * Signs in through Spring Security's login page (the {@code secure} profile) with the user's password; returns
     * once the chat shows the user, or the login page's error when it refuses.
     */
    String signInWithPassword(String password) {
        driver.get(baseUrl + "/");
        WebElement name = await(d -> visible(By.id("username")));
        name.sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password, Keys.ENTER);
        return await(d -> visible(By.id("whoami")) != null && text(By.id("me")).equals(user) ? ""
                : d.getCurrentUrl().contains("/login?error") ? "refused" : null);
    }

    void signOut() {
        driver.findElement(By.id("sign-out")).click();
        await(d -> visible(By.id("name-input")));
    }

    /** Submits the sign-in form with any name; returns the error it shows ("" when there is none). */
    String submitName(String name) {
        WebElement input = await(d -> visible(By.id("name-input")));
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        input.sendKeys(name, Keys.ENTER);
        return text(By.id("name-error"));
    }

    boolean signedIn() {
        return visible(By.id("chat-view")) != null && text(By.id("me")).equals(user);
    }

    /** Creates (or joins) a room with the form under the room list. */
    void createRoom(String roomId) {
        WebElement input = driver.findElement(By.id("room-input"));
        input.sendKeys(roomId, Keys.ENTER);
        awaitIn(roomId);
    }

    /** A new tab starts signed out (the name is kept per tab): opens the room and signs in there. */
    void signInToRoom(String roomId) {
        driver.get(baseUrl + "/#" + roomId);
        submitName(user);
        awaitIn(roomId);
    }

    /** Opens the room through its address and waits until the history arrived on a live connection. */
    void openRoom(String roomId) {
        driver.get(baseUrl + "/#" + roomId);
        awaitIn(roomId);
    }

    /** Opens the room by following its link in the room list. */
    void clickRoom(String roomId) {
        // find and click in one step: the list re-renders when rooms or unread counts change, which can make a
        // link found a moment earlier stale (seen once in a full run)
        await(d -> {
            d.findElement(By.cssSelector("#room-list li[data-room-id='" + roomId + "'] a")).click();
            return true;
        });
        awaitIn(roomId);
    }

    void awaitIn(String roomId) {
        await(d -> text(By.id("room-title")).equals("# " + roomId) && "online".equals(connectionState())
                && presence().contains(user));
    }

    void reload() {
        driver.navigate().refresh();
    }

    // ---- composing -----------------------------------------------------------------------------------------

    WebElement composer() {
        return driver.findElement(By.id("composer-input"));
    }

    /** Types the text and presses Enter; returns the event id once the message is in the conversation. */
    String send(String text) {
        type(text);
        composer().sendKeys(Keys.ENTER);
        return awaitMessage(text);
    }

    void type(String text) {
        composer().sendKeys(text);
    }

    void clearComposer() {
        composer().sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
    }

    String composerText() {
        return composer().getDomProperty("value");
    }

    /** The names the composer offers to mention, as their buttons say ("@Bob"). */
    @SuppressWarnings("unchecked")
    List<String> mentionSuggestions() {
        return (List<String>) script("const bar = document.getElementById('mention-suggestions'); return bar.hidden "
                + "? [] : [...bar.querySelectorAll('button')].map(b => b.textContent)");
    }

    /** The mention count the room list shows for a room (0 without a mention badge), or -1 if it is not listed. */
    long mentionBadge(String roomId) {
        Object mentions = script("return document.querySelector(`#room-list li[data-room-id='${arguments[0]}']`)"
                + "?.dataset.mentions ?? null", roomId);
        return mentions == null ? -1 : Long.parseLong((String) mentions);
    }

    // ---- reading the conversation --------------------------------------------------------------------------

    /** The text of every message, in order (deleted ones as their placeholder). */
    @SuppressWarnings("unchecked")
    List<String> messageTexts() {
        return (List<String>) script(
                "return [...document.querySelectorAll('#messages li.message .body')].map(e => e.textContent)");
    }

    @SuppressWarnings("unchecked")
    List<String> messageIds() {
        return (List<String>) script(
                "return [...document.querySelectorAll('#messages li.message')].map(e => e.dataset.eventId)");
    }

    @SuppressWarnings("unchecked")
    List<String> pendingTexts() {
        return (List<String>) script(
                "return [...document.querySelectorAll('#outbox li .body')].map(e => e.textContent)");
    }

    /** Waits for a message with exactly this text and returns its event id. */
    String awaitMessage(String text) {
        return await(d -> (String) script("const li = [...document.querySelectorAll('#messages li.message')]"
                + ".find(e => e.querySelector('.body')?.textContent === arguments[0]); return li ? li.dataset.eventId"
                + " : null", text));
    }

    WebElement message(String eventId) {
        return driver.findElement(By.cssSelector("#messages li[data-event-id='" + eventId + "']"));
    }

    String bodyOf(String eventId) {
        return (String) script("return document.querySelector(`#messages li[data-event-id='${arguments[0]}'] .body`)"
                + "?.textContent ?? null", eventId);
    }

    boolean hasEditedMark(String eventId) {
        return !message(eventId).findElements(By.cssSelector(".edited-mark")).isEmpty();
    }

    /** The actions offered on a message: "React", "Edit", "Delete". */
    List<String> actionsOf(String eventId) {
        return message(eventId).findElements(By.cssSelector(".action")).stream().map(WebElement::getText)
                .map(label -> label.replace("☺", "").trim()).toList();
    }

    String seenBy(String eventId) {
        return (String) script("return document.querySelector(`#messages li[data-event-id='${arguments[0]}'] "
                + ".seen-by`)?.textContent ?? ''", eventId);
    }

    /** Reaction chips of a message: emoji to "count|title|pressed". */
    @SuppressWarnings("unchecked")
    Map<String, String> reactionsOf(String eventId) {
        return (Map<String, String>) script("const chips = document.querySelectorAll(`#messages "
                + "li[data-event-id='${arguments[0]}'] .chip`); return Object.fromEntries([...chips].map(c => "
                + "[c.dataset.emoji, c.querySelector('.count').textContent + '|' + c.title + '|' + "
                + "c.getAttribute('aria-pressed')]))", eventId);
    }

    /** The lines of the conversation: "author: text" for messages, "🔧 text" for an assistant's tool calls. */
    @SuppressWarnings("unchecked")
    List<String> conversation() {
        return (List<String>) script("return [...document.querySelectorAll('#messages > li')].map(li => "
                + "li.classList.contains('tool-call') ? '🔧 ' + li.querySelector('.tool-text').textContent "
                + ": li.querySelector('.author')?.textContent + ': ' + li.querySelector('.body')?.textContent)");
    }

    /** What the assistants are doing, one status per busy assistant ("Assistant is thinking…"). */
    @SuppressWarnings("unchecked")
    List<String> assistantActivity() {
        return (List<String>) script("return [...document.querySelectorAll('#assistant-activity .activity-status')]"
                + ".map(e => e.textContent)");
    }

    /**
     * From now on, notes every status and reasoning the assistant indicator shows (joined with " | " when several assistants
     * are busy, "" when it is empty), so that a test also sees states that lasted less than a poll.
     */
    void recordAssistantActivity() {
        script("const list = document.getElementById('assistant-activity'); window.__activity = [];"
                + "window.__thinking = []; window.__drafts = []; new MutationObserver(() => {"
                + "  const now = [...list.querySelectorAll('.activity-status')].map(e => e.textContent).join(' | ');"
                + "  if (window.__activity[window.__activity.length - 1] !== now) { window.__activity.push(now); }"
                + "  const preview = list.querySelector('.thinking-preview')?.textContent;"
                + "  if (preview && !window.__thinking.includes(preview)) { window.__thinking.push(preview); }"
                + "  const draft = list.querySelector('.draft')?.textContent;"
                + "  if (draft && !window.__drafts.includes(draft)) { window.__drafts.push(draft); }"
                + "}).observe(list, { subtree: true, childList: true, characterData: true });");
    }

    @SuppressWarnings("unchecked")
    List<String> recordedAssistantActivity() {
        return (List<String>) script("return window.__activity");
    }

    /** Every version of the streamed answer the indicator showed since {@link #recordAssistantActivity}. */
    @SuppressWarnings("unchecked")
    List<String> recordedDrafts() {
        return (List<String>) script("return window.__drafts");
    }

    /** Every streamed reasoning the indicator showed since {@link #recordAssistantActivity}. */
    @SuppressWarnings("unchecked")
    List<String> recordedThinking() {
        return (List<String>) script("return window.__thinking");
    }

    String typingIndicator() {
        return text(By.id("typing"));
    }

    @SuppressWarnings("unchecked")
    List<String> presence() {
        return (List<String>) script(
                "return [...document.querySelectorAll('#presence-list li')].map(e => e.dataset.userId)");
    }

    /** The room owner removes a member with the button beside their name, confirming the dialog. */
    void removeMember(String userId) {
        // find and click in one step: the presence list re-renders on every presence event and room refresh
        await(d -> {
            d.findElement(By.cssSelector("#presence-list li[data-user-id='" + userId + "'] .remove-member")).click();
            return true;
        });
        driver.switchTo().alert().accept();
    }

    /** The text of the room's notice line (refusals, removal). */
    String notice() {
        return driver.findElement(By.id("room-notice")).getText();
    }

    /** The texts of the timeline's system lines ("Bob joined", "Bob was removed"). */
    @SuppressWarnings("unchecked")
    List<String> systemLines() {
        return (List<String>) script(
                "return [...document.querySelectorAll('#messages li.notice p')].map(e => e.textContent)");
    }

    String connectionState() {
        return driver.findElement(By.id("connection")).getDomAttribute("data-state");
    }

    String connectionText() {
        return text(By.id("connection"));
    }

    /** The unread count the room list shows for a room (0 when there is no badge), or -1 if it is not listed. */
    long unreadBadge(String roomId) {
        Object unread = script("return document.querySelector(`#room-list li[data-room-id='${arguments[0]}']`)"
                + "?.dataset.unread ?? null", roomId);
        return unread == null ? -1 : Long.parseLong((String) unread);
    }

    boolean badgeVisible(String roomId) {
        return !driver.findElements(By.cssSelector("#room-list li[data-room-id='" + roomId + "'] .badge")).isEmpty();
    }

    // ---- acting on messages --------------------------------------------------------------------------------

    void startEdit(String eventId) {
        message(eventId).findElement(By.cssSelector(".action.edit")).click();
        await(d -> visible(By.cssSelector("li[data-event-id='" + eventId + "'] textarea.edit-input")));
    }

    WebElement editInput(String eventId) {
        return message(eventId).findElement(By.cssSelector("textarea.edit-input"));
    }

    void edit(String eventId, String newText) {
        startEdit(eventId);
        WebElement input = editInput(eventId);
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        input.sendKeys(newText, Keys.ENTER);
    }

    void delete(String eventId) {
        message(eventId).findElement(By.cssSelector(".action.delete")).click();
        await(d -> message(eventId).findElement(By.cssSelector(".confirm button.danger"))).click();
    }

    void showEditHistory(String eventId) {
        message(eventId).findElement(By.cssSelector(".edited-mark")).click();
    }

    @SuppressWarnings("unchecked")
    List<String> editHistory(String eventId) {
        return (List<String>) script("return [...document.querySelectorAll(`#messages li[data-event-id="
                + "'${arguments[0]}'] .edit-history .version`)].map(e => e.textContent)", eventId);
    }

    /** Whether the message continues the one above (same author, shown without name and avatar). */
    boolean isContinued(String eventId) {
        return message(eventId).getDomAttribute("class").contains("continued");
    }

    /** The day separators of the conversation, top to bottom. */
    @SuppressWarnings("unchecked")
    List<String> daySeparators() {
        return (List<String>) script("return [...document.querySelectorAll('#messages .day-separator')]"
                + ".map(e => e.textContent)");
    }

    String avatarOf(String eventId) {
        return message(eventId).findElement(By.cssSelector(".avatar")).getDomProperty("textContent");
    }

    /** Takes the browser off the network (requests and new connections fail) or back on. */
    void setOffline(boolean offline) {
        ChromiumNetworkConditions conditions = new ChromiumNetworkConditions();
        conditions.setOffline(offline);
        ((HasNetworkConditions) driver).setNetworkConditions(conditions);
    }

    /** Opens the message's thread with its Reply action. */
    void openThread(String eventId) {
        message(eventId).findElement(By.cssSelector(".action.reply")).click();
        await(d -> d.findElement(By.id("thread-panel")).isDisplayed());
    }

    /** Opens a thread from its root's reply count ("2 replies"). */
    void openThreadFromCount(String eventId) {
        message(eventId).findElement(By.cssSelector(".thread-link")).click();
        await(d -> d.findElement(By.id("thread-panel")).isDisplayed());
    }

    /** The reply count under a thread's root, "" when it shows none. */
    String threadLinkOf(String eventId) {
        return (String) script("return document.querySelector(`#messages li[data-event-id='${arguments[0]}'] "
                + ".thread-link`)?.textContent ?? ''", eventId);
    }

    void replyInThread(String text) {
        WebElement input = driver.findElement(By.id("thread-input"));
        input.sendKeys(text, Keys.ENTER);
    }

    /** The open thread's replies: "author: text". */
    @SuppressWarnings("unchecked")
    List<String> threadReplies() {
        return (List<String>) script("return [...document.querySelectorAll('#thread-replies li')].map(li => "
                + "li.querySelector('.author').textContent + ': ' + li.querySelector('.body').textContent)");
    }

    void reactWithPicker(String eventId, String emoji) {
        message(eventId).findElement(By.cssSelector(".action.react")).click();
        await(d -> message(eventId).findElement(By.cssSelector(".picker button[aria-label='React with " + emoji
                + "']"))).click();
    }

    void clickReaction(String eventId, String emoji) {
        message(eventId).findElement(By.cssSelector(".chip[data-emoji='" + emoji + "']")).click();
    }

    void scrollToTop() {
        script("document.getElementById('timeline').scrollTop = 0");
    }

    boolean atBeginningOfConversation() {
        return visible(By.id("history-start")) != null;
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, TIMEOUT).ignoring(StaleElementReferenceException.class)
                .ignoring(NoSuchElementException.class).until(condition::apply);
    }

    /** Like {@link #await}, but looks every 20 ms, for states that last a fraction of a second. */
    <T> T awaitQuickly(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, TIMEOUT).pollingEvery(Duration.ofMillis(20))
                .ignoring(StaleElementReferenceException.class).until(condition::apply);
    }

    Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    private String text(By by) {
        return driver.findElement(by).getText();
    }

    private WebElement visible(By by) {
        List<WebElement> found = driver.findElements(by);
        return !found.isEmpty() && found.get(0).isDisplayed() ? found.get(0) : null;
    }
}
