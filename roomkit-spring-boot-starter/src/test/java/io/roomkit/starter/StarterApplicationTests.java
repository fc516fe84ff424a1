package io.roomkit.starter;

import io.roomkit.RoomKit;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.EventQuery;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.InboundResult;
import io.roomkit.model.RoomEvent;
import io.roomkit.realtime.InMemoryRealtime;
import io.roomkit.spring.boot.RoomKitProperties;
import io.roomkit.store.InMemoryConversationStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A new user's application, end to end: starter, application.yml, annotated beans. */
@SpringBootTest
class StarterApplicationTests {

    @Autowired
    RoomKit kit;

    @Autowired
    RoomKitProperties properties;

    @Autowired
    SupportListeners listeners;

    @Autowired
    HealthEndpoint health;

    @Test
    void propertiesFromApplicationYmlShapeTheKit() {
        assertThat(kit.store()).isInstanceOf(InMemoryConversationStore.class);
        assertThat(kit.realtime()).isInstanceOfSatisfying(InMemoryRealtime.class,
                realtime -> assertThat(realtime.maxQueueSize()).isEqualTo(250));
        assertThat(properties.typing().timeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void listenersHooksAndChannelsWorkTogether() {
        kit.registerChannelIfAbsent(new WebSocketChannel("ws-alice"));

        kit.publishTyping("support", "alice", true);
        InboundResult shout = kit.processInbound(InboundMessage.text("ws-alice", "alice", "HELLO"), "support-7");
        kit.processInbound(InboundMessage.text("ws-alice", "alice", "this is urgent"), "support-7");

        await().atMost(Duration.ofSeconds(10)).until(() -> listeners.typing.contains("alice"));
        assertThat(shout.reason()).isEqualTo("no shouting");
        assertThat(listeners.escalations).hasSize(1);
        assertThat(kit.events("support-7", EventQuery.latest(10))).extracting(e -> e.content().plainText())
                .containsExactly("HELLO", "this is urgent", "An agent is on the way.");
        assertThat(kit.events("support-7", EventQuery.latest(10))).extracting(RoomEvent::index)
                .containsExactly(0L, 1L, 2L);
    }

    @Test
    void healthReportsRoomKit() {
        assertThat(health.healthForPath("roomkit").getStatus()).isEqualTo(Status.UP);
    }
}
