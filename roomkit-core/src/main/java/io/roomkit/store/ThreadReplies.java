package io.roomkit.store;

import io.roomkit.model.EventStatus;
import io.roomkit.model.EventType;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.ThreadSummary;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Adds up one thread's replies into its {@link ThreadSummary}, for stores that read the replies themselves.
 * The rule of what counts is here once, and stores that answer with a query follow it.
 */
public final class ThreadReplies {

    private long count;
    private Instant lastReplyAt;
    private long lastReplyIndex = -1;
    private final Set<String> participants = new LinkedHashSet<>();

    /**
     * Whether a reply counts in its thread's summary: a message that is neither deleted nor blocked (the same
     * messages an unread count counts).
     */
    public static boolean counts(RoomEvent reply) {
        return reply.type() == EventType.MESSAGE && reply.status() != EventStatus.BLOCKED && !reply.isDeleted();
    }

    /** Adds {@code reply} if it counts; replies are added in index order. */
    public void add(RoomEvent reply) {
        if (!counts(reply)) {
            return;
        }
        count++;
        lastReplyIndex = Math.max(lastReplyIndex, reply.index());
        if (lastReplyAt == null || reply.createdAt().isAfter(lastReplyAt)) {
            lastReplyAt = reply.createdAt();
        }
        String who = reply.source().participantId() != null ? reply.source().participantId()
                : reply.source().channelId();
        if (participants.size() < ThreadSummary.MAX_PARTICIPANTS) {
            participants.add(who);
        }
    }

    /** The summary, empty when no reply counted. */
    public Optional<ThreadSummary> summary() {
        return count == 0 ? Optional.empty()
                : Optional.of(new ThreadSummary(count, lastReplyAt, java.util.List.copyOf(participants),
                        lastReplyIndex));
    }
}
