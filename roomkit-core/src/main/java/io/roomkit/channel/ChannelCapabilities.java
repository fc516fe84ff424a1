package io.roomkit.channel;

/**
 * What a channel can render, copied into the channel's description for clients and AI context.
 *
 * @param maxLength         longest text the channel accepts, or {@code null} for no limit
 * @param supportsEdit      whether it shows edits in place
 * @param supportsDelete    whether it removes deleted messages
 * @param supportsReactions whether it shows reactions
 * @param supportsReadReceipts whether it shows read receipts
 * @param supportsTyping    whether it shows typing indicators
 * @param supportsThreading whether it shows threads
 */
public record ChannelCapabilities(Integer maxLength, boolean supportsEdit, boolean supportsDelete,
        boolean supportsReactions, boolean supportsReadReceipts, boolean supportsTyping, boolean supportsThreading) {

    /** Plain text only: no edits, deletes, reactions, receipts, typing or threads. */
    public static ChannelCapabilities basic() {
        return new ChannelCapabilities(null, false, false, false, false, false, false);
    }

    /** Everything a rich chat client supports. */
    public static ChannelCapabilities full() {
        return new ChannelCapabilities(null, true, true, true, true, true, true);
    }
}
