package io.roomkit.spring.redis;

import io.roomkit.model.RandomIds;
import io.roomkit.spring.presence.TypingState;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link RedisTypingState} that degrades to this node while Redis is unreachable: every mark this node sets is
 * also kept here, answers come from here while Redis is down (renewals and stops on another node are then not
 * seen), and this node's marks are written into Redis again when it is back.
 */
public final class ResilientTypingState implements TypingState {

    private final RedisTypingState redis;
    private final RedisAvailability availability;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    public ResilientTypingState(RedisTypingState redis, RedisAvailability availability) {
        this.redis = redis;
        this.availability = availability;
        availability.onRecovery(this::restore);
    }

    @Override
    public String arm(String roomId, String userId) {
        String token = availability.call("typing", () -> redis.arm(roomId, userId), RandomIds::next);
        tokens.put(key(roomId, userId), token);
        return token;
    }

    @Override
    public boolean disarmIf(String roomId, String userId, String token) {
        boolean local = tokens.remove(key(roomId, userId), token);
        return availability.call("typing", () -> redis.disarmIf(roomId, userId, token), () -> local);
    }

    @Override
    public boolean disarm(String roomId, String userId) {
        boolean local = tokens.remove(key(roomId, userId)) != null;
        return availability.call("typing", () -> redis.disarm(roomId, userId), () -> local);
    }

    @Override
    public boolean isArmed(String roomId, String userId) {
        return availability.call("typing", () -> redis.isArmed(roomId, userId),
                () -> tokens.containsKey(key(roomId, userId)));
    }

    private void restore() {
        tokens.forEach((key, token) -> {
            String[] parts = key.split("\u0000", 2);
            redis.restore(parts[0], parts[1], token);
        });
    }

    private static String key(String roomId, String userId) {
        return roomId + '\u0000' + userId;
    }
}
