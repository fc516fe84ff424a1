package io.roomkit.spring.stomp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;

import static io.roomkit.spring.stomp.Frames.history;

/**
 * A room of the typing tests: bob watches its ephemeral topic (subscribed before alice connects), alice types.
 * Names are new for each test, so tests of one context do not see each other's events.
 */
abstract class TypingRoomFixture {

    @LocalServerPort
    int port;

    private final List<StompTestClient> clients = new ArrayList<>();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    final String room = "room-" + suffix;
    final String alice = "alice-" + suffix;
    BlockingQueue<Map<String, Object>> observed;
    private StompTestClient aliceClient;

    @BeforeEach
    void connect() throws Exception {
        StompTestClient bob = StompTestClient.connect(port, "bob-" + suffix);
        clients.add(bob);
        observed = bob.subscribe("/topic/rooms." + room + ".ephemeral");
        history(bob, "/app/rooms." + room + ".history");
        aliceClient = StompTestClient.connect(port, alice);
        clients.add(aliceClient);
    }

    @AfterEach
    void disconnect() {
        clients.forEach(StompTestClient::close);
    }

    /** Alice's typing frame. */
    void typing(boolean typing) {
        aliceClient.send("/app/rooms." + room + ".typing", Map.of("typing", typing));
    }
}
