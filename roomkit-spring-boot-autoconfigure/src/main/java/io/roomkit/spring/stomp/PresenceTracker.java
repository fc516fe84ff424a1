package io.roomkit.spring.stomp;

import io.roomkit.RoomKit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Who is in which room, counted by STOMP sessions: a user is present in a room while at least one of their
 * sessions (tabs, devices) subscribes to it. The first session publishes PRESENCE_ONLINE, the last one to leave
 * or disconnect publishes PRESENCE_OFFLINE (and TYPING_STOP if the user was typing) — once, however often
 * Spring reports the same disconnect.
 */
public class PresenceTracker {

    private final RoomKit kit;
    private final TypingTracker typing;
    private final Map<String, Session> sessions = new HashMap<>();
    private final Map<String, Map<String, Presence>> rooms = new HashMap<>();

    public PresenceTracker(RoomKit kit, TypingTracker typing) {
        this.kit = kit;
        this.typing = typing;
    }

    /** A session of {@code userId} subscribed to the room. */
    public void join(String sessionId, String userId, String roomId) {
        boolean first;
        synchronized (this) {
            sessions.computeIfAbsent(sessionId, id -> new Session(userId, new HashSet<>())).rooms().add(roomId);
            Presence presence = rooms.computeIfAbsent(roomId, id -> new LinkedHashMap<>())
                    .computeIfAbsent(userId, id -> new Presence());
            first = presence.sessions.isEmpty();
            presence.sessions.add(sessionId);
        }
        if (first) {
            kit.publishPresence(roomId, userId, "online");
        }
    }

    /** The user set a status ({@code online}, {@code away}, or any custom one) in the room. */
    public void status(String userId, String roomId, String status) {
        synchronized (this) {
            Presence presence = rooms.getOrDefault(roomId, Map.of()).get(userId);
            if (presence != null) {
                presence.status = status;
            }
        }
        kit.publishPresence(roomId, userId, status);
    }

    /** The session disconnected; idempotent. */
    public void disconnect(String sessionId) {
        Session session;
        List<String> left = new ArrayList<>();
        synchronized (this) {
            session = sessions.remove(sessionId);
            if (session == null) {
                return;
            }
            for (String roomId : session.rooms()) {
                if (leaveLocked(sessionId, session.userId(), roomId)) {
                    left.add(roomId);
                }
            }
        }
        typing.stopAll(session.userId(), Set.copyOf(left));
        left.forEach(roomId -> kit.publishPresence(roomId, session.userId(), "offline"));
    }

    /** Users present in the room with their status, ordered by user id. */
    public synchronized List<Map<String, Object>> snapshot(String roomId) {
        Map<String, String> present = new TreeMap<>();
        rooms.getOrDefault(roomId, Map.of()).forEach((userId, presence) -> present.put(userId, presence.status));
        List<Map<String, Object>> snapshot = new ArrayList<>();
        present.forEach((userId, status) -> snapshot.add(Map.of("user_id", userId, "status", status)));
        return snapshot;
    }

    public synchronized boolean isPresent(String userId, String roomId) {
        return rooms.getOrDefault(roomId, Map.of()).containsKey(userId);
    }

    /** Removes a session from a room; true when it was the user's last session there. */
    private boolean leaveLocked(String sessionId, String userId, String roomId) {
        Map<String, Presence> users = rooms.get(roomId);
        Presence presence = users == null ? null : users.get(userId);
        if (presence == null || !presence.sessions.remove(sessionId) || !presence.sessions.isEmpty()) {
            return false;
        }
        users.remove(userId);
        if (users.isEmpty()) {
            rooms.remove(roomId);
        }
        return true;
    }

    private record Session(String userId, Set<String> rooms) {
    }

    /** The sessions of one user in one room, and the status they last set; guarded by the tracker. */
    private static final class Presence {

        private final Set<String> sessions = new HashSet<>();
        private String status = "online";
    }
}
