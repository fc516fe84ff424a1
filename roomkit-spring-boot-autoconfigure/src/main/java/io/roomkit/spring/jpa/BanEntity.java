package io.roomkit.spring.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

import java.time.Instant;

/** A row of {@code roomkit_bans}: one per (room, banned user); {@code seq} keeps the order bans were made in. */
@Entity(name = "RoomKitBan")
@Table(name = "roomkit_bans", uniqueConstraints = @UniqueConstraint(name = "roomkit_bans_room_participant_uk",
        columnNames = { "room_id", "participant_id" }))
public class BanEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long seq;

    @Column(name = "room_id", nullable = false, length = 128)
    private String roomId;

    @Column(name = "participant_id", nullable = false)
    private String participantId;

    @Column(length = JsonCodec.MAX_CHARS)
    private String reason;

    @Column(name = "banned_by")
    private String bannedBy;

    @Column(name = "banned_at", nullable = false)
    private Instant bannedAt;

    protected BanEntity() {
    }

    BanEntity(String roomId, String participantId) {
        this.roomId = roomId;
        this.participantId = participantId;
    }

    void update(String reason, String bannedBy, Instant bannedAt) {
        this.reason = reason;
        this.bannedBy = bannedBy;
        this.bannedAt = bannedAt;
    }

    String roomId() {
        return roomId;
    }

    String participantId() {
        return participantId;
    }

    String reason() {
        return reason;
    }

    String bannedBy() {
        return bannedBy;
    }

    Instant bannedAt() {
        return bannedAt;
    }
}
