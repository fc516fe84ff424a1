package io.roomkit.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A small STOMP 1.2 client on the JDK's WebSocket: CONNECT with a login header and no heartbeats, SUBSCRIBE,
 * SEND, and MESSAGE frames handed to a {@link Handler} with their subscription id and body. Light enough that
 * thousands of them fit in one JVM, and cheap per frame, so that the load tool measures the server rather than
 * its clients. Sends are chained, because a JDK WebSocket takes one send at a time.
 */
final class StompConnection implements WebSocket.Listener {

    /** What the load tool does with incoming frames. */
    interface Handler {

        void onMessage(StompConnection connection, String subscription, String body, long receivedNanos);

        void onError(StompConnection connection, String frame);

        void onClosed(StompConnection connection, String reason);
    }

    private final int index;
    private final String login;
    private final Handler handler;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);
    private volatile boolean closed;

    private StompConnection(int index, String login, Handler handler) {
        this.index = index;
        this.login = login;
        this.handler = handler;
    }

    /** Opens the WebSocket and completes once the server answered CONNECT with CONNECTED. */
    static CompletableFuture<StompConnection> open(HttpClient http, URI uri, int index, String login,
            Handler handler, Duration timeout) {
        StompConnection connection = new StompConnection(index, login, handler);
        return http.newWebSocketBuilder().connectTimeout(timeout).buildAsync(uri, connection).thenCompose(socket -> {
            connection.socket = socket;
            connection.send("CONNECT\naccept-version:1.2\nhost:127.0.0.1\nlogin:" + login + "\nheart-beat:0,0\n\n");
            return connection.connected;
        }).orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).thenApply(done -> connection);
    }

    int index() {
        return index;
    }

    String login() {
        return login;
    }

    boolean isClosed() {
        return closed;
    }

    void subscribe(String id, String destination) {
        send("SUBSCRIBE\nid:" + id + "\ndestination:" + destination + "\nack:auto\n\n");
    }

    void sendJson(String destination, String json) {
        send("SEND\ndestination:" + destination + "\ncontent-type:application/json\n\n" + json);
    }

    /** Sends a frame (the NUL terminator is added) after the previous send has completed. */
    void send(String frame) {
        String text = frame + '\u0000';
        synchronized (this) {
            lastSend = lastSend.handle((ignored, failure) -> null)
                    .thenCompose(ignored -> closed ? CompletableFuture.completedFuture(null)
                            : socket.sendText(text, true))
                    .whenComplete((ignored, failure) -> {
                        if (failure != null && !closed) {
                            handler.onError(this, "send failed: " + failure);
                        }
                    });
        }
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        WebSocket current = socket;
        if (current != null) {
            synchronized (this) {
                lastSend = lastSend.handle((ignored, failure) -> null)
                        .thenCompose(ignored -> current.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
            }
        }
    }

    /** Drops the connection without a closing handshake. */
    void abort() {
        closed = true;
        WebSocket current = socket;
        if (current != null) {
            current.abort();
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        long received = System.nanoTime();
        if (partial.length() == 0 && last) {
            frame(data.toString(), received);
        }
        else {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                frame(text, received);
            }
        }
        webSocket.request(1);
        return null;
    }

    private void frame(String text, long received) {
        int end = text.indexOf('\n');
        if (end <= 0) {
            return; // a heartbeat
        }
        String command = text.substring(0, end);
        int headersEnd = text.indexOf("\n\n", end);
        int bodyStart = headersEnd < 0 ? text.length() : headersEnd + 2;
        int bodyEnd = text.indexOf('\u0000', bodyStart);
        String body = text.substring(bodyStart, bodyEnd < 0 ? text.length() : bodyEnd);
        switch (command) {
            case "MESSAGE" -> handler.onMessage(this, header(text, "subscription", bodyStart), body, received);
            case "CONNECTED" -> connected.complete(null);
            case "ERROR" -> {
                handler.onError(this, text.substring(0, Math.min(text.length(), 400)));
                connected.completeExceptionally(new IllegalStateException("STOMP ERROR: " + text));
            }
            default -> {
            }
        }
    }

    private static String header(String frame, String name, int limit) {
        String key = "\n" + name + ":";
        int start = frame.indexOf(key);
        if (start < 0 || start > limit) {
            return null;
        }
        start += key.length();
        int end = frame.indexOf('\n', start);
        return frame.substring(start, end < 0 ? frame.length() : end);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        boolean expected = closed;
        closed = true;
        connected.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
        if (!expected) {
            handler.onClosed(this, statusCode + " " + reason);
        }
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        boolean expected = closed;
        closed = true;
        connected.completeExceptionally(error);
        if (!expected) {
            handler.onClosed(this, "error " + error);
        }
    }
}
