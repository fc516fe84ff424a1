package io.roomkit.spring.jpa;

import jakarta.persistence.EntityManager;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The rows of {@code roomkit_read_markers}, for {@link JpaConversationStore}: every method runs inside the
 * store's transaction, and {@link #advance} inside its upsert path, which holds the room's shared lock. A marker
 * only moves forward, with one conditional {@code UPDATE}.
 */
final class JpaReadMarkers {

    /** The primary key of roomkit_read_markers (room_id, channel_id). */
    private static final String MOVE_FORWARD = "update RoomKitReadMarker m set m.eventIndex = :index "
            + "where m.roomId = :room and m.channelId = :channel and m.eventIndex < :index";
    /** The primary key of roomkit_read_markers, on its first column. */
    private static final String OF_ROOM = "select m from RoomKitReadMarker m where m.roomId = :room";

    private final EntityManager em;

    JpaReadMarkers(EntityManager em) {
        this.em = em;
    }

    /**
     * Moves the marker to {@code index} unless it is there or beyond, inserting it when the channel has none;
     * returns where the marker is. Two first markers of one channel meet at the primary key, and the store's
     * upsert path runs this again for the loser.
     */
    long advance(String roomId, String channelId, long index) {
        while (true) {
            int moved = em.createQuery(MOVE_FORWARD).setParameter("index", index).setParameter("room", roomId)
                    .setParameter("channel", channelId).executeUpdate();
            if (moved > 0) {
                return index;
            }
            ReadMarkerEntity marker = row(roomId, channelId);
            if (marker == null) {
                em.persist(new ReadMarkerEntity(roomId, channelId, index));
                em.flush();
                return index;
            }
            if (marker.eventIndex() >= index) {
                return marker.eventIndex();
            }
            // The row appeared between our update and our read (another writer's first marker): update again.
            em.detach(marker);
        }
    }

    OptionalLong get(String roomId, String channelId) {
        ReadMarkerEntity marker = row(roomId, channelId);
        return marker == null ? OptionalLong.empty() : OptionalLong.of(marker.eventIndex());
    }

    /** The index the channel has read up to, or -1 when it has read nothing: the unread events come after it. */
    long lastRead(String roomId, String channelId) {
        return get(roomId, channelId).orElse(-1);
    }

    Map<String, Long> ofRoom(String roomId) {
        Map<String, Long> markers = new LinkedHashMap<>();
        em.createQuery(OF_ROOM, ReadMarkerEntity.class).setParameter("room", roomId).getResultList()
                .forEach(marker -> markers.put(marker.channelId(), marker.eventIndex()));
        return Collections.unmodifiableMap(markers);
    }

    private ReadMarkerEntity row(String roomId, String channelId) {
        return em.find(ReadMarkerEntity.class, new ReadMarkerEntity.Key(roomId, channelId));
    }
}
