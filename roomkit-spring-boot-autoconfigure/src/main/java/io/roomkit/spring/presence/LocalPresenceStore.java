package io.roomkit.spring.presence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Presence of this node's sessions, in memory: right for a single node. */
public class LocalPresenceStore implements PresenceStore {

    private final Map<String, Session> sessions = new HashMap<>();
    private final Map<String, Map<String, Presence>> rooms = new HashMap<>();

    @Override
    public synchronized boolean join(String sessionId, String userId, String roomId) {
        sessions.computeIfAbsent(sessionId, id -> new Session(userId, new HashSet<>())).rooms().add(roomId);
        Presence presence = rooms.computeIfAbsent(roomId, id -> new LinkedHashMap<>())
                .computeIfAbsent(userId, id -> new Presence());
        boolean first = presence.sessions.isEmpty();
        presence.sessions.add(sessionId);
        return first;
    }

    @Override
    public synchronized boolean leave(String sessionId, String roomId) {
        Session session = sessions.get(sessionId);
        return session != null && session.rooms().remove(roomId) && leave(sessionId, session.userId(), roomId);
    }

    @Override
    public synchronized void status(String userId, String roomId, String status) {
        Presence presence = rooms.getOrDefault(roomId, Map.of()).get(userId);
        if (presence != null) {
            presence.status = status;
        }
    }

    @Override
    public synchronized Departure disconnect(String sessionId) {
        Session session = sessions.remove(sessionId);
        if (session == null) {
            return null;
        }
        List<String> left = new ArrayList<>();
        for (String roomId : session.rooms()) {
            if (leave(sessionId, session.userId(), roomId)) {
                left.add(roomId);
            }
        }
        return new Departure(session.userId(), left);
    }

    @Override
    public synchronized Map<String, String> present(String roomId) {
        Map<String, String> present = new HashMap<>();
        rooms.getOrDefault(roomId, Map.of()).forEach((userId, presence) -> present.put(userId, presence.status));
        return present;
    }

    @Override
    public synchronized int size(String roomId) {
        return rooms.getOrDefault(roomId, Map.of()).size();
    }

    private boolean leave(String sessionId, String userId, String roomId) {
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

    /** The sessions of one user in one room and the status they last set; guarded by the store. */
    private static final class Presence {

        private final Set<String> sessions = new HashSet<>();
        private String status = "online";
    }
}
