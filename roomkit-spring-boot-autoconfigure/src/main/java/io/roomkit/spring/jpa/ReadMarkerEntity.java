package io.roomkit.spring.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.Objects;

/** A row of {@code roomkit_read_markers}: the read position of one channel in one room, as an index. */
@Entity(name = "RoomKitReadMarker")
@Table(name = "roomkit_read_markers")
@IdClass(ReadMarkerEntity.Key.class)
public class ReadMarkerEntity {

    @Id
    @Column(name = "room_id", length = 128)
    private String roomId;

    @Id
    @Column(name = "channel_id")
    private String channelId;

    @Column(name = "event_index", nullable = false)
    private long eventIndex;

    protected ReadMarkerEntity() {
    }

    ReadMarkerEntity(String roomId, String channelId, long eventIndex) {
        this.roomId = roomId;
        this.channelId = channelId;
        this.eventIndex = eventIndex;
    }

    String channelId() {
        return channelId;
    }

    long eventIndex() {
        return eventIndex;
    }

    /** The composite key (room, channel). */
    public static class Key implements Serializable {

        private String roomId;
        private String channelId;

        public Key() {
        }

        public Key(String roomId, String channelId) {
            this.roomId = roomId;
            this.channelId = channelId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(roomId, key.roomId)
                    && Objects.equals(channelId, key.channelId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(roomId, channelId);
        }
    }
}
