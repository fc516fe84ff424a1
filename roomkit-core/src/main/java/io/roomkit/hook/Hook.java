package io.roomkit.hook;

import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;

/**
 * Application code that runs in the inbound pipeline. A plain lambda is a {@link HookTrigger#BEFORE_BROADCAST}
 * hook with priority 0; use {@link #of} for other triggers, names and priorities. Hooks with lower priority
 * run first. A hook that throws is logged and treated as {@link HookResult#allow()}.
 */
@FunctionalInterface
public interface Hook {

    HookResult handle(RoomEvent event, RoomContext context) throws Exception;

    default HookTrigger trigger() {
        return HookTrigger.BEFORE_BROADCAST;
    }

    /** Lower runs first. */
    default int priority() {
        return 0;
    }

    /** Stored as {@code blockedBy} when this hook blocks; also the key for {@code removeHook}. */
    default String name() {
        return getClass().getName();
    }

    /** A hook with the given trigger, name and priority. */
    static Hook of(HookTrigger trigger, String name, int priority, Hook body) {
        return new NamedHook(trigger, name, priority, body);
    }

    /** An observer hook that only looks: for {@code AFTER_BROADCAST} and the mutation triggers. */
    static Hook observer(HookTrigger trigger, String name, EventObserver observer) {
        return new NamedHook(trigger, name, 0, (event, context) -> {
            observer.observe(event, context);
            return HookResult.allow();
        });
    }

    /** The body of an {@link #observer} hook. */
    @FunctionalInterface
    interface EventObserver {

        void observe(RoomEvent event, RoomContext context) throws Exception;
    }
}
