package io.roomkit.store;

import io.roomkit.model.RoomEvent;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * The read markers of one room of the {@link InMemoryConversationStore} (the index each channel has read up to,
 * forward-only), and the unread and mention counts that follow from them.
 * <p>
 * Not thread-safe: the store calls it only under the monitor of the {@link InMemoryRoom} that holds it.
 */
final class InMemoryReadMarkers {

    private final Map<String, Long> markers = new HashMap<>();

    /** Moves the channel's marker to {@code index} unless it is already further; the marker after the call. */
    long advance(String channelId, long index) {
        return markers.merge(channelId, index, Math::max);
    }

    OptionalLong marker(String channelId) {
        Long marker = markers.get(channelId);
        return marker == null ? OptionalLong.empty() : OptionalLong.of(marker);
    }

    Map<String, Long> all() {
        return Map.copyOf(markers);
    }

    /** The events of {@code timeline} after the channel's marker that are unread for it. */
    long countUnread(String channelId, InMemoryTimeline timeline) {
        return countUnreadMatching(channelId, timeline, event -> true);
    }

    /** The unread events of {@link #countUnread} that mention {@code userId}. */
    long countUnreadMentions(String channelId, String userId, InMemoryTimeline timeline) {
        return countUnreadMatching(channelId, timeline, event -> event.mentions(userId));
    }

    private long countUnreadMatching(String channelId, InMemoryTimeline timeline, Predicate<RoomEvent> matching) {
        long from = markers.getOrDefault(channelId, -1L) + 1;
        long count = 0;
        for (long i = from; i < timeline.size(); i++) {
            RoomEvent event = timeline.eventAt((int) i);
            if (InMemoryConversationStore.countsAsUnread(event, channelId) && matching.test(event)) {
                count++;
            }
        }
        return count;
    }
}
