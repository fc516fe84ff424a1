package io.roomkit.spring.stomp;

/**
 * The rates a {@link StompRateLimiter} allows a user ({@code roomkit.websocket.limits.*}); the
 * auto-configuration's properties provide it.
 */
public interface StompRateLimits {

    /** Whether frames are limited at all. */
    boolean enabled();

    double messagesPerSecond();

    int messagesBurst();

    double ephemeralPerSecond();

    int ephemeralBurst();

    double historyPerSecond();

    int historyBurst();

    int subscriptionsPerSession();

    int roomsPerMinute();
}
