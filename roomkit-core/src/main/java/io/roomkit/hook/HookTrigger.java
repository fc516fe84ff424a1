package io.roomkit.hook;

/** When a {@link Hook} runs. */
public enum HookTrigger {

    /**
     * Before an event is committed and broadcast, in priority order, on the writer's thread and with no lock
     * held. The only trigger whose result counts: a hook may allow, block (the event is stored {@code BLOCKED}
     * and not broadcast) or modify the event.
     */
    BEFORE_BROADCAST,

    /**
     * After an event has been delivered to the room's channels, in index order per room; each hook sees the
     * room's events one at a time. A hook that stalls is set aside and sees its later events when it returns.
     */
    AFTER_BROADCAST,

    /** After an edit changed a message; the hook receives the updated message. */
    ON_EVENT_UPDATED,

    /** After a delete marked a message deleted; the hook receives the redacted message. */
    ON_EVENT_DELETED
}
