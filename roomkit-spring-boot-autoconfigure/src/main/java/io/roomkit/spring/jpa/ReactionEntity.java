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

/**
 * A row of {@code roomkit_reactions}: one per (event, user, emoji), which the unique constraint keeps so under
 * concurrent adds; {@code seq} keeps the order reactions were added in.
 */
@Entity(name = "RoomKitReaction")
@Table(name = "roomkit_reactions",
        uniqueConstraints = @UniqueConstraint(name = "roomkit_reactions_event_user_emoji_uk",
                columnNames = { "event_id", "user_id", "emoji" }),
        indexes = @Index(name = "roomkit_reactions_room_event_ix", columnList = "room_id, event_id, seq"))
public class ReactionEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long seq;

    @Column(name = "room_id", nullable = false, length = 128)
    private String roomId;

    @Column(name = "event_id", nullable = false, length = 64)
    private String eventId;

    @Column(name = "user_id", nullable = false)
    private String userId;

    @Column(nullable = false, length = 64)
    private String emoji;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected ReactionEntity() {
    }

    ReactionEntity(String roomId, String eventId, String userId, String emoji, Instant createdAt) {
        this.roomId = roomId;
        this.eventId = eventId;
        this.userId = userId;
        this.emoji = emoji;
        this.createdAt = createdAt;
    }
}
