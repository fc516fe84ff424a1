package io.roomkit.spring.redis;

import io.roomkit.spring.presence.LocalPresenceStore;
import io.roomkit.spring.presence.PresenceStore;

import java.util.Map;

/**
 * {@link RedisPresenceStore} that degrades to this node while Redis is unreachable: every change is also kept
 * in a {@link LocalPresenceStore} of this node's sessions, whose answers are used while Redis is down (a user
 * on two nodes may then be announced twice, and a snapshot shows this node's users only), and this node's
 * sessions are written into Redis again when it is back.
 */
public final class ResilientPresenceStore implements PresenceStore {

    private final RedisPresenceStore redis;
    private final RedisAvailability availability;
    private final LocalPresenceStore local = new LocalPresenceStore();

    public ResilientPresenceStore(RedisPresenceStore redis, RedisAvailability availability) {
        this.redis = redis;
        this.availability = availability;
        availability.onRecovery(redis::restore);
    }

    /** The Redis store, for its heartbeat and sweep. */
    public RedisPresenceStore redis() {
        return redis;
    }

    public RedisAvailability availability() {
        return availability;
    }

    @Override
    public boolean join(String sessionId, String userId, String roomId) {
        boolean first = local.join(sessionId, userId, roomId);
        return availability.call("presence", () -> redis.join(sessionId, userId, roomId), () -> {
            redis.rememberJoin(sessionId, userId, roomId);
            return first;
        });
    }

    @Override
    public boolean leave(String sessionId, String roomId) {
        boolean last = local.leave(sessionId, roomId);
        return availability.call("presence", () -> redis.leave(sessionId, roomId), () -> {
            redis.rememberLeave(sessionId, roomId);
            return last;
        });
    }

    @Override
    public void status(String userId, String roomId, String status) {
        local.status(userId, roomId, status);
        availability.run("presence", () -> redis.status(userId, roomId, status));
    }

    @Override
    public Departure disconnect(String sessionId) {
        Departure departure = local.disconnect(sessionId);
        return availability.call("presence", () -> redis.disconnect(sessionId), () -> {
            redis.rememberLeave(sessionId, null);
            return departure;
        });
    }

    @Override
    public int size(String roomId) {
        return availability.call("presence", () -> redis.size(roomId), () -> local.size(roomId));
    }

    @Override
    public Map<String, String> present(String roomId) {
        return availability.call("presence", () -> redis.present(roomId), () -> local.present(roomId));
    }
}
