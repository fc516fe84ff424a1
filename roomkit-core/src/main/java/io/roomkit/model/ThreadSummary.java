package io.roomkit.model;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a thread's root message shows of its replies ({@code thread} in the event's JSON): how many there are,
 * when the last one came, who wrote them, and the newest one's index. Computed from the stored replies when a page of events is read
 * ({@link io.roomkit.RoomKit#events}), so it is exact under concurrent replies: the replies are the events whose
 * {@link RoomEvent#parentEventId()} is the root, counting messages that are neither deleted nor blocked.
 *
 * @param replyCount   the replies
 * @param lastReplyAt  when the newest reply was created
 * @param participants who replied, in the order of their first reply, at most {@value #MAX_PARTICIPANTS}
 * @param lastReplyIndex the index of the newest reply counted: a client that counts replies arriving later adds
 *                       only those with a higher index
 */
public record ThreadSummary(long replyCount, Instant lastReplyAt, List<String> participants, long lastReplyIndex) {

    /** How many repliers a summary names. */
    public static final int MAX_PARTICIPANTS = 10;

    public ThreadSummary {
        if (replyCount < 1) {
            throw new IllegalArgumentException("a thread has at least one reply, was " + replyCount);
        }
        Objects.requireNonNull(lastReplyAt, "lastReplyAt");
        participants = participants == null ? List.of()
                : List.copyOf(participants.subList(0, Math.min(MAX_PARTICIPANTS, participants.size())));
    }

    /** The wire form: {@code {reply_count, last_reply_at, participants}}. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("reply_count", replyCount);
        map.put("last_reply_at", Timestamps.format(lastReplyAt));
        map.put("participants", participants);
        map.put("last_reply_index", lastReplyIndex);
        return map;
    }

    /** Reads the form written by {@link #toMap()}. */
    static ThreadSummary fromMap(MapReader in) {
        Long count = in.optionalLong("reply_count");
        Long lastIndex = in.optionalLong("last_reply_index");
        Object participants = in.rawValue("participants");
        return new ThreadSummary(count == null ? 0 : count, in.instant("last_reply_at"),
                participants instanceof List<?> names ? names.stream().map(String::valueOf).toList() : List.of(),
                lastIndex == null ? -1 : lastIndex);
    }
}
