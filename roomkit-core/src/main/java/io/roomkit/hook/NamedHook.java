package io.roomkit.hook;

import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;

import java.util.Objects;

/** A hook whose trigger, name and priority were given explicitly ({@link Hook#of}). */
record NamedHook(HookTrigger trigger, String name, int priority, Hook body) implements Hook {

    NamedHook {
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
    }

    @Override
    public HookResult handle(RoomEvent event, RoomContext context) throws Exception {
        return body.handle(event, context);
    }
}
