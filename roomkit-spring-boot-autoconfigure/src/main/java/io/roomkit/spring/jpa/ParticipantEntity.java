package io.roomkit.spring.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

import java.time.Instant;

/** A row of {@code roomkit_participants}: one per (room, participant); {@code seq} keeps join order. */
@Entity(name = "RoomKitParticipant")
@Table(name = "roomkit_participants", uniqueConstraints = @UniqueConstraint(
        name = "roomkit_participants_room_participant_uk", columnNames = { "room_id", "participant_id" }),
        indexes = @Index(name = "roomkit_participants_participant_ix", columnList = "participant_id"))
public class ParticipantEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long seq;

    @Column(name = "room_id", nullable = false, length = 128)
    private String roomId;

    @Column(name = "participant_id", nullable = false)
    private String participantId;

    @Column(name = "channel_id")
    private String channelId;

    @Column(name = "display_name")
    private String displayName;

    @Column(nullable = false, length = 16)
    private String role;

    @Column(nullable = false, length = 16)
    private String status;

    @Column(name = "joined_at", nullable = false)
    private Instant joinedAt;

    @Column(nullable = false, length = JsonCodec.MAX_CHARS)
    private String metadata;

    protected ParticipantEntity() {
    }

    ParticipantEntity(String roomId, String participantId) {
        this.roomId = roomId;
        this.participantId = participantId;
    }

    void update(String channelId, String displayName, String role, String status, Instant joinedAt,
            String metadata) {
        this.channelId = channelId;
        this.displayName = displayName;
        this.role = role;
        this.status = status;
        this.joinedAt = joinedAt;
        this.metadata = metadata;
    }

    String roomId() {
        return roomId;
    }

    String participantId() {
        return participantId;
    }

    String channelId() {
        return channelId;
    }

    String displayName() {
        return displayName;
    }

    String role() {
        return role;
    }

    String status() {
        return status;
    }

    Instant joinedAt() {
        return joinedAt;
    }

    String metadata() {
        return metadata;
    }
}
