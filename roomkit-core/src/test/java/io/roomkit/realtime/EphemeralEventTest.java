package io.roomkit.realtime;

import io.roomkit.ErrorCodes;
import io.roomkit.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EphemeralEventTest {

    private static final String WIRE_TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00";

    private static Map<String, Object> pythonDict() {
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("id", "0123456789abcdef0123456789abcdef");
        dict.put("room_id", "room-1");
        dict.put("type", "reaction");
        dict.put("user_id", "alice");
        dict.put("channel_id", "ws-alice");
        dict.put("data", Map.of("target_event_id", "evt-1", "emoji", "thumbsup", "action", "add"));
        dict.put("timestamp", "2026-01-02T03:04:05.123456+00:00");
        return dict;
    }

    private static void assertInvalidContent(Map<String, Object> dict) {
        assertThatThrownBy(() -> EphemeralEvent.fromMap(dict))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        ex -> assertThat(ex.code()).isEqualTo(ErrorCodes.INVALID_CONTENT));
    }

    @Test
    void ofFillsALowerCaseHexIdAndATimestamp() {
        Instant before = Instant.now().minusSeconds(1);

        EphemeralEvent event = EphemeralEvent.of("room-1", EphemeralEventType.TYPING_START, "alice", Map.of());

        assertThat(event.id()).matches("[0-9a-f]{32}");
        assertThat(event.timestamp()).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(event.roomId()).isEqualTo("room-1");
        assertThat(event.type()).isEqualTo(EphemeralEventType.TYPING_START);
        assertThat(event.userId()).isEqualTo("alice");
        assertThat(event.channelId()).isNull();
        assertThat(event.data()).isEmpty();
    }

    @Test
    void ofGivesEachEventItsOwnId() {
        EphemeralEvent first = EphemeralEvent.of("r", EphemeralEventType.CUSTOM, "u", Map.of());
        EphemeralEvent second = EphemeralEvent.of("r", EphemeralEventType.CUSTOM, "u", Map.of());

        assertThat(first.id()).isNotEqualTo(second.id());
    }

    @Test
    void ofWithChannelKeepsTheChannelAndNullDataBecomesEmpty() {
        EphemeralEvent event = EphemeralEvent.of("r", EphemeralEventType.TOOL_CALL_START, "ai", "ai", null);

        assertThat(event.channelId()).isEqualTo("ai");
        assertThat(event.data()).isEmpty();
    }

    @Test
    void toMapHasExactlyTheWireKeysInOrder() {
        EphemeralEvent event = EphemeralEvent.of("room-1", EphemeralEventType.READ_RECEIPT, "alice", "ws-alice",
                Map.of("event_id", "evt-1"));

        Map<String, Object> map = event.toMap();

        assertThat(List.copyOf(map.keySet()))
                .containsExactly("id", "room_id", "type", "user_id", "channel_id", "data", "timestamp");
        assertThat(map).containsEntry("id", event.id())
                .containsEntry("room_id", "room-1")
                .containsEntry("type", "read_receipt")
                .containsEntry("user_id", "alice")
                .containsEntry("channel_id", "ws-alice")
                .containsEntry("data", Map.of("event_id", "evt-1"));
    }

    @Test
    void toMapWritesMicrosecondTimestampWithExplicitUtcOffset() {
        EphemeralEvent event = EphemeralEvent.of("room-1", EphemeralEventType.CUSTOM, "alice", Map.of());

        assertThat((String) event.toMap().get("timestamp")).matches(WIRE_TIMESTAMP);
    }

    @Test
    void toMapAlwaysWritesSixFractionDigits() {
        EphemeralEvent event = new EphemeralEvent("0123456789abcdef0123456789abcdef", "r", EphemeralEventType.CUSTOM,
                "u", null, Map.of(), Instant.parse("2026-01-02T03:04:05Z"));

        assertThat(event.toMap()).containsEntry("timestamp", "2026-01-02T03:04:05.000000+00:00");
    }

    @Test
    void toMapKeepsANullChannelIdAsANullValue() {
        EphemeralEvent event = EphemeralEvent.of("room-1", EphemeralEventType.PRESENCE_ONLINE, "alice", Map.of());

        assertThat(event.toMap()).containsKey("channel_id").containsEntry("channel_id", null);
    }

    @Test
    void roundTripsThroughTheWireForm() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tool_calls", List.of(Map.of("name", "search")));
        data.put("nothing", null);
        EphemeralEvent event = EphemeralEvent.of("room-1", EphemeralEventType.TOOL_CALL_END, "ai", "ai", data);

        assertThat(EphemeralEvent.fromMap(event.toMap())).isEqualTo(event);
    }

    @Test
    void roundTripsWithoutAChannel() {
        EphemeralEvent event = EphemeralEvent.of("room-1", EphemeralEventType.TYPING_STOP, "alice", Map.of());

        assertThat(EphemeralEvent.fromMap(event.toMap())).isEqualTo(event);
    }

    @Test
    void readsAPythonDict() {
        EphemeralEvent event = EphemeralEvent.fromMap(pythonDict());

        assertThat(event).isEqualTo(new EphemeralEvent("0123456789abcdef0123456789abcdef", "room-1",
                EphemeralEventType.REACTION, "alice", "ws-alice",
                Map.of("target_event_id", "evt-1", "emoji", "thumbsup", "action", "add"),
                Instant.parse("2026-01-02T03:04:05.123456Z")));
        assertThat(event.toMap()).isEqualTo(pythonDict());
    }

    @Test
    void readsATimestampWithZ() {
        Map<String, Object> dict = pythonDict();
        dict.put("timestamp", "2026-01-02T03:04:05.123456Z");

        assertThat(EphemeralEvent.fromMap(dict).timestamp()).isEqualTo(Instant.parse("2026-01-02T03:04:05.123456Z"));
    }

    @Test
    void readsATimestampWithoutFraction() {
        Map<String, Object> dict = pythonDict();
        dict.put("timestamp", "2026-01-02T03:04:05+00:00");

        assertThat(EphemeralEvent.fromMap(dict).timestamp()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
    }

    @Test
    void readsATimestampWithAnotherOffset() {
        Map<String, Object> dict = pythonDict();
        dict.put("timestamp", "2026-01-02T05:04:05.5+02:00");

        assertThat(EphemeralEvent.fromMap(dict).timestamp()).isEqualTo(Instant.parse("2026-01-02T03:04:05.5Z"));
    }

    @Test
    void readsATimestampWithoutOffsetAsUtcAsPythonWritesANaiveDatetime() {
        Map<String, Object> dict = pythonDict();
        dict.put("timestamp", "2026-01-02T03:04:05.123456");

        assertThat(EphemeralEvent.fromMap(dict).timestamp()).isEqualTo(Instant.parse("2026-01-02T03:04:05.123456Z"));
    }

    @Test
    void readsANaiveTimestampWithoutFraction() {
        Map<String, Object> dict = pythonDict();
        dict.put("timestamp", "2026-01-02T03:04:05");

        assertThat(EphemeralEvent.fromMap(dict).timestamp()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
    }

    @Test
    void fillsDefaultsForAbsentOptionalKeys() {
        Map<String, Object> dict = new HashMap<>();
        dict.put("room_id", "room-1");
        dict.put("type", "typing_start");
        dict.put("user_id", "alice");

        EphemeralEvent event = EphemeralEvent.fromMap(dict);

        assertThat(event.id()).matches("[0-9a-f]{32}");
        assertThat(event.timestamp()).isNotNull();
        assertThat(event.channelId()).isNull();
        assertThat(event.data()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"room_id", "type", "user_id"})
    void rejectsAMissingRequiredKey(String key) {
        Map<String, Object> dict = pythonDict();
        dict.remove(key);

        assertInvalidContent(dict);
    }

    @ParameterizedTest
    @ValueSource(strings = {"room_id", "type", "user_id"})
    void rejectsANullRequiredKey(String key) {
        Map<String, Object> dict = pythonDict();
        dict.put(key, null);

        assertInvalidContent(dict);
    }

    @Test
    void rejectsAnUnknownType() {
        Map<String, Object> dict = pythonDict();
        dict.put("type", "waving");

        assertInvalidContent(dict);
    }

    @Test
    void rejectsAnUpperCaseTypeName() {
        Map<String, Object> dict = pythonDict();
        dict.put("type", "REACTION");

        assertInvalidContent(dict);
    }

    @Test
    void rejectsDataThatIsNotAnObject() {
        Map<String, Object> asString = pythonDict();
        asString.put("data", "not a map");
        Map<String, Object> asList = pythonDict();
        asList.put("data", List.of("a"));

        assertInvalidContent(asString);
        assertInvalidContent(asList);
    }

    @Test
    void rejectsDataWithNonStringKeys() {
        Map<String, Object> dict = pythonDict();
        dict.put("data", Map.of(1, "one"));

        assertInvalidContent(dict);
    }

    @Test
    void rejectsWrongTypedStrings() {
        Map<String, Object> numericRoom = pythonDict();
        numericRoom.put("room_id", 42);
        Map<String, Object> numericUser = pythonDict();
        numericUser.put("user_id", 42);
        Map<String, Object> numericId = pythonDict();
        numericId.put("id", 42);
        Map<String, Object> numericChannel = pythonDict();
        numericChannel.put("channel_id", 42);
        Map<String, Object> numericTimestamp = pythonDict();
        numericTimestamp.put("timestamp", 1767323045);

        assertInvalidContent(numericRoom);
        assertInvalidContent(numericUser);
        assertInvalidContent(numericId);
        assertInvalidContent(numericChannel);
        assertInvalidContent(numericTimestamp);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2026-01-02", "03:04:05", "2026-01-02T25:04:05"})
    void rejectsATimestampThatIsNotAnIsoDateAndTime(String timestamp) {
        Map<String, Object> dict = pythonDict();
        dict.put("timestamp", timestamp);

        assertInvalidContent(dict);
    }

    @Test
    void rejectsANullMap() {
        assertThatThrownBy(() -> EphemeralEvent.fromMap(null))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        ex -> assertThat(ex.code()).isEqualTo(ErrorCodes.INVALID_CONTENT));
    }

    @Test
    void typeHasExactlyTheThirteenReferenceWireNames() {
        assertThat(Arrays.stream(EphemeralEventType.values()).map(EphemeralEventType::value))
                .containsExactly("typing_start", "typing_stop", "presence_online", "presence_away",
                        "presence_offline", "read_receipt", "reaction", "tool_call_start", "tool_call_end",
                        "thinking_start", "thinking_delta", "thinking_end", "custom");
        assertThat(Arrays.stream(EphemeralEventType.values()).map(Enum::name))
                .allSatisfy(name -> assertThat(EphemeralEventType.valueOf(name).value())
                        .isEqualTo(name.toLowerCase()));
    }

    @ParameterizedTest
    @EnumSource(EphemeralEventType.class)
    void fromValueRoundTrips(EphemeralEventType type) {
        assertThat(EphemeralEventType.fromValue(type.value())).isSameAs(type);
    }

    @Test
    void fromValueRejectsUnknownNames() {
        assertThatThrownBy(() -> EphemeralEventType.fromValue("TYPING_START"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EphemeralEventType.fromValue(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dataIsUnmodifiableAndKeepsNullValues() {
        Map<String, Object> data = new HashMap<>();
        data.put("present", "yes");
        data.put("absent", null);

        EphemeralEvent event = EphemeralEvent.of("r", EphemeralEventType.CUSTOM, "u", data);

        assertThat(event.data()).containsEntry("present", "yes").containsEntry("absent", null).hasSize(2);
        assertThatThrownBy(() -> event.data().put("more", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void dataIsACopyOfTheCallersMap() {
        Map<String, Object> data = new HashMap<>();
        data.put("k", "v");
        EphemeralEvent event = EphemeralEvent.of("r", EphemeralEventType.CUSTOM, "u", data);

        data.put("k", "changed");
        data.put("extra", 1);

        assertThat(event.data()).isEqualTo(Map.of("k", "v"));
    }

    @Test
    void immutableDataIsKeptWithoutACopy() {
        Map<String, Object> data = Map.of("k", "v", "n", 1);

        EphemeralEvent event = EphemeralEvent.of("r", EphemeralEventType.CUSTOM, "u", data);
        EphemeralEvent relayed = new EphemeralEvent(io.roomkit.model.RandomIds.next(), "r2", EphemeralEventType.CUSTOM, "u", null,
                event.data(), event.timestamp());

        assertThat(event.data()).isSameAs(data);
        assertThat(relayed.data()).isSameAs(event.data());
    }

    @Test
    void aCopiedMapIsCopiedOnceAndTheCopyIsKeptByLaterEvents() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("k", "v");
        EphemeralEvent event = EphemeralEvent.of("r", EphemeralEventType.CUSTOM, "u", data);

        EphemeralEvent relayed = new EphemeralEvent(event.id(), "r2", event.type(), "u", null, event.data(), null);

        assertThat(event.data()).isNotSameAs(data).isEqualTo(data);
        assertThat(relayed.data()).isSameAs(event.data());
    }

    @Test
    void anUnmodifiableViewOfTheCallersMapIsStillCopied() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("k", "v");
        EphemeralEvent event = EphemeralEvent.of("r", EphemeralEventType.CUSTOM, "u", Collections.unmodifiableMap(data));

        data.put("k", "changed");

        assertThat(event.data()).isEqualTo(Map.of("k", "v"));
    }

    @Test
    void copiedDataCannotBeChangedThroughItsViews() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("a", 1);
        data.put("b", 2);
        Map<String, Object> held = EphemeralEvent.of("r", EphemeralEventType.CUSTOM, "u", data).data();

        assertThatThrownBy(() -> held.entrySet().iterator().next().setValue(3))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> held.keySet().remove("a")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> held.values().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> held.remove("a")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> held.putAll(Map.of("c", 3))).isInstanceOf(UnsupportedOperationException.class);
        assertThat(held).containsExactly(Map.entry("a", 1), Map.entry("b", 2));
    }

    @Test
    void ofUsesOneClockReadForTheIdAndTheTimestamp() {
        EphemeralEvent event = EphemeralEvent.of("r", EphemeralEventType.CUSTOM, "u", Map.of());

        assertThat(io.roomkit.model.RandomIds.epochMillis(event.id())).isEqualTo(event.timestamp().toEpochMilli());
    }

    @Test
    void dataReadFromTheWireKeepsNullValuesAndIsUnmodifiable() {
        Map<String, Object> wireData = new HashMap<>();
        wireData.put("absent", null);
        Map<String, Object> dict = pythonDict();
        dict.put("data", wireData);

        EphemeralEvent event = EphemeralEvent.fromMap(dict);

        assertThat(event.data()).containsEntry("absent", null).hasSize(1);
        assertThatThrownBy(() -> event.data().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void constructorRequiresIdRoomTypeAndUser() {
        Instant now = Instant.now();
        assertThatThrownBy(() -> new EphemeralEvent(null, "r", EphemeralEventType.CUSTOM, "u", null, null, now))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new EphemeralEvent("id", null, EphemeralEventType.CUSTOM, "u", null, null, now))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new EphemeralEvent("id", "r", null, "u", null, null, now))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new EphemeralEvent("id", "r", EphemeralEventType.CUSTOM, null, null, null, now))
                .isInstanceOf(NullPointerException.class);
    }
}
