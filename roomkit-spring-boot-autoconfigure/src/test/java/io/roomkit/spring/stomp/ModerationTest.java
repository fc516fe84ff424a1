package io.roomkit.spring.stomp;

import io.roomkit.RoomKit;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventType;
import io.roomkit.model.ParticipantRole;
import io.roomkit.model.RoomEvent;
import io.roomkit.spring.stomp.app.StompTestApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.function.Predicate;

import static io.roomkit.spring.stomp.OpenRoomsStompTestSupport.sync;
import static io.roomkit.spring.stomp.OpenRoomsStompTestSupport.text;
import static io.roomkit.spring.stomp.StompTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Moderation over STOMP ({@code /app/rooms.{roomId}.moderate}) from the owner's session: kick, ban, unban, mute
 * and unmute; a member cannot moderate; the membership events are in the timeline and its history.
 */
@SpringBootTest(classes = StompTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "roomkit.websocket.trust-client-login=true")
class ModerationTest {

    @LocalServerPort
    int port;

    @Autowired
    RoomKit kit;

    private final List<StompTestClient> clients = new ArrayList<>();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String room = "room-" + suffix;
    private final String ownerName = "owner-" + suffix;
    private final String bobName = "bob-" + suffix;
    private final String carolName = "carol-" + suffix;
    private StompTestClient owner;
    private BlockingQueue<Map<String, Object>> ownerEvents;
    private StompTestClient bob;
    private StompTestClient carol;

    @BeforeEach
    void ownerBobAndCarolAreInTheRoom() throws Exception {
        kit.createRoom(room);
        kit.addParticipant(room, ownerName, ParticipantRole.OWNER);
        kit.addParticipant(room, bobName, ParticipantRole.MEMBER);
        kit.addParticipant(room, carolName, ParticipantRole.MEMBER);
        owner = connect(ownerName);
        ownerEvents = owner.subscribe(topic("events"));
        sync(owner, room);
        bob = connect(bobName);
        bob.subscribe(topic("events"));
        sync(bob, room);
        carol = connect(carolName);
        sync(carol, room);
    }

    @AfterEach
    void disconnect() {
        clients.forEach(StompTestClient::close);
    }

    @Test
    void theOwnerKicksAMember() throws Exception {
        owner.send(app("moderate"), Map.of("action", "kick", "user_id", bobName, "reason", "off topic"));

        Map<String, Object> event = await(ownerEvents, system("participant_removed"));
        assertThat(data(event)).containsEntry("user_id", bobName).containsEntry("by", ownerName)
                .containsEntry("reason", "off topic");
        assertThat(bob.nextError()).containsEntry("code", "not_authorized")
                .containsEntry("destination", topic("events"));
        assertThat(kit.getParticipant(room, bobName)).isEmpty();
        assertThat(kit.isBanned(room, bobName)).isFalse();
    }

    @Test
    void theOwnerBansAndUnbansAMember() throws Exception {
        owner.send(app("moderate"), Map.of("action", "ban", "user_id", bobName, "reason", "spam"));

        assertThat(data(await(ownerEvents, system("participant_banned")))).containsEntry("user_id", bobName)
                .containsEntry("reason", "spam");
        assertThat(bob.nextError()).containsEntry("code", "banned");
        assertThat(kit.getBan(room, bobName)).hasValueSatisfying(ban -> {
            assertThat(ban.reason()).isEqualTo("spam");
            assertThat(ban.bannedBy()).isEqualTo(ownerName);
        });
        bob.send(app("messages"), Map.of("content", "let me back"));
        assertThat(bob.nextError()).containsEntry("code", "banned");

        owner.send(app("moderate"), Map.of("action", "unban", "user_id", bobName));

        assertThat(data(await(ownerEvents, system("participant_unbanned")))).containsEntry("user_id", bobName);
        assertThat(kit.isBanned(room, bobName)).isFalse();
    }

    @Test
    void theOwnerMutesAndUnmutesAMember() throws Exception {
        owner.send(app("moderate"), Map.of("action", "mute", "user_id", carolName));
        sync(owner, room);

        carol.send(app("messages"), Map.of("content", "can anyone hear me?"));
        assertThat(carol.nextError()).containsEntry("code", "source_muted");

        owner.send(app("moderate"), Map.of("action", "unmute", "user_id", carolName));
        sync(owner, room);
        carol.send(app("messages"), Map.of("content", "back again"));

        await(ownerEvents, text("back again"));
        assertThat(carol.errorQueue()).isEmpty();
    }

    @Test
    void aMemberCannotModerate() throws Exception {
        bob.send(app("moderate"), Map.of("action", "kick", "user_id", carolName));
        assertThat(bob.nextError()).containsEntry("code", "not_authorized")
                .containsEntry("destination", app("moderate"));
        bob.send(app("moderate"), Map.of("action", "ban", "user_id", ownerName));
        assertThat(bob.nextError()).containsEntry("code", "not_authorized");

        assertThat(kit.getParticipant(room, carolName)).isPresent();
        assertThat(kit.getParticipant(room, ownerName)).isPresent();
        assertThat(kit.events(room, EventQuery.latest(50))).noneMatch(event -> event.type() == EventType.SYSTEM);
    }

    @Test
    void badModerationFramesAreRefused() throws Exception {
        owner.send(app("moderate"), Map.of("action", "shout", "user_id", bobName));
        assertThat(owner.nextError()).containsEntry("code", "invalid_content");
        owner.send(app("moderate"), Map.of("action", "kick", "user_id", "nobody-" + suffix));
        assertThat(owner.nextError()).containsEntry("code", "participant_not_found");
        owner.send(app("moderate"), Map.of("action", "kick", "user_id", ownerName));
        assertThat(owner.nextError()).containsEntry("code", "invalid_argument");
    }

    @Test
    void historyShowsTheMembershipEvents() throws Exception {
        owner.send(app("moderate"), Map.of("action", "kick", "user_id", bobName));
        await(ownerEvents, system("participant_removed"));
        owner.send(app("moderate"), Map.of("action", "ban", "user_id", carolName));
        await(ownerEvents, system("participant_banned"));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> history = (List<Map<String, Object>>) sync(owner, room).get("events");

        assertThat(history).filteredOn(event -> "system".equals(event.get("type")))
                .extracting(event -> (Object) ((Map<?, ?>) event.get("content")).get("code"))
                .containsExactly("participant_removed", "participant_banned");
        List<RoomEvent> stored = kit.events(room, EventQuery.latest(10));
        assertThat(stored).extracting(RoomEvent::index).containsExactly(0L, 1L);
    }

    private static Predicate<Map<String, Object>> system(String code) {
        return event -> "system".equals(event.get("type")) && event.get("content") instanceof Map<?, ?> content
                && code.equals(content.get("code"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Map<String, Object> event) {
        return (Map<String, Object>) ((Map<String, Object>) event.get("content")).get("data");
    }

    private StompTestClient connect(String user) throws Exception {
        StompTestClient client = StompTestClient.connect(port, user);
        clients.add(client);
        return client;
    }

    private String topic(String kind) {
        return "/topic/rooms." + room + "." + kind;
    }

    private String app(String action) {
        return "/app/rooms." + room + "." + action;
    }
}
