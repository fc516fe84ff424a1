package io.roomkit.spring.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A row of {@code roomkit_rooms}. {@code seq} orders rooms by creation; {@code nextIndex} is the room's
 * event counter, read and bumped under a row lock in the same transaction as the event it numbers.
 */
@Entity(name = "RoomKitRoom")
@Table(name = "roomkit_rooms")
public class RoomEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long seq;

    @Column(name = "id", nullable = false, unique = true, length = 128)
    private String id;

    @Column(nullable = false, length = 16)
    private String status;

    @Column(nullable = false, length = JsonCodec.MAX_CHARS)
    private String metadata;

    @Column(name = "next_index", nullable = false)
    private long nextIndex;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "closed_at")
    private Instant closedAt;

    protected RoomEntity() {
    }

    RoomEntity(String id) {
        this.id = id;
    }

    String id() {
        return id;
    }

    long nextIndex() {
        return nextIndex;
    }

    /** Reserves the next {@code count} indices: returns the first and moves the counter past them. */
    long reserveIndices(int count) {
        long first = nextIndex;
        nextIndex += count;
        return first;
    }

    /** Gives back the last {@code count} indices reserved in the same transaction, none of which was used. */
    void giveBackIndices(int count) {
        nextIndex -= count;
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

    Instant updatedAt() {
        return updatedAt;
    }

    Instant closedAt() {
        return closedAt;
    }

    void update(String status, String metadata, Instant createdAt, Instant updatedAt, Instant closedAt) {
        this.status = status;
        this.metadata = metadata;
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
        this.closedAt = closedAt;
    }
}
