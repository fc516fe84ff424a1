package io.roomkit.spring.cluster;

import io.roomkit.spring.jpa.PostgresSchemaAccess;
import io.roomkit.spring.stomp.StompTestClient;
import io.roomkit.spring.test.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.roomkit.spring.stomp.StompTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browser's request/reply and error handling on a node that relays to RabbitMQ behave as on the simple
 * broker: UNSUBSCRIBE of the history request (or of any id the broker never saw) keeps the session, and errors
 * reach the tab that sent the frame.
 */
class RelaySessionTest {

    private static PostgresSchemaAccess schema;
    private static ClusterNode node;

    private final List<StompTestClient> clients = new ArrayList<>();
    private final String room = "relay-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startNode() {
        TestServices.requirePostgres();
        TestServices.requireRabbitStomp();
        schema = PostgresSchemaAccess.create();
        node = ClusterNode.start(schema.url());
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
        if (schema != null) {
            schema.close();
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(StompTestClient::close);
    }

    private StompTestClient connect(String user) throws Exception {
        StompTestClient client = StompTestClient.connect(node.port(), user);
        clients.add(client);
        return client;
    }

    private String app(String action) {
        return "/app/rooms." + room + "." + action;
    }

    /** Takes the history reply and unsubscribes, as the README's and the sample's browser code does. */
    private Map<String, Object> history(StompTestClient client) throws InterruptedException {
        BlockingQueue<Map<String, Object>> reply = new LinkedBlockingQueue<>();
        StompSession.Subscription subscription = client.subscribe(app("history"), reply);
        Map<String, Object> page = await(reply, any -> true);
        subscription.unsubscribe();
        return page;
    }

    @Test
    void historyRequestAndReplyWithUnsubscribeKeepsTheSession() throws Exception {
        StompTestClient alice = connect("alice-" + room);
        BlockingQueue<Map<String, Object>> events = alice.subscribe("/topic/rooms." + room + ".events");
        for (int i = 0; i < 3; i++) {
            assertThat(history(alice)).containsEntry("room_id", room);
        }
        StompSession.Subscription stray = alice.session().subscribe(app("history"), new NoFrames());
        alice.session().send(app("nope"), Map.of());
        assertThat(alice.nextError()).containsEntry("code", "unknown_destination");
        stray.unsubscribe();

        awaitDelivery(alice, events, "after three history requests");
        assertThat(alice.isConnected()).isTrue();
    }

    @Test
    void errorsReachTheTabThatSentTheFrame() throws Exception {
        StompTestClient firstTab = connect("bob-" + room);
        StompTestClient secondTab = connect("bob-" + room);
        history(firstTab);
        history(secondTab);

        for (int i = 0; i < 10; i++) {
            firstTab.sendRaw(app("messages"), "{\"n\": " + i + "}");
        }
        secondTab.sendRaw(app("typing"), "{}");

        for (int i = 0; i < 10; i++) {
            assertThat(firstTab.nextError()).containsEntry("destination", app("messages"));
        }
        assertThat(secondTab.nextError()).containsEntry("destination", app("typing"));
        history(firstTab);
        history(secondTab);
        assertThat(firstTab.errorQueue()).isEmpty();
        assertThat(secondTab.errorQueue()).isEmpty();
    }

    /**
     * Sends messages until one arrives: RabbitMQ binds a new topic subscription asynchronously, so the first
     * message may be published before the binding exists.
     */
    private void awaitDelivery(StompTestClient client, BlockingQueue<Map<String, Object>> events, String text)
            throws InterruptedException {
        for (int attempt = 0; attempt < 50; attempt++) {
            client.send(app("messages"), Map.of("content", text + " " + attempt));
            Map<String, Object> event = events.poll(200, TimeUnit.MILLISECONDS);
            if (event != null) {
                return;
            }
        }
        throw new AssertionError("no message reached the topic subscription");
    }

    /** A handler for a subscription whose frames do not matter. */
    private static final class NoFrames implements StompFrameHandler {

        @Override
        public Type getPayloadType(StompHeaders headers) {
            return Map.class;
        }

        @Override
        public void handleFrame(StompHeaders headers, Object payload) {
        }
    }
}
