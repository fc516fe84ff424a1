package io.roomkit.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The attachment of a channel to a room, one per (room, channel).
 *
 * @param roomId        the room
 * @param channelId     the channel
 * @param channelType   copied from the channel when attached
 * @param category      transport channels receive deliveries; intelligence channels observe and may answer
 * @param access        whether the binding may read (receive broadcasts) and write (send)
 * @param muted         a muted binding still receives but may not write
 * @param participantId the participant this binding belongs to, or {@code null}
 * @param attachedAt    when it was attached
 * @param metadata      free-form
 */
public record ChannelBinding(String roomId, String channelId, ChannelType channelType, ChannelCategory category,
        ChannelAccess access, boolean muted, String participantId, Instant attachedAt, Map<String, Object> metadata) {

    public ChannelBinding {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(channelId, "channelId");
        channelType = channelType == null ? ChannelType.CUSTOM : channelType;
        category = category == null ? ChannelCategory.TRANSPORT : category;
        access = access == null ? ChannelAccess.READ_WRITE : access;
        attachedAt = attachedAt == null ? Timestamps.now() : Timestamps.micros(attachedAt);
        metadata = ContentRules.copy(metadata);
    }

    /** A read-write, unmuted binding. */
    public static ChannelBinding of(String roomId, String channelId, ChannelType type, ChannelCategory category) {
        return new ChannelBinding(roomId, channelId, type, category, ChannelAccess.READ_WRITE, false, null, null,
                Map.of());
    }

    /** Whether events sent through this binding are accepted: access read_write or write_only, and not muted. */
    public boolean canWrite() {
        return (access == ChannelAccess.READ_WRITE || access == ChannelAccess.WRITE_ONLY) && !muted;
    }

    /** Whether this binding receives broadcasts: access read_write or read_only (muted bindings still read). */
    public boolean canRead() {
        return access == ChannelAccess.READ_WRITE || access == ChannelAccess.READ_ONLY;
    }

    public ChannelBinding withAccess(ChannelAccess newAccess) {
        return new ChannelBinding(roomId, channelId, channelType, category, newAccess, muted, participantId,
                attachedAt, metadata);
    }

    public ChannelBinding withMuted(boolean newMuted) {
        return new ChannelBinding(roomId, channelId, channelType, category, access, newMuted, participantId,
                attachedAt, metadata);
    }
}
