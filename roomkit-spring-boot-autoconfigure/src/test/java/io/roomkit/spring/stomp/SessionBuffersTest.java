package io.roomkit.spring.stomp;

import io.roomkit.spring.stomp.app.StompTestApplication;
import jakarta.websocket.WebSocketContainer;
import jakarta.websocket.server.ServerContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.context.WebApplicationContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-connection buffers far smaller than a frame ({@code roomkit.websocket.buffers.text-size} and
 * {@code binary-size} = 64): every frame a real client sends, from CONNECT to a message of 16,000 three-byte
 * characters, arrives in parts that the frame joiner puts together, so the protocol works unchanged; the
 * container keeps Tomcat's usual whole-message sizes for other endpoints although its I/O buffers are small.
 */
@SpringBootTest(classes = StompTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "roomkit.websocket.trust-client-login=true", "roomkit.websocket.open-rooms=true",
                "roomkit.websocket.buffers.text-size=64", "roomkit.websocket.buffers.binary-size=64",
                // the transport is under test: no cold database start racing the access check's timeout
                "roomkit.store.type=memory" })
class SessionBuffersTest {

    @LocalServerPort
    int port;

    @Autowired
    WebApplicationContext context;

    private final List<StompTestClient> clients = new ArrayList<>();
    private final String room = "room-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void disconnect() {
        clients.forEach(StompTestClient::close);
    }

    @Test
    void tomcatsIoBuffersAreSmallAndOtherEndpointsKeepTheUsualWholeMessageSizes() {
        WebSocketContainer container = (WebSocketContainer) context.getServletContext()
                .getAttribute(ServerContainer.class.getName());

        assertThat(System.getProperty(TomcatWebSocketIoBuffers.TOMCAT_PROPERTY)).isNotNull();
        assertThat(container.getDefaultMaxTextMessageBufferSize()).isEqualTo(WebSocketContainerBuffers.TOMCAT_DEFAULT);
        assertThat(container.getDefaultMaxBinaryMessageBufferSize())
                .isEqualTo(WebSocketContainerBuffers.TOMCAT_DEFAULT);
    }

    @Test
    void framesMuchLargerThanTheBuffersArriveWhole() throws Exception {
        for (boolean raw : new boolean[] { false, true }) {
            StompTestClient alice = connect("alice", raw);
            // one after the other: the first to use the open room creates it
            StompTestClient.await(alice.subscribe("/app/rooms." + room + ".history"), reply -> true);
            StompTestClient bob = connect("bob", raw);
            BlockingQueue<Map<String, Object>> bobEvents = bob.subscribe("/topic/rooms." + room + ".events");
            StompTestClient.await(bob.subscribe("/app/rooms." + room + ".history"), reply -> true);
            assertThat(bob.errorQueue()).isEmpty();
            String text = (raw ? "字" : "中").repeat(ClientPayloads.MAX_TEXT);

            alice.send("/app/rooms." + room + ".messages", Map.of("content", text));

            Map<String, Object> event = StompTestClient.await(bobEvents,
                    frame -> frame.get("content") instanceof Map<?, ?> content && text.equals(content.get("body")));
            assertThat(event.get("room_id")).isEqualTo(room);
            assertThat(alice.isConnected()).isTrue();
            assertThat(alice.errorQueue()).isEmpty();
        }
    }

    private StompTestClient connect(String name, boolean raw) throws Exception {
        String user = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        StompTestClient client = raw ? StompTestClient.connectRaw(port, user) : StompTestClient.connect(port, user);
        clients.add(client);
        return client;
    }
}
