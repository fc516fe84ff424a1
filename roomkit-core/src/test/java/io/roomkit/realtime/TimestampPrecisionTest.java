package io.roomkit.realtime;

import io.roomkit.model.EventSource;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TimestampPrecisionTest {

    private static final Instant NANOS = Instant.parse("2026-11-25T15:22:01.123456789Z");

    @Test
    void ephemeralEventsWithNanosecondTimestampsSurviveTheWire() {
        EphemeralEvent event = new EphemeralEvent("0123456789abcdef0123456789abcdef", "room-1",
                EphemeralEventType.CUSTOM, "alice", null, Map.of(), NANOS);

        assertThat(event.timestamp()).isEqualTo(Instant.parse("2026-11-25T15:22:01.123456Z"));
        assertThat(EphemeralEvent.fromMap(event.toMap())).isEqualTo(event);
    }

    @Test
    void roomEventsWithNanosecondTimestampsSurviveTheWire() {
        RoomEvent event = RoomEvent.builder().roomId("room-1").source(new EventSource("ws-alice", null, "alice"))
                .content(new TextContent("hi")).createdAt(NANOS).build();

        assertThat(RoomEvent.fromMap(event.toMap())).isEqualTo(event);
    }
}
