package io.roomkit.channel;

import io.roomkit.model.RoomEvent;

/** One live connection of a {@link WebSocketChannel}: a browser tab, a device. */
@FunctionalInterface
public interface ConnectionSink {

    /** Sends a stored event to the connection. Throwing counts as a failed delivery to this connection. */
    void send(RoomEvent event) throws Exception;
}
