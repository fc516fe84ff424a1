package io.roomkit.spring.stomp;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The {@link RoomAccessPolicy}'s "allowed" answers, remembered per STOMP session, room and kind (read or write),
 * so that a session's typing, presence, reaction and read frames do not read the store each time (on JPA, a
 * query per keystroke). Refusals are never remembered: a user who is added later gets in with their next frame.
 * <p>
 * A decision is forgotten when the session ends, when the user's membership of the room changes (the kit's
 * membership notices, heard on every node: removed, banned, left, or an application's recheck), and at the
 * latest after the time to live, which bounds what a lost notice or a change the kit never announces (a
 * participant stored directly as inactive) can leave behind.
 * <p>
 * A policy answer that was asked for before a revocation and comes back after it is not remembered: every
 * revocation moves a generation on, and an answer is kept only if the generation it was asked under is still
 * current once it is stored.
 */
final class AccessDecisions {

    private final long ttlNanos;
    private final LongSupplier clock;
    private final AtomicLong generation = new AtomicLong();
    private final Map<String, SessionGrants> sessions = new ConcurrentHashMap<>();

    /** {@code ttl} zero remembers nothing. */
    AccessDecisions(Duration ttl) {
        this(ttl, System::nanoTime);
    }

    AccessDecisions(Duration ttl, LongSupplier clock) {
        this.ttlNanos = ttl.toNanos();
        this.clock = clock;
    }

    /** Remembers nothing: every frame asks the policy. */
    static AccessDecisions none() {
        return new AccessDecisions(Duration.ZERO);
    }

    /** The generation to pass to {@link #allow}, read before asking the policy. */
    long generation() {
        return generation.get();
    }

    /** Whether the session was allowed to read ({@code read}) or write the room, and still is as far as known. */
    boolean isAllowed(String sessionId, String roomId, boolean read) {
        if (ttlNanos <= 0 || sessionId == null) {
            return false;
        }
        SessionGrants grants = sessions.get(sessionId);
        if (grants == null) {
            return false;
        }
        Long expiry = grants.rooms.get(key(roomId, read));
        if (expiry == null) {
            return false;
        }
        if (clock.getAsLong() - expiry >= 0) {
            grants.rooms.remove(key(roomId, read), expiry);
            return false;
        }
        return true;
    }

    /** Remembers that the policy allowed the session's user, unless a revocation came since {@code asked}. */
    void allow(String sessionId, String userId, String roomId, boolean read, long asked) {
        if (ttlNanos <= 0 || sessionId == null || userId == null) {
            return;
        }
        SessionGrants grants = sessions.computeIfAbsent(sessionId, id -> new SessionGrants(userId));
        if (!grants.userId.equals(userId)) {
            return;
        }
        String key = key(roomId, read);
        Long expiry = clock.getAsLong() + ttlNanos;
        grants.rooms.put(key, expiry);
        // a revocation that ran between the policy's answer and the put may have missed this grant: drop it
        if (generation.get() != asked) {
            grants.rooms.remove(key, expiry);
        }
    }

    /** Forgets every decision about {@code userId} in the room, on every session of this node. */
    void revoke(String roomId, String userId) {
        generation.incrementAndGet();
        for (SessionGrants grants : sessions.values()) {
            if (grants.userId.equals(userId)) {
                grants.rooms.remove(key(roomId, true));
                grants.rooms.remove(key(roomId, false));
            }
        }
    }

    /** Forgets the session's decisions (it ended). */
    void forget(String sessionId) {
        if (sessionId != null) {
            sessions.remove(sessionId);
        }
    }

    /** Sessions with remembered decisions (tests). */
    int sessionCount() {
        return sessions.size();
    }

    private static String key(String roomId, boolean read) {
        return (read ? "r:" : "w:") + roomId;
    }

    /** One session's decisions: its user, and room keys with the time each expires. */
    private static final class SessionGrants {

        final String userId;
        final Map<String, Long> rooms = new ConcurrentHashMap<>();

        SessionGrants(String userId) {
            this.userId = userId;
        }
    }
}
