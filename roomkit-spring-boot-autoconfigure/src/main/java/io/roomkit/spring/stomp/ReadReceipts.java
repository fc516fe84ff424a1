package io.roomkit.spring.stomp;

import io.roomkit.RoomKit;
import io.roomkit.store.ConversationStore;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What others may see of how far a user has read ("seen by", the history reply's {@code read_markers}), kept apart
 * from the durable read marker that unread counts use: a private read receipt ({@code .read} with
 * {@code private: true}) moves only the durable marker, so it shows nowhere.
 * <p>
 * The public position is a read marker of its own under {@code receipt:<channelId>}. A user who never read
 * privately has none, and the durable marker is their public position, as before private receipts existed.
 */
public final class ReadReceipts {

    private static final String PREFIX = "receipt:";
    /** A public position before the first event: the user has shown nothing yet. */
    private static final long NOTHING = -1;

    private ReadReceipts() {
    }

    /**
     * A read others may see: the durable marker moves to the event, and so does the public position of a user who
     * has one (who once read privately); for the others the durable marker is the public position, so a read
     * costs them one write, not two.
     */
    public static void readPublicly(RoomKit kit, String roomId, String channelId, String eventId) {
        kit.markRead(roomId, channelId, eventId);
        if (kit.store().readMarker(roomId, PREFIX + channelId).isPresent()) {
            kit.markRead(roomId, PREFIX + channelId, eventId);
        }
    }

    /**
     * A private read: the durable marker moves, the public position stays. The first private read pins the public
     * position where the durable marker was, so that it does not follow the durable marker from then on.
     */
    public static void readPrivately(RoomKit kit, String roomId, String channelId, String eventId) {
        ConversationStore store = kit.store();
        if (store.readMarker(roomId, PREFIX + channelId).isEmpty()) {
            store.advanceReadMarker(roomId, PREFIX + channelId, store.readMarker(roomId, channelId).orElse(NOTHING));
        }
        kit.markRead(roomId, channelId, eventId);
    }

    /** Each user's public read position in the room, by user id (application channels are not users). */
    public static Map<String, Long> byUser(RoomKit kit, String roomId) {
        Map<String, Long> markers = kit.readMarkers(roomId);
        Map<String, Long> byUser = new LinkedHashMap<>();
        markers.forEach((channel, index) -> {
            if (!channel.startsWith(PREFIX)) {
                long shown = markers.getOrDefault(PREFIX + channel, index);
                if (shown > NOTHING) {
                    UserChannel.userOf(channel, kit.channel(channel)).ifPresent(user -> byUser.put(user, shown));
                }
            }
        });
        return byUser;
    }
}
