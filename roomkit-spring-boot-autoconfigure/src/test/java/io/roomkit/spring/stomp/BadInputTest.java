package io.roomkit.spring.stomp;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class BadInputTest extends OpenRoomsStompTestSupport {

    private static final String UNKNOWN_ID = "0".repeat(32);

    private StompTestClient alice;
    private StompTestClient bob;
    private BlockingQueue<Map<String, Object>> bobEvents;

    @BeforeEach
    void bothUsersJoinTheRoom() throws Exception {
        alice = connectRaw(user("alice"));
        bob = connectRaw(user("bob"));
        alice.subscribe(events());
        bobEvents = bob.subscribe(events());
        sync(alice);
        sync(bob);
    }

    static Stream<Arguments> badFrames() {
        return Stream.of(
                arguments("/app/rooms.{room}.messages", "{not json", "invalid_json"),
                arguments("/app/rooms.{room}.messages", "[1, 2, 3]", "invalid_json"),
                arguments("/app/rooms.{room}.messages", "", "invalid_json"),
                arguments("/app/rooms.{room}.messages", "null", "invalid_json"),
                arguments("/app/rooms.{room}.messages", "{\"content\": \"x\"} trailing", "invalid_json"),
                arguments("/app/rooms.{room}.messages", "\"just a string\"", "invalid_json"),
                arguments("/app/rooms.{room}.messages", "{\"content\": 42}", "invalid_content"),
                arguments("/app/rooms.{room}.messages", "{\"content\": [\"a\"]}", "invalid_content"),
                arguments("/app/rooms.{room}.messages", "{\"content\": \"  \"}", "invalid_content"),
                arguments("/app/rooms.{room}.messages", "{}", "invalid_content"),
                arguments("/app/rooms.{room}.messages", "{\"content\": {\"type\": \"hologram\"}}", "invalid_content"),
                arguments("/app/rooms.{room}.messages", "{\"content\": \"x\", \"idempotency_key\": 7}",
                        "invalid_content"),
                arguments("/app/rooms.{room}.messages",
                        "{\"content\": \"" + "x".repeat(ClientPayloads.MAX_TEXT + 1) + "\"}", "content_too_large"),
                arguments("/app/rooms.{room}.typing", "{\"typing\": \"yes\"}", "invalid_content"),
                arguments("/app/rooms.{room}.typing", "{}", "invalid_content"),
                arguments("/app/rooms.{room}.presence", "{\"status\": 1}", "invalid_content"),
                arguments("/app/rooms.{room}.presence", "{}", "invalid_content"),
                arguments("/app/rooms.{room}.edit", "{\"new_content\": \"x\"}", "invalid_content"),
                arguments("/app/rooms.{room}.edit", "{\"target_event_id\": \"" + UNKNOWN_ID + "\"}",
                        "invalid_content"),
                arguments("/app/rooms.{room}.edit",
                        "{\"target_event_id\": \"" + UNKNOWN_ID + "\", \"new_content\": \"x\"}",
                        "target_event_not_found"),
                arguments("/app/rooms.{room}.delete", "{\"target_event_id\": \"" + UNKNOWN_ID + "\"}",
                        "target_event_not_found"),
                arguments("/app/rooms.{room}.delete",
                        "{\"target_event_id\": \"" + UNKNOWN_ID + "\", \"delete_type\": \"nuke\"}",
                        "invalid_content"),
                arguments("/app/rooms.{room}.reactions", "{\"target_event_id\": 5, \"emoji\": \"x\"}",
                        "invalid_content"),
                arguments("/app/rooms.{room}.reactions",
                        "{\"target_event_id\": \"" + UNKNOWN_ID + "\", \"emoji\": \"x\"}", "event_not_found"),
                arguments("/app/rooms.{room}.reactions",
                        "{\"target_event_id\": \"" + UNKNOWN_ID + "\", \"emoji\": \"x\", \"action\": \"boo\"}",
                        "invalid_content"),
                arguments("/app/rooms.{room}.read", "{}", "invalid_content"),
                arguments("/app/rooms.{room}.read", "{\"event_id\": \"" + UNKNOWN_ID + "\"}", "event_not_found"),
                arguments("/app/rooms.{room}.nope", "{\"content\": \"x\"}", "unknown_destination"),
                arguments("/app/rooms.{room}.history", "{}", "unknown_destination"),
                arguments("/app/whatever", "{\"content\": \"x\"}", "unknown_destination"),
                arguments("/queue/errors", "{\"content\": \"x\"}", "unknown_destination"),
                arguments("/app/rooms.a*b.messages", "{\"content\": \"x\"}", "invalid_room_id"),
                arguments("/app/rooms." + "r".repeat(129) + ".messages", "{\"content\": \"x\"}",
                        "invalid_room_id"),
                // a query string only means something on the history request
                arguments("/app/rooms.{room}.messages?x=1", "{\"content\": \"x\"}", "unknown_destination"),
                // a lone surrogate cannot be stored as UTF-8: refused rather than served back as '?'
                arguments("/app/rooms.{room}.messages", "{\"content\": \"a\\ud800b\"}", "invalid_content"),
                arguments("/app/rooms.{room}.messages", "{\"content\": {\"type\": \"rich\", \"body\": \"\\udc00\"}}",
                        "invalid_content"),
                arguments("/app/rooms.{room}.messages", "{\"content\": \"x\", \"idempotency_key\": \"a\\u0000b\"}",
                        "invalid_argument"),
                arguments("/app/rooms.{room}.messages", "{\"content\": \"x\", \"parent_event_id\": \"\\u0000\"}",
                        "invalid_argument"),
                arguments("/app/rooms.{room}.reactions", "{\"target_event_id\": \"\\u0000\", \"emoji\": \"x\"}",
                        "invalid_argument"),
                arguments("/app/rooms.{room}.read", "{\"event_id\": \"a\\u0000\"}", "invalid_argument"),
                arguments("/app/rooms.{room}.delete", "{\"target_event_id\": \"\\u0000\"}", "invalid_argument"));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("badFrames")
    void badFrameIsReportedStoresNothingAndTheConnectionKeepsWorking(String destination, String body, String code)
            throws Exception {
        String target = destination.replace("{room}", room);

        alice.sendRaw(target, body);

        assertError(alice.nextError(), code, target);
        assertStillWorking();
    }

    static Stream<Arguments> badSubscriptions() {
        return Stream.of(
                arguments("/topic/rooms.a:b%.events", "invalid_room_id"),
                arguments("/topic/rooms.a*b.ephemeral", "invalid_room_id"),
                arguments("/topic/rooms.{room}.nope", "unknown_destination"),
                arguments("/topic/whatever", "unknown_destination"),
                arguments("/queue/errors", "unknown_destination"),
                arguments("/app/rooms.{room}.messages", "unknown_destination"),
                arguments("/app/rooms.{room}.history?after_index=abc", "invalid_argument"),
                arguments("/app/rooms.{room}.history?limit=-5", "invalid_argument"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badSubscriptions")
    void badSubscriptionIsReportedAndTheConnectionKeepsWorking(String destination, String code) throws Exception {
        String target = destination.replace("{room}", room);

        BlockingQueue<Map<String, Object>> refused = alice.subscribe(target);

        assertError(alice.nextError(), code, target);
        assertStillWorking();
        assertThat(refused).isEmpty();
    }

    @Test
    void frameOverTheTransportLimitIsClosedAsTooBigAndOnlyThatSessionEnds() throws Exception {
        RawStompSocket mallory = RawStompSocket.connect(port, user("mallory"));
        assertThat(mallory.next()).startsWith("CONNECTED");

        mallory.sendFrame(sendFrame("x".repeat(RoomKitStompConfigurer.MESSAGE_SIZE_LIMIT)));

        assertThat(mallory.untilClosed()).last().isEqualTo("closed 1009");
        assertOthersUnaffected();
    }

    @Test
    void frameOverTheLimitInBytesOnlyGetsAnErrorFrameAndOnlyThatSessionEnds() throws Exception {
        RawStompSocket mallory = RawStompSocket.connect(port, user("mallory"));
        assertThat(mallory.next()).startsWith("CONNECTED");

        mallory.sendFrame(sendFrame("中".repeat(RoomKitStompConfigurer.MESSAGE_SIZE_LIMIT / 2)));

        List<String> answers = mallory.untilClosed();
        assertThat(answers.get(0)).startsWith("ERROR").contains("buffer size limit");
        assertThat(answers).last().isEqualTo("closed 1002");
        assertOthersUnaffected();
    }

    private String sendFrame(String text) {
        return "SEND\ndestination:" + app("messages") + "\ncontent-type:application/json\n\n{\"content\": \""
                + text + "\"}";
    }

    private void assertOthersUnaffected() throws InterruptedException {
        post(alice, bobEvents, "alice carries on");
        assertThat(stored()).hasSize(1);
        assertThat(alice.errorQueue()).isEmpty();
        assertThat(alice.isConnected()).isTrue();
        assertThat(bob.isConnected()).isTrue();
    }

    @Test
    void longestTextInThreeByteCharactersIsAccepted() throws Exception {
        String text = "中".repeat(ClientPayloads.MAX_TEXT);

        alice.send(app("messages"), Map.of("content", text));

        assertThat(collectUntil(bobEvents, text(text))).hasSize(1);
        assertThat(alice.isConnected()).isTrue();
    }

    @Test
    void longestTextWhoseJsonEscapesDoubleItsLengthIsAccepted() throws Exception {
        String text = "\"q\"\n".repeat(ClientPayloads.MAX_TEXT / 4);

        alice.send(app("messages"), Map.of("content", text));

        assertThat(collectUntil(bobEvents, text(text))).hasSize(1);
        assertThat(alice.isConnected()).isTrue();
    }

    /** Alice's next valid message reaches Bob as the room's first event, and Bob saw no error. */
    private void assertStillWorking() throws InterruptedException {
        alice.send(app("messages"), Map.of("content", "still here"));
        assertThat(collectUntil(bobEvents, text("still here"))).hasSize(1);
        assertThat(stored()).hasSize(1);
        assertThat(bob.errorQueue()).isEmpty();
    }

    private static void assertError(Map<String, Object> error, String code, String destination) {
        assertThat(error).containsOnlyKeys("code", "message", "destination").containsEntry("code", code)
                .containsEntry("destination", destination);
        assertThat((String) error.get("message")).isNotBlank();
    }
}
