package io.roomkit.spring.stomp;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKitException;

import java.time.Duration;

/**
 * A client went over one of its {@link StompLimit}s: code {@code rate_limited}, nothing was done. Thrown by the
 * room-creation limit from inside the access check, and turned by the STOMP interceptor into an error on
 * {@code /user/queue/errors} with {@code retry_after_ms}.
 */
public class RateLimitedException extends RoomKitException {

    private final StompLimit limit;
    private final Duration retryAfter;

    public RateLimitedException(StompRateLimiter.Refusal refusal) {
        super(ErrorCodes.RATE_LIMITED, refusal.message());
        this.limit = refusal.limit();
        this.retryAfter = refusal.retryAfter();
    }

    /** Which limit refused the frame. */
    public StompLimit limit() {
        return limit;
    }

    /** The wait after which the same frame would be accepted; {@code null} when waiting does not help. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** The refusal again, to report it like the interceptor's own. */
    public StompRateLimiter.Refusal refusal() {
        return new StompRateLimiter.Refusal(limit, retryAfter, getMessage());
    }
}
