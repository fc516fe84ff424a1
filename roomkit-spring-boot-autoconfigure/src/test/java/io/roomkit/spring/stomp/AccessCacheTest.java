package io.roomkit.spring.stomp;

import io.roomkit.RoomKit;
import io.roomkit.model.ParticipantRole;
import io.roomkit.spring.stomp.app.StompTestApplication;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
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

import static io.roomkit.spring.stomp.Frames.is;
import static io.roomkit.spring.stomp.OpenRoomsStompTestSupport.sync;
import static io.roomkit.spring.stomp.StompTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Access decisions are remembered per session and room (the JPA store is not asked for every typing frame), and
 * forgotten as soon as the user's membership changes: once a removed or banned user's sessions have been told
 * that their subscriptions ended, the very next frame is checked again and refused. Each test first has Alice's
 * session send a typing frame that the room receives, so that her write access is remembered before it is taken.
 */
@SpringBootTest(classes = StompTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "roomkit.websocket.trust-client-login=true",
                "spring.jpa.properties.hibernate.generate_statistics=true" })
class AccessCacheTest {

    @LocalServerPort
    int port;

    @Autowired
    RoomKit kit;

    @Autowired
    EntityManagerFactory entityManagerFactory;

    private final List<StompTestClient> clients = new ArrayList<>();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String room = "room-" + suffix;
    private final String aliceName = "alice-" + suffix;
    private final String carolName = "carol-" + suffix;
    private StompTestClient alice;
    private BlockingQueue<Map<String, Object>> carolSees;

    @BeforeEach
    void aliceTypesInTheRoomCarolReads() throws Exception {
        kit.createRoom(room);
        kit.addParticipant(room, carolName, ParticipantRole.OWNER);
        kit.addParticipant(room, aliceName, ParticipantRole.MEMBER);
        StompTestClient carol = connect(carolName);
        carolSees = carol.subscribe(topic("ephemeral"));
        sync(carol, room);
        alice = connect(aliceName);
        alice.subscribe(topic("ephemeral"));
        alice.subscribe(topic("events"));
        sync(alice, room);
        typing(alice, true);
        await(carolSees, is("typing_start", aliceName));
    }

    @AfterEach
    void disconnect() {
        clients.forEach(StompTestClient::close);
    }

    @Test
    void aRemovalRevokesTheRememberedAccessForTheNextFrame() throws Exception {
        kit.removeParticipant(room, aliceName);
        assertSubscriptionsEnded("not_authorized");

        typing(alice, false);

        assertThat(alice.nextError()).containsEntry("code", "not_authorized")
                .containsEntry("destination", app("typing"));
    }

    @Test
    void aBanRevokesTheRememberedAccessForTheNextFrame() throws Exception {
        kit.banParticipant(room, aliceName, "spam");
        assertSubscriptionsEnded("banned");

        typing(alice, false);

        assertThat(alice.nextError()).containsEntry("code", "banned").containsEntry("destination", app("typing"));
    }

    @Test
    void aRefusalIsNotRememberedSoAUserAddedLaterGetsIn() throws Exception {
        String daveName = "dave-" + suffix;
        StompTestClient dave = connect(daveName);
        typing(dave, true);
        assertThat(dave.nextError()).containsEntry("code", "not_authorized");

        kit.addParticipant(room, daveName, ParticipantRole.MEMBER);
        typing(dave, true);

        await(carolSees, is("typing_start", daveName));
    }

    @Test
    void typingFramesAfterTheFirstIssueNoSqlOnTheJpaStore() throws Exception {
        Statistics statistics = entityManagerFactory.unwrap(SessionFactory.class).getStatistics();
        typing(alice, false);
        await(carolSees, is("typing_stop", aliceName));
        statistics.clear();

        for (int i = 0; i < 10; i++) {
            typing(alice, true);
            await(carolSees, is("typing_start", aliceName));
            typing(alice, false);
            await(carolSees, is("typing_stop", aliceName));
        }

        assertThat(statistics.getPrepareStatementCount()).as("SQL statements for 20 typing frames").isZero();
    }

    /** Alice's two subscriptions to the room were ended with {@code code}: the node has heard the notice. */
    private void assertSubscriptionsEnded(String code) throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            assertThat(alice.nextError()).containsEntry("code", code);
        }
    }

    private StompTestClient connect(String login) throws Exception {
        StompTestClient client = StompTestClient.connect(port, login);
        clients.add(client);
        return client;
    }

    private void typing(StompTestClient client, boolean typing) {
        client.send(app("typing"), Map.of("typing", typing));
    }

    private String app(String action) {
        return "/app/rooms." + room + "." + action;
    }

    private String topic(String kind) {
        return "/topic/rooms." + room + "." + kind;
    }
}
