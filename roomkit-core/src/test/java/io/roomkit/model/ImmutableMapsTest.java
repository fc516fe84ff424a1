package io.roomkit.model;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImmutableMapsTest {

    @Test
    void jdkImmutableMapsAndSnapshotsAreKeptAsTheyAre() {
        Map<String, Object> one = Map.of("k", "v");
        Map<String, Object> several = Map.of("a", 1, "b", 2, "c", 3);
        Map<String, Object> snapshot = ImmutableMaps.copyOf(new HashMap<>(several));

        assertThat(ImmutableMaps.copyOf(one)).isSameAs(one);
        assertThat(ImmutableMaps.copyOf(several)).isSameAs(several);
        assertThat(ImmutableMaps.copyOf(snapshot)).isSameAs(snapshot);
        assertThat(ImmutableMaps.copyOf(null)).isEmpty();
        assertThat(ImmutableMaps.copyOf(new HashMap<>())).isSameAs(Map.of());
    }

    @Test
    void mapsThatMayChangeAreCopiedInTheirOrderWithNullValues() {
        Map<String, Object> mutable = new LinkedHashMap<>();
        mutable.put("z", 1);
        mutable.put("a", null);
        Map<String, Object> view = Collections.unmodifiableMap(mutable);

        Map<String, Object> copy = ImmutableMaps.copyOf(mutable);
        Map<String, Object> viewCopy = ImmutableMaps.copyOf(view);
        mutable.put("z", 2);
        mutable.put("late", 3);

        assertThat(copy).isNotSameAs(mutable).containsExactly(Map.entry("z", 1), entry("a", null));
        assertThat(viewCopy).isNotSameAs(view).containsExactly(Map.entry("z", 1), entry("a", null));
        assertThat(ImmutableMaps.isImmutable(view)).isFalse();
        assertThat(ImmutableMaps.isImmutable(copy)).isTrue();
    }

    @Test
    void aSnapshotRefusesEveryChangeAndComparesLikeAnyMap() {
        Map<String, Object> source = new HashMap<>();
        source.put("k", "v");
        Map<String, Object> snapshot = ImmutableMaps.copyOf(source);

        assertThatThrownBy(() -> snapshot.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> snapshot.remove("k")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(snapshot::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> snapshot.entrySet().iterator().next().setValue("w"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> snapshot.computeIfAbsent("y", key -> 1))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(snapshot).isEqualTo(source).hasSameHashCodeAs(source).hasToString(source.toString());
        assertThat(source).isEqualTo(snapshot);
    }

    @Test
    void roomEventMetadataAndContentDataAreSharedWhenImmutableAndCopiedOtherwise() {
        Map<String, Object> metadata = Map.of("edited", true);
        Map<String, Object> mutableData = new HashMap<>();
        mutableData.put("user_id", "alice");
        RoomEvent event = RoomEvent.builder().roomId("room-1").source(new EventSource("ws-a", ChannelType.WEBSOCKET,
                "alice")).content(new SystemContent("joined", "participant_joined", mutableData)).metadata(metadata)
                .build();
        mutableData.put("user_id", "mallory");

        RoomEvent copy = event.toBuilder().index(7).build();

        assertThat(event.metadata()).isSameAs(metadata);
        assertThat(((SystemContent) event.content()).data()).containsExactly(Map.entry("user_id", "alice"));
        assertThat(copy.metadata()).isSameAs(event.metadata());
        assertThat(RoomEvent.fromMap(event.toMap())).isEqualTo(event);
    }

    @Test
    void aBuiltEventTakesItsIdTimeFromItsCreationTime() {
        RoomEvent event = RoomEvent.builder().roomId("room-1")
                .source(new EventSource("ws-a", ChannelType.WEBSOCKET, "alice")).content(new TextContent("hi")).build();
        Instant given = Instant.parse("2001-02-03T04:05:06.123456Z");
        RoomEvent dated = RoomEvent.builder().roomId("room-1").createdAt(given)
                .source(new EventSource("ws-a", ChannelType.WEBSOCKET, "alice")).content(new TextContent("hi")).build();

        assertThat(RandomIds.epochMillis(event.id())).isEqualTo(event.createdAt().toEpochMilli());
        assertThat(dated.createdAt()).isEqualTo(given);
        assertThat(RandomIds.epochMillis(dated.id())).isGreaterThan(given.toEpochMilli());
        assertThat(event.id()).matches("[0-9a-f]{32}");
    }

    private static Map.Entry<String, Object> entry(String key, Object value) {
        return new java.util.AbstractMap.SimpleEntry<>(key, value);
    }
}
