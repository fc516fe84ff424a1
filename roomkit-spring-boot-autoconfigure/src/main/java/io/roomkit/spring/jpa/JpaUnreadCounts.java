package io.roomkit.spring.jpa;

import io.roomkit.model.EventStatus;
import io.roomkit.model.EventType;
import io.roomkit.model.RoomEvent;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

/**
 * The unread messages of a channel and the unread mentions of a user, for {@link JpaConversationStore}: every
 * method runs inside the store's transaction. Both count the messages after the channel's read marker that others
 * sent, so the room's cursor index bounds the scan to the unread part.
 */
final class JpaUnreadCounts {

    /** The messages that count as unread: after the marker, not deleted or blocked, not the channel's own. */
    private static final String UNREAD = "e.roomId = :room and e.eventIndex > :after and e.type = :message "
            + "and e.deleted = false and e.status <> :blocked and e.sourceChannelId <> :channel";
    /** roomkit_events_room_index_uk (room_id, event_index), from the read marker on. */
    private static final String COUNT_UNREAD = "select count(e) from RoomKitEvent e where " + UNREAD;
    /**
     * roomkit_events_room_index_uk (room_id, event_index), from the read marker on; the text match on the
     * metadata is a filter of that range, not an index.
     */
    private static final String UNREAD_NAMING = "select e from RoomKitEvent e where " + UNREAD
            + " and e.metadata like :mentioned escape '\\'";

    private final EntityManager em;
    private final EntityMapper mapper;
    private final JsonCodec json;
    private final JpaReadMarkers markers;

    JpaUnreadCounts(EntityManager em, EntityMapper mapper, JsonCodec json, JpaReadMarkers markers) {
        this.em = em;
        this.mapper = mapper;
        this.json = json;
        this.markers = markers;
    }

    long unread(String roomId, String channelId) {
        return unread(COUNT_UNREAD, Long.class, roomId, channelId).getSingleResult();
    }

    /**
     * Reads only the unread messages whose metadata names the user (a text match on the JSON, then the exact rule
     * of {@link RoomEvent#mentions(String)}), so a room with many unread messages and few mentions costs little.
     */
    long unreadMentions(String roomId, String channelId, String userId) {
        String pattern = "%" + likeLiteral(json.quoted(userId)) + "%";
        return unread(UNREAD_NAMING, EventEntity.class, roomId, channelId).setParameter("mentioned", pattern)
                .getResultList().stream().map(mapper::event).filter(event -> event.mentions(userId)).count();
    }

    private <T> TypedQuery<T> unread(String jpql, Class<T> type, String roomId, String channelId) {
        long after = markers.lastRead(roomId, channelId);
        return em.createQuery(jpql, type).setParameter("room", roomId).setParameter("after", after)
                .setParameter("message", EventType.MESSAGE.value())
                .setParameter("blocked", EventStatus.BLOCKED.value()).setParameter("channel", channelId);
    }

    /** {@code text} for a LIKE pattern escaped with a backslash: {@code %}, {@code _} and the backslash escaped. */
    private static String likeLiteral(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
