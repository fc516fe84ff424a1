package io.roomkit.spring.presence;

import io.roomkit.model.RandomIds;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Typing marks in memory: right for a single node. */
public class LocalTypingState implements TypingState {

    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    @Override
    public String arm(String roomId, String userId) {
        String token = RandomIds.next();
        tokens.put(key(roomId, userId), token);
        return token;
    }

    @Override
    public boolean disarmIf(String roomId, String userId, String token) {
        return tokens.remove(key(roomId, userId), token);
    }

    @Override
    public boolean disarm(String roomId, String userId) {
        return tokens.remove(key(roomId, userId)) != null;
    }

    @Override
    public boolean isArmed(String roomId, String userId) {
        return tokens.containsKey(key(roomId, userId));
    }

    private static String key(String roomId, String userId) {
        return roomId + '\u0000' + userId;
    }
}
