package io.roomkit.spring.stomp;

import io.roomkit.RoomKit;
import io.roomkit.model.EventQuery;
import io.roomkit.model.RoomEvent;
import io.roomkit.spring.stomp.app.StompTestApplication;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.function.Predicate;

import static io.roomkit.spring.stomp.StompTestClient.await;

/**
 * One shared server (the same configuration as {@link StompProtocolTest}, so Spring reuses its context) with
 * trusted logins and open rooms; every test gets a fresh room and fresh user names.
 */
@SpringBootTest(classes = StompTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "roomkit.websocket.trust-client-login=true", "roomkit.websocket.open-rooms=true",
                "roomkit.typing.timeout=1s" })
abstract class OpenRoomsStompTestSupport {

    @LocalServerPort
    int port;

    @Autowired
    RoomKit kit;

    private final List<StompTestClient> clients = new ArrayList<>();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    final String room = "room-" + suffix;

    @AfterEach
    void disconnectClients() {
        clients.forEach(StompTestClient::close);
    }

    /** A user name unique to this test. */
    String user(String name) {
        return name + "-" + suffix;
    }

    StompTestClient connect(String userName) throws Exception {
        StompTestClient client = StompTestClient.connect(port, userName);
        clients.add(client);
        return client;
    }

    StompTestClient connectRaw(String userName) throws Exception {
        StompTestClient client = StompTestClient.connectRaw(port, userName);
        clients.add(client);
        return client;
    }

    String events() {
        return "/topic/rooms." + room + ".events";
    }

    String ephemeral() {
        return "/topic/rooms." + room + ".ephemeral";
    }

    String app(String action) {
        return "/app/rooms." + room + "." + action;
    }

    /** Waits for the history reply, so that every frame this client sent before has been handled. */
    static Map<String, Object> sync(StompTestClient client, String roomId) throws InterruptedException {
        return await(client.subscribe("/app/rooms." + roomId + ".history"), reply -> true);
    }

    Map<String, Object> sync(StompTestClient client) throws InterruptedException {
        return sync(client, room);
    }

    /** Sends a message and waits until it arrives on {@code events}; returns its JSON. */
    Map<String, Object> post(StompTestClient sender, BlockingQueue<Map<String, Object>> events, String text)
            throws InterruptedException {
        sender.send(app("messages"), Map.of("content", text));
        return awaitText(events, text);
    }

    static Map<String, Object> awaitText(BlockingQueue<Map<String, Object>> events, String text)
            throws InterruptedException {
        return await(events, text(text));
    }

    List<RoomEvent> stored() {
        return kit.getRoom(room).isPresent() ? kit.events(room, EventQuery.latest(200)) : List.of();
    }

    /** Everything that arrives up to and including the first message matching {@code last}. */
    static List<Map<String, Object>> collectUntil(BlockingQueue<Map<String, Object>> queue,
            Predicate<Map<String, Object>> last) throws InterruptedException {
        List<Map<String, Object>> received = new ArrayList<>();
        await(queue, message -> {
            received.add(message);
            return last.test(message);
        });
        return received;
    }

    static Predicate<Map<String, Object>> text(String body) {
        return event -> "message".equals(event.get("type")) && event.get("content") instanceof Map<?, ?> content
                && body.equals(content.get("body"));
    }

    static List<Map<String, Object>> drain(BlockingQueue<Map<String, Object>> queue) {
        List<Map<String, Object>> drained = new ArrayList<>();
        queue.drainTo(drained);
        return drained;
    }
}
