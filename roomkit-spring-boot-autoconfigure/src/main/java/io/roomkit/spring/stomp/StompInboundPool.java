package io.roomkit.spring.stomp;

import java.time.Duration;

/**
 * The size of the pool that runs client frames ({@code roomkit.websocket.inbound.*}), defaults resolved; the
 * auto-configuration's properties provide it.
 */
public interface StompInboundPool {

    int effectiveCoreThreads();

    int effectiveMaxThreads();

    int queueCapacity();

    Duration keepAlive();
}
