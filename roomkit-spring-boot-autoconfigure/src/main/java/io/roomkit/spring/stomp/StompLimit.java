package io.roomkit.spring.stomp;

import java.util.Locale;

/**
 * The rate limits of STOMP clients ({@code roomkit.websocket.limits.*}), each with its own counter of refused
 * frames ({@code roomkit.websocket.limited}, tagged {@code limit} with {@link #tag()}).
 */
public enum StompLimit {

    /** Persistent frames of a user: messages, edits, deletes (and any other stored action). */
    MESSAGES,
    /** Ephemeral frames of a user: typing, presence, reactions, read. */
    EPHEMERAL,
    /** History requests of a user. */
    HISTORY,
    /** Topic and error-queue subscriptions one session holds at once. */
    SUBSCRIPTIONS,
    /** Rooms a user creates by using new room ids (open rooms). */
    ROOMS;

    /** The lower-case name used in meter tags and log lines. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
