package io.roomkit.benchmarks;

import io.roomkit.model.ChannelType;
import io.roomkit.model.EventSource;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The frames the load tool reads: RoomKit's own wire form (its events' {@code toMap()}, written by Jackson as
 * its STOMP layer does), the baseline's, and bodies that are not what the tool expects.
 */
class FrameBodiesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void roomKitTypingEventsNameTheirSender() {
        FrameBodies.Ephemeral start = FrameBodies.ephemeral(json(
                EphemeralEvent.of("load-1", EphemeralEventType.TYPING_START, "u13", Map.of()).toMap()));
        FrameBodies.Ephemeral stop = FrameBodies.ephemeral(json(
                EphemeralEvent.of("load-1", EphemeralEventType.TYPING_STOP, "u13", Map.of()).toMap()));

        assertThat(start.isTyping()).isTrue();
        assertThat(start.isTypingStart()).isTrue();
        assertThat(start.userId()).isEqualTo("u13");
        assertThat(TrafficWorkload.clientOf(start.userId())).isEqualTo(13);
        assertThat(stop.isTyping()).isTrue();
        assertThat(stop.isTypingStart()).isFalse();
        assertThat(start.isPresence()).isFalse();
    }

    @Test
    void baselineTypingEventsReadTheSame() {
        FrameBodies.Ephemeral event = FrameBodies.ephemeral("{\"id\":\"5f0c\",\"room_id\":\"load-0\","
                + "\"type\":\"typing_stop\",\"user_id\":\"u2\",\"channel_id\":null,\"data\":{},"
                + "\"timestamp\":\"2026-01-01T00:00:00Z\"}");

        assertThat(event.isTyping()).isTrue();
        assertThat(event.isTypingStart()).isFalse();
        assertThat(event.userId()).isEqualTo("u2");
    }

    @Test
    void fieldsAreReadWhereverTheyStandAndWhateverTheyHoldEscaped() {
        // a scraper that takes the first "type": here the payload's, and stops at the escaped quote of the user
        FrameBodies.Ephemeral event = FrameBodies.ephemeral("{ \"data\" : {\"type\":\"x\"},\n"
                + "  \"user_id\" : \"u\\\"7\", \"type\" : \"typing_start\" }");

        assertThat(event.type()).isEqualTo("typing_start");
        assertThat(event.userId()).isEqualTo("u\"7");
        assertThat(TrafficWorkload.clientOf(event.userId())).isEqualTo(-1);
    }

    @Test
    void aFieldThatIsNoTextIsSkippedWhole() {
        FrameBodies.Ephemeral event = FrameBodies.ephemeral("{\"type\":{\"user_id\":\"u1\"},\"data\":[\"x\"],"
                + "\"user_id\":\"u2\"}");

        assertThat(event).isEqualTo(new FrameBodies.Ephemeral(null, "u2", null));
        assertThat(FrameBodies.event("{\"content\":\"3:4\",\"x\":{\"content\":{\"body\":\"5:6\"}}}").text())
                .as("only the event's own content").isNull();
    }

    @Test
    void presenceEventsCustomStatusesAndDiffsArePresence() {
        assertThat(ephemeral(EphemeralEventType.PRESENCE_ONLINE, "u1", Map.of()).isPresence()).isTrue();
        assertThat(ephemeral(EphemeralEventType.PRESENCE_OFFLINE, "u1", Map.of()).isPresence()).isTrue();
        assertThat(ephemeral(EphemeralEventType.CUSTOM, "u1", Map.of("status", "busy")).isPresence()).isTrue();
        assertThat(ephemeral(EphemeralEventType.CUSTOM, "", Map.of("kind", "presence_diff",
                "online", List.of(Map.of("user_id", "u1", "status", "online")), "offline", List.of("u2")))
                .isPresence()).isTrue();

        assertThat(ephemeral(EphemeralEventType.CUSTOM, "u1", Map.of("kind", "poll")).isPresence()).isFalse();
        assertThat(ephemeral(EphemeralEventType.TYPING_START, "u1", Map.of()).isPresence()).isFalse();
        assertThat(ephemeral(EphemeralEventType.REACTION, "u1", Map.of("status", "x")).isPresence()).isFalse();
    }

    @Test
    void roomKitMessageEventsCarryTheirStamp() {
        RoomEvent message = RoomEvent.builder().roomId("load-0")
                .source(new EventSource("ws-u3", ChannelType.WEBSOCKET, "u3"))
                .content(new TextContent(new MessagesWorkload.Stamp(3, 123_456_789_012L).text())).build();

        String text = FrameBodies.event(json(message.toMap())).text();

        assertThat(MessagesWorkload.Stamp.parse(text)).isEqualTo(new MessagesWorkload.Stamp(3, 123_456_789_012L));
    }

    @Test
    void baselineMessageEventsCarryTheirStamp() {
        String body = "{\"id\":\"ab\",\"room_id\":\"load-1\",\"index\":4,\"type\":\"message\","
                + "\"source\":{\"channel_id\":\"ws-u1\",\"channel_type\":\"websocket\",\"participant_id\":\"u1\","
                + "\"external_id\":null},\"content\":{\"type\":\"text\",\"body\":\"1:-42\",\"language\":null},"
                + "\"status\":\"delivered\",\"metadata\":{},\"created_at\":\"2026-01-01T00:00:00Z\"}";

        assertThat(MessagesWorkload.Stamp.parse(FrameBodies.event(body).text()))
                .isEqualTo(new MessagesWorkload.Stamp(1, -42));
    }

    @Test
    void anEventWithoutTextHasNone() {
        assertThat(FrameBodies.event("{\"type\":\"system\",\"content\":{\"type\":\"system\",\"code\":\"x\"}}")
                .text()).isNull();
        assertThat(FrameBodies.event("{\"type\":\"message\"}").text()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "3", "3:", ":5", "u3:5", "3:5x", "" })
    @NullSource
    void textThatIsNoStampIsNone(String text) {
        assertThat(MessagesWorkload.Stamp.parse(text)).isNull();
    }

    @Test
    void serverErrorsTellWhatToSubscribeAgain() {
        FrameBodies.ServerError unavailable = FrameBodies.serverError("{\"code\":\"unavailable\",\"message\":"
                + "\"try again\",\"destination\":\"/topic/rooms.load-0.events\"}");
        FrameBodies.ServerError refused = FrameBodies.serverError("{\"code\":\"not_authorized\",\"message\":\"no\","
                + "\"destination\":\"/app/rooms.load-0.messages\"}");

        assertThat(unavailable.isTransient()).isTrue();
        assertThat(unavailable.destination()).isEqualTo("/topic/rooms.load-0.events");
        assertThat(FrameBodies.serverError("{\"code\":\"rate_limited\",\"retry_after_ms\":250}").isTransient())
                .isTrue();
        assertThat(refused.isTransient()).isFalse();
        assertThat(refused.code()).isEqualTo("not_authorized");
        assertThat(refused.message()).isEqualTo("no");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "not json", "null", "[1,2]", "{\"type\":", "\"typing_start\"" })
    void aBodyThatIsNotTheJsonExpectedReadsAsNothing(String body) {
        assertThat(FrameBodies.ephemeral(body)).isEqualTo(new FrameBodies.Ephemeral(null, null, null));
        assertThat(FrameBodies.event(body).text()).isNull();
        assertThat(FrameBodies.serverError(body)).isEqualTo(new FrameBodies.ServerError(null, null, null));
    }

    @Test
    void onlyTheToolsOwnUsersAreClients() {
        assertThat(TrafficWorkload.clientOf("u0")).isZero();
        assertThat(TrafficWorkload.clientOf("u9999")).isEqualTo(9999);
        for (String other : new String[] { null, "", "u", "w3", "U3", "u3a", "alice" }) {
            assertThat(TrafficWorkload.clientOf(other)).as(other).isEqualTo(-1);
        }
    }

    private static FrameBodies.Ephemeral ephemeral(EphemeralEventType type, String userId, Map<String, ?> data) {
        return FrameBodies.ephemeral(json(EphemeralEvent.of("load-0", type, userId, data).toMap()));
    }

    private static String json(Map<String, Object> map) {
        return JSON.writeValueAsString(map);
    }
}
