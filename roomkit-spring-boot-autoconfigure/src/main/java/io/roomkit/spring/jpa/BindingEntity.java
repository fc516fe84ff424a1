package io.roomkit.spring.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

import java.time.Instant;

/** A row of {@code roomkit_bindings}: one per (room, channel); {@code seq} keeps attach order. */
@Entity(name = "RoomKitBinding")
@Table(name = "roomkit_bindings", uniqueConstraints = @UniqueConstraint(name = "roomkit_bindings_room_channel_uk",
        columnNames = { "room_id", "channel_id" }))
public class BindingEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long seq;

    @Column(name = "room_id", nullable = false, length = 128)
    private String roomId;

    @Column(name = "channel_id", nullable = false)
    private String channelId;

    @Column(name = "channel_type", nullable = false, length = 32)
    private String channelType;

    @Column(nullable = false, length = 16)
    private String category;

    @Column(nullable = false, length = 16)
    private String access;

    @Column(nullable = false)
    private boolean muted;

    @Column(name = "participant_id")
    private String participantId;

    @Column(name = "attached_at", nullable = false)
    private Instant attachedAt;

    @Column(nullable = false, length = JsonCodec.MAX_CHARS)
    private String metadata;

    protected BindingEntity() {
    }

    BindingEntity(String roomId, String channelId) {
        this.roomId = roomId;
        this.channelId = channelId;
    }

    void update(String channelType, String category, String access, boolean muted, String participantId,
            Instant attachedAt, String metadata) {
        this.channelType = channelType;
        this.category = category;
        this.access = access;
        this.muted = muted;
        this.participantId = participantId;
        this.attachedAt = attachedAt;
        this.metadata = metadata;
    }

    String roomId() {
        return roomId;
    }

    String channelId() {
        return channelId;
    }

    String channelType() {
        return channelType;
    }

    String category() {
        return category;
    }

    String access() {
        return access;
    }

    boolean muted() {
        return muted;
    }

    String participantId() {
        return participantId;
    }

    Instant attachedAt() {
        return attachedAt;
    }

    String metadata() {
        return metadata;
    }
}
