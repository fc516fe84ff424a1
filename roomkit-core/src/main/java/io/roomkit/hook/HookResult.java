package io.roomkit.hook;

import io.roomkit.model.RoomEvent;

import java.util.Objects;

/** What a {@link HookTrigger#BEFORE_BROADCAST} hook decided. Results of other triggers are ignored. */
public sealed interface HookResult {

    /** Let the event through unchanged. */
    static HookResult allow() {
        return Allow.INSTANCE;
    }

    /** Stop the event: it is stored {@code BLOCKED} with this reason and not broadcast. */
    static HookResult block(String reason) {
        return new Block(reason);
    }

    /**
     * Replace the event's content, metadata or thread. The id, room, type, source and idempotency key of the
     * original are kept whatever the replacement says.
     */
    static HookResult modify(RoomEvent event) {
        return new Modify(event);
    }

    /** See {@link HookResult#allow()}. */
    enum Allow implements HookResult {
        INSTANCE
    }

    /** See {@link HookResult#block(String)}. */
    record Block(String reason) implements HookResult {

        public Block {
            Objects.requireNonNull(reason, "a block needs a reason");
        }
    }

    /** See {@link HookResult#modify(RoomEvent)}. */
    record Modify(RoomEvent event) implements HookResult {

        public Modify {
            Objects.requireNonNull(event, "a modification needs an event");
        }
    }
}
