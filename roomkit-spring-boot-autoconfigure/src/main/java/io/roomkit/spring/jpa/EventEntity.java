package io.roomkit.spring.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

import java.time.Instant;

/**
 * A row of {@code roomkit_events}. Content and metadata are JSON; the columns that queries filter on
 * (index, type, status, source channel, edit target, deleted flag) are columns of their own.
 */
@Entity(name = "RoomKitEvent")
@Table(name = "roomkit_events",
        uniqueConstraints = {
                @UniqueConstraint(name = "roomkit_events_room_index_uk", columnNames = { "room_id", "event_index" }),
                @UniqueConstraint(name = "roomkit_events_room_key_uk",
                        columnNames = { "room_id", "idempotency_key" }) },
        // partial on PostgreSQL (schema-postgresql.sql); declared here so that a schema Hibernate generates has it
        indexes = { @Index(name = "roomkit_events_target_ix", columnList = "room_id, target_event_id"),
                @Index(name = "roomkit_events_thread_ix", columnList = "room_id, parent_event_id, event_index") })
public class EventEntity {

    @Id
    @Column(length = 64)
    private String id;

    @Column(name = "room_id", nullable = false, length = 128)
    private String roomId;

    @Column(name = "event_index", nullable = false)
    private long eventIndex;

    @Column(nullable = false, length = 32)
    private String type;

    @Column(name = "source_channel_id", nullable = false)
    private String sourceChannelId;

    @Column(name = "source_channel_type", nullable = false, length = 32)
    private String sourceChannelType;

    @Column(name = "source_participant_id")
    private String sourceParticipantId;

    @Column(name = "source_external_id")
    private String sourceExternalId;

    @Column(nullable = false, length = JsonCodec.MAX_CHARS)
    private String content;

    @Column(nullable = false, length = 16)
    private String status;

    @Column(nullable = false, length = JsonCodec.MAX_CHARS)
    private String metadata;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "parent_event_id", length = 64)
    private String parentEventId;

    @Column(name = "idempotency_key")
    private String idempotencyKey;

    @Column(name = "blocked_by")
    private String blockedBy;

    @Column(name = "chain_depth", nullable = false)
    private int chainDepth;

    @Column(name = "correlation_id")
    private String correlationId;

    @Column(name = "target_event_id", length = 64)
    private String targetEventId;

    @Column(nullable = false)
    private boolean deleted;

    protected EventEntity() {
    }

    EventEntity(String id, String roomId, long eventIndex) {
        this.id = id;
        this.roomId = roomId;
        this.eventIndex = eventIndex;
    }

    void update(String type, String sourceChannelId, String sourceChannelType, String sourceParticipantId,
            String sourceExternalId, String content, String status, String metadata, Instant createdAt,
            String parentEventId, String idempotencyKey, String blockedBy, int chainDepth, String correlationId,
            String targetEventId, boolean deleted) {
        this.type = type;
        this.sourceChannelId = sourceChannelId;
        this.sourceChannelType = sourceChannelType;
        this.sourceParticipantId = sourceParticipantId;
        this.sourceExternalId = sourceExternalId;
        this.content = content;
        this.status = status;
        this.metadata = metadata;
        this.createdAt = createdAt;
        this.parentEventId = parentEventId;
        this.idempotencyKey = idempotencyKey;
        this.blockedBy = blockedBy;
        this.chainDepth = chainDepth;
        this.correlationId = correlationId;
        this.targetEventId = targetEventId;
        this.deleted = deleted;
    }

    String id() {
        return id;
    }

    String roomId() {
        return roomId;
    }

    long eventIndex() {
        return eventIndex;
    }

    String type() {
        return type;
    }

    String sourceChannelId() {
        return sourceChannelId;
    }

    String sourceChannelType() {
        return sourceChannelType;
    }

    String sourceParticipantId() {
        return sourceParticipantId;
    }

    String sourceExternalId() {
        return sourceExternalId;
    }

    String content() {
        return content;
    }

    String status() {
        return status;
    }

    String metadata() {
        return metadata;
    }

    Instant createdAt() {
        return createdAt;
    }

    String parentEventId() {
        return parentEventId;
    }

    String idempotencyKey() {
        return idempotencyKey;
    }

    String blockedBy() {
        return blockedBy;
    }

    int chainDepth() {
        return chainDepth;
    }

    String correlationId() {
        return correlationId;
    }

    String targetEventId() {
        return targetEventId;
    }

    boolean deleted() {
        return deleted;
    }
}
