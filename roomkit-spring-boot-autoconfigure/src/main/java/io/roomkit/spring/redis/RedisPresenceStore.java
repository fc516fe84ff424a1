package io.roomkit.spring.redis;

import io.roomkit.spring.presence.PresenceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Presence shared by the nodes of a cluster. Each room is a Redis hash whose fields name a session
 * ({@code user|node|session}); Lua scripts add and remove a field and count the user's remaining sessions in
 * one step, so that exactly one node sees a user's first arrival and last departure. Every node refreshes a
 * heartbeat key ({@link #HEARTBEAT_TTL}); {@link #sweep} removes the sessions of nodes whose heartbeat has
 * expired and reports the users who thereby left, so a dead node's users go offline within about
 * {@code HEARTBEAT_TTL + sweep period}.
 */
public class RedisPresenceStore implements PresenceStore {

    /** How long a node counts as alive after its last heartbeat. */
    public static final Duration HEARTBEAT_TTL = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(RedisPresenceStore.class);
    private static final String SEPARATOR = "|";

    /** HSET the field, SADD the room, return the user's session count in the room. */
    private static final DefaultRedisScript<Long> JOIN = new DefaultRedisScript<>("""
            redis.call('HSET', KEYS[1], ARGV[1], '1')
            redis.call('SADD', KEYS[2], ARGV[3])
            local count = 0
            for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
              if string.sub(field, 1, string.len(ARGV[2])) == ARGV[2] then count = count + 1 end
            end
            return count
            """, Long.class);

    /** HDEL the field; -1 if it was gone, else the user's remaining session count (status cleared at 0). */
    private static final DefaultRedisScript<Long> LEAVE = new DefaultRedisScript<>("""
            if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return -1 end
            local count = 0
            for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
              if string.sub(field, 1, string.len(ARGV[2])) == ARGV[2] then count = count + 1 end
            end
            if count == 0 then redis.call('HDEL', KEYS[2], ARGV[3]) end
            if redis.call('HLEN', KEYS[1]) == 0 then redis.call('SREM', KEYS[3], ARGV[4]) end
            return count
            """, Long.class);

    private final StringRedisTemplate redis;
    private final String prefix;
    private final String nodeId = UUID.randomUUID().toString().replace("-", "");
    private final Map<String, LocalSession> sessions = new ConcurrentHashMap<>();

    public RedisPresenceStore(StringRedisTemplate redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
        heartbeat();
    }

    public String nodeId() {
        return nodeId;
    }

    /** Refreshes this node's heartbeat; call it at least every {@code HEARTBEAT_TTL / 2}. */
    public void heartbeat() {
        redis.opsForValue().set(nodeKey(nodeId), "1", HEARTBEAT_TTL);
    }

    /** Forgets this node's heartbeat, so that the others sweep its sessions at once. */
    public void shutdown() {
        redis.delete(nodeKey(nodeId));
    }

    @Override
    public boolean join(String sessionId, String userId, String roomId) {
        if (!rememberJoin(sessionId, userId, roomId)) {
            return false;
        }
        Long count = redis.execute(JOIN, List.of(roomKey(roomId), roomsKey()), field(userId, nodeId, sessionId),
                userId + SEPARATOR, roomId);
        return count != null && count == 1;
    }

    /**
     * Records a join in this node's own list of its sessions only, without Redis (which {@link #restore} writes
     * it into later); false when the session was already in the room.
     */
    public boolean rememberJoin(String sessionId, String userId, String roomId) {
        return sessions.computeIfAbsent(sessionId, id -> new LocalSession(userId, ConcurrentHashMap.newKeySet()))
                .rooms().add(roomId);
    }

    /** Records a leave or a disconnect ({@code roomId} null) in this node's own list only, without Redis. */
    public void rememberLeave(String sessionId, String roomId) {
        if (roomId == null) {
            sessions.remove(sessionId);
            return;
        }
        LocalSession session = sessions.get(sessionId);
        if (session != null) {
            session.rooms().remove(roomId);
        }
    }

    @Override
    public boolean leave(String sessionId, String roomId) {
        LocalSession session = sessions.get(sessionId);
        return session != null && session.rooms().remove(roomId)
                && leave(roomId, field(session.userId(), nodeId, sessionId), session.userId());
    }

    @Override
    public void status(String userId, String roomId, String status) {
        redis.opsForHash().put(statusKey(roomId), userId, status);
    }

    @Override
    public Departure disconnect(String sessionId) {
        LocalSession session = sessions.remove(sessionId);
        if (session == null) {
            return null;
        }
        List<String> left = new ArrayList<>();
        for (String roomId : session.rooms()) {
            if (leave(roomId, field(session.userId(), nodeId, sessionId), session.userId())) {
                left.add(roomId);
            }
        }
        return new Departure(session.userId(), left);
    }

    @Override
    public Map<String, String> present(String roomId) {
        Set<String> users = new HashSet<>();
        for (Object field : redis.opsForHash().keys(roomKey(roomId))) {
            users.add(field.toString().split("\\|", 2)[0]);
        }
        Map<Object, Object> statuses = redis.opsForHash().entries(statusKey(roomId));
        Map<String, String> present = new HashMap<>();
        users.forEach(user -> present.put(user, String.valueOf(statuses.getOrDefault(user, "online"))));
        return present;
    }

    /** The room's sessions (one HLEN): at least its users, which would take reading every field. */
    @Override
    public int size(String roomId) {
        Long sessions = redis.opsForHash().size(roomKey(roomId));
        return sessions == null ? 0 : sessions.intValue();
    }

    /**
     * Makes Redis hold exactly this node's sessions again after an outage: the heartbeat first (so that no node
     * sweeps them meanwhile), then every session this node knows, and no field of this node's sessions that
     * ended while Redis was away. Users' statuses set during the outage are not restored.
     */
    public void restore() {
        heartbeat();
        sessions.forEach((sessionId, session) -> session.rooms().forEach(roomId -> redis.execute(JOIN,
                List.of(roomKey(roomId), roomsKey()), field(session.userId(), nodeId, sessionId),
                session.userId() + SEPARATOR, roomId)));
        Set<String> rooms = redis.opsForSet().members(roomsKey());
        for (String roomId : rooms == null ? Set.<String>of() : rooms) {
            for (Object value : redis.opsForHash().keys(roomKey(roomId))) {
                String[] parts = value.toString().split("\\|", 3);
                LocalSession session = parts.length == 3 && parts[1].equals(nodeId) ? sessions.get(parts[2]) : null;
                boolean ended = parts.length == 3 && parts[1].equals(nodeId)
                        && (session == null || !session.rooms().contains(roomId));
                if (ended) {
                    leave(roomId, value.toString(), parts[0]);
                }
            }
        }
    }

    /**
     * Removes the sessions of nodes without a heartbeat and reports, for each user whose last session in a
     * room went with them, {@code (userId, roomId)}. Several nodes may sweep at once; each departure is
     * reported by exactly one of them.
     */
    public void sweep(BiConsumer<String, String> departed) {
        Set<String> rooms = redis.opsForSet().members(roomsKey());
        if (rooms == null) {
            return;
        }
        Map<String, Boolean> alive = new HashMap<>();
        for (String roomId : rooms) {
            for (Object value : redis.opsForHash().keys(roomKey(roomId))) {
                String[] parts = value.toString().split("\\|", 3);
                if (parts.length < 3) {
                    continue;
                }
                boolean nodeAlive = alive.computeIfAbsent(parts[1],
                        node -> Boolean.TRUE.equals(redis.hasKey(nodeKey(node))));
                if (!nodeAlive && leave(roomId, value.toString(), parts[0])) {
                    log.info("User {} left room {} with dead node {}", parts[0], roomId, parts[1]);
                    departed.accept(parts[0], roomId);
                }
            }
        }
    }

    private boolean leave(String roomId, String field, String userId) {
        Long count = redis.execute(LEAVE, List.of(roomKey(roomId), statusKey(roomId), roomsKey()), field,
                userId + SEPARATOR, userId, roomId);
        return count != null && count == 0;
    }

    private static String field(String userId, String node, String sessionId) {
        return userId + SEPARATOR + node + SEPARATOR + sessionId;
    }

    private String roomKey(String roomId) {
        return prefix + ":presence:room:" + roomId;
    }

    private String statusKey(String roomId) {
        return prefix + ":presence:status:" + roomId;
    }

    private String roomsKey() {
        return prefix + ":presence:rooms";
    }

    private String nodeKey(String node) {
        return prefix + ":presence:node:" + node;
    }

    private record LocalSession(String userId, Set<String> rooms) {
    }
}
