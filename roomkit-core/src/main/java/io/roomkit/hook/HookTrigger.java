package io.roomkit.hook;

/** When a {@link Hook} runs. */
public enum HookTrigger {

    /**
     * Before an event is committed and broadcast, under the room lock, in priority order. The only trigger
     * whose result counts: a hook may allow, block (the event is stored {@code BLOCKED} and not broadcast)
     * or modify the event.
     */
    BEFORE_BROADCAST,

    /** After an event has been delivered to the room's channels, in index order per room. */
    AFTER_BROADCAST,

    /** After an edit changed a message; the hook receives the updated message. */
    ON_EVENT_UPDATED,

    /** After a delete marked a message deleted; the hook receives the redacted message. */
    ON_EVENT_DELETED
}
