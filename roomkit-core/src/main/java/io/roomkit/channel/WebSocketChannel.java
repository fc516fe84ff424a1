package io.roomkit.channel;

import io.roomkit.model.ChannelBinding;
import io.roomkit.model.ChannelType;
import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;
import io.roomkit.pipeline.NonBlocking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The channel of one WebSocket user ({@code ws-<user>} by convention). Its {@link #deliver} hands each event
 * to every connection registered with {@link #connect}; a connection that fails
 * {@value #MAX_CONSECUTIVE_FAILURES} times in a row is dropped so that a dead socket cannot pile up work.
 */
public class WebSocketChannel implements Channel {

    /** Failures in a row after which a connection is dropped. */
    public static final int MAX_CONSECUTIVE_FAILURES = 3;

    private static final Logger log = LoggerFactory.getLogger(WebSocketChannel.class);

    private final String id;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();

    public WebSocketChannel(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ChannelType type() {
        return ChannelType.WEBSOCKET;
    }

    @Override
    public ChannelCapabilities capabilities() {
        return ChannelCapabilities.full();
    }

    /** Registers (or replaces) a connection under {@code connectionId}. */
    public void connect(String connectionId, ConnectionSink sink) {
        connections.put(connectionId, new Connection(sink));
    }

    /** Removes a connection; {@code false} if it was not registered. */
    public boolean disconnect(String connectionId) {
        return connections.remove(connectionId) != null;
    }

    public int connectionCount() {
        return connections.size();
    }

    /**
     * Whether every connection's sink is {@link NonBlocking} (it only queues the event), so that the pipeline
     * may deliver to this channel on the writer's thread.
     */
    public boolean connectionsAreNonBlocking() {
        return connections.values().stream().allMatch(connection -> connection.sink instanceof NonBlocking);
    }

    @Override
    public void deliver(RoomEvent event, ChannelBinding binding, RoomContext context) {
        connections.forEach((connectionId, connection) -> {
            try {
                connection.sink.send(event);
                connection.failures.set(0);
            }
            catch (Exception ex) {
                int failures = connection.failures.incrementAndGet();
                log.warn("Delivery of event {} to connection {} of channel {} failed ({} in a row)", event.id(),
                        connectionId, id, failures, ex);
                if (failures >= MAX_CONSECUTIVE_FAILURES) {
                    connections.remove(connectionId, connection);
                }
            }
        });
    }

    @Override
    public void close() {
        connections.clear();
    }

    private record Connection(ConnectionSink sink, AtomicInteger failures) {

        Connection(ConnectionSink sink) {
            this(sink, new AtomicInteger());
        }
    }
}
