package io.roomkit.spring.stomp;

/**
 * Where the STOMP broker relay connects ({@code roomkit.websocket.relay.*}); the auto-configuration's properties
 * provide it, so the protocol code does not depend on them.
 */
public interface StompRelaySettings {

    /** Whether the relay is used instead of the simple broker. */
    boolean enabled();

    String host();

    int port();

    String login();

    String passcode();

    String virtualHost();
}
