package io.roomkit.spring.stomp;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** STOMP typed by hand on a plain WebSocket, for frames a well-behaved client library would not send. */
final class RawStompSocket {

    private final BlockingQueue<String> received;
    private final WebSocketSession session;

    private RawStompSocket(BlockingQueue<String> received, WebSocketSession session) {
        this.received = received;
        this.session = session;
    }

    /** Opens the socket and sends CONNECT with the login header (no heartbeats). */
    static RawStompSocket connect(int port, String login) throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        WebSocketSession session = new StandardWebSocketClient().execute(new TextWebSocketHandler() {
            @Override
            protected void handleTextMessage(WebSocketSession session, TextMessage message) {
                received.add(message.getPayload());
            }

            @Override
            public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
                received.add("closed " + status.getCode());
            }
        }, "ws://localhost:" + port + "/roomkit/ws").get(StompTestClient.WAIT.toSeconds(), TimeUnit.SECONDS);
        session.setTextMessageSizeLimit(1024 * 1024);
        RawStompSocket socket = new RawStompSocket(received, session);
        socket.sendFrame("CONNECT\naccept-version:1.2\nheart-beat:0,0\nlogin:" + login + "\n\n");
        return socket;
    }

    /** Sends one frame (the terminating NUL is added); a server that closes the socket meanwhile shows in {@link #next}. */
    void sendFrame(String frame) throws Exception {
        try {
            session.sendMessage(new TextMessage(frame + "\u0000"));
        }
        catch (IOException | IllegalStateException closed) {
            received.add("send failed");
        }
    }

    /** Everything received until the server closed the socket, the close included. */
    List<String> untilClosed() throws InterruptedException {
        List<String> frames = new ArrayList<>();
        do {
            frames.add(next());
        }
        while (!frames.get(frames.size() - 1).startsWith("closed"));
        return frames;
    }

    /** The next frame received, or {@code "closed <code>"} once the server closed the socket. */
    String next() throws InterruptedException {
        String next = received.poll(StompTestClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(next).as("a frame or the close within " + StompTestClient.WAIT).isNotNull();
        return next;
    }
}
