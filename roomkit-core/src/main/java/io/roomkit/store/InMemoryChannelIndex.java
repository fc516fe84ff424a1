package io.roomkit.store;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rooms each channel is bound to, across the rooms of the {@link InMemoryConversationStore}, so that routing
 * a channel's message reads no other room. Thread-safe on its own: it spans rooms, so no room's monitor guards
 * it; the store changes it while holding the monitor of the room whose binding changes.
 */
final class InMemoryChannelIndex {

    private final Map<String, Set<String>> roomsByChannel = new ConcurrentHashMap<>();

    void add(String channelId, String roomId) {
        roomsByChannel.compute(channelId, (key, roomIds) -> {
            Set<String> indexed = roomIds == null ? ConcurrentHashMap.newKeySet() : roomIds;
            indexed.add(roomId);
            return indexed;
        });
    }

    void remove(String channelId, String roomId) {
        roomsByChannel.computeIfPresent(channelId, (key, roomIds) -> {
            roomIds.remove(roomId);
            return roomIds.isEmpty() ? null : roomIds;
        });
    }

    /** The ids of the rooms {@code channelId} is bound to, in no particular order. */
    Set<String> roomIds(String channelId) {
        return roomsByChannel.getOrDefault(channelId, Set.of());
    }
}
