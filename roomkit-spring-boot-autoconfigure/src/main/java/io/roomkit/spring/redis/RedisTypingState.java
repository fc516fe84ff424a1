package io.roomkit.spring.redis;

import io.roomkit.model.RandomIds;
import io.roomkit.spring.presence.TypingState;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;

import java.time.Duration;
import java.util.List;

/**
 * Typing marks shared by the nodes of a cluster: one Redis key per (room, user) holding the token of the
 * latest start, expiring a little after the typing timeout so that a dead node leaves nothing behind.
 */
public class RedisTypingState implements TypingState {

    private static final DefaultRedisScript<Long> DELETE_IF_EQUAL = new DefaultRedisScript<>(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
            Long.class);

    private final StringRedisTemplate redis;
    private final String prefix;
    private final Duration ttl;

    public RedisTypingState(StringRedisTemplate redis, String prefix, Duration timeout) {
        this.redis = redis;
        this.prefix = prefix;
        this.ttl = timeout.plusSeconds(5);
    }

    @Override
    public String arm(String roomId, String userId) {
        String token = RandomIds.next();
        redis.opsForValue().set(key(roomId, userId), token, ttl);
        return token;
    }

    @Override
    public boolean disarmIf(String roomId, String userId, String token) {
        Long deleted = redis.execute(DELETE_IF_EQUAL, List.of(key(roomId, userId)), token);
        return deleted != null && deleted > 0;
    }

    @Override
    public boolean disarm(String roomId, String userId) {
        return Boolean.TRUE.equals(redis.delete(key(roomId, userId)));
    }

    @Override
    public boolean isArmed(String roomId, String userId) {
        return Boolean.TRUE.equals(redis.hasKey(key(roomId, userId)));
    }

    /** Writes this node's mark again, after Redis came back without it. */
    public void restore(String roomId, String userId, String token) {
        redis.opsForValue().set(key(roomId, userId), token, ttl);
    }

    private String key(String roomId, String userId) {
        return prefix + ":typing:" + roomId + ":" + userId;
    }
}
