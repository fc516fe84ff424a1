package io.roomkit.spring.presence;

/**
 * Who is typing where, for the {@link TypingTracker}: in this process, or in Redis for a cluster so that a
 * renewal or a stop on one node disarms the expiry armed on another.
 */
public interface TypingState {

    /** Marks the user typing and returns a token that names this start. */
    String arm(String roomId, String userId);

    /** Clears the mark if it is still the one {@code token} named; true when it did. */
    boolean disarmIf(String roomId, String userId, String token);

    /** Clears the mark; true when there was one. */
    boolean disarm(String roomId, String userId);

    boolean isArmed(String roomId, String userId);
}
