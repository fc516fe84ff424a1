package io.roomkit.spring.presence;

import io.roomkit.RoomKit;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The trackers without a server: races and floods that a STOMP client cannot produce on demand. */
class PresenceAndTypingUnitTest {

    private final RoomKit kit = new RoomKit();
    private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    private final List<EphemeralEvent> seen = new CopyOnWriteArrayList<>();

    PresenceAndTypingUnitTest() {
        scheduler.initialize();
        kit.subscribeRoom("room-1", seen::add);
    }

    @AfterEach
    void close() {
        scheduler.shutdown();
        kit.close();
    }

    @Test
    void aSubscribeQueuedBehindTheDisconnectDoesNotReviveTheSession() throws Exception {
        TypingTracker typing = new TypingTracker(kit, scheduler, Duration.ofSeconds(10));
        PresenceTracker presence = new PresenceTracker(kit, typing);
        presence.subscribed("s1", "sub-1", "alice", "room-1");

        presence.disconnect("s1");
        presence.subscribed("s1", "sub-2", "alice", "room-1");
        kit.publishPresence("room-1", "marker", "online");

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream().anyMatch(e -> e.userId().equals("marker")));
        assertThat(seen).filteredOn(e -> e.userId().equals("alice")).extracting(EphemeralEvent::type)
                .containsExactly(EphemeralEventType.PRESENCE_ONLINE, EphemeralEventType.PRESENCE_OFFLINE);
        assertThat(presence.isPresent("alice", "room-1")).isFalse();
    }

    @Test
    void aFloodOfTypingFramesPublishesOneStart() {
        TypingTracker typing = new TypingTracker(kit, scheduler, Duration.ofSeconds(10));

        for (int i = 0; i < 1000; i++) {
            typing.start("room-1", "alice");
        }
        kit.publishPresence("room-1", "marker", "online");

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream().anyMatch(e -> e.userId().equals("marker")));
        assertThat(seen).filteredOn(e -> e.type() == EphemeralEventType.TYPING_START).hasSize(1);
        assertThat(typing.isTyping("room-1", "alice")).isTrue();
    }
}
