package io.roomkit.hook;

import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Holds the registered hooks and runs them. Registration order breaks priority ties.
 * Thread-safe: hooks may be added and removed while events are processed.
 */
public final class HookEngine {

    private static final Logger log = LoggerFactory.getLogger(HookEngine.class);

    private final List<Hook> hooks = new CopyOnWriteArrayList<>();

    public void add(Hook hook) {
        hooks.add(hook);
    }

    /** Removes every hook with that name; {@code false} if there was none. */
    public boolean remove(String name) {
        return hooks.removeIf(hook -> hook.name().equals(name));
    }

    public List<Hook> hooks() {
        return List.copyOf(hooks);
    }

    /**
     * Runs the {@code BEFORE_BROADCAST} hooks in priority order. Each hook sees the event as modified by the
     * hooks before it; the first block ends the chain.
     */
    public Verdict beforeBroadcast(RoomEvent event, RoomContext context) {
        RoomEvent current = event;
        for (Hook hook : ordered(HookTrigger.BEFORE_BROADCAST)) {
            HookResult result = invoke(hook, current, context);
            if (result instanceof HookResult.Block block) {
                return new Verdict(current, block.reason(), hook.name());
            }
            if (result instanceof HookResult.Modify modify) {
                current = keepIdentity(current, modify.event());
            }
        }
        return new Verdict(current, null, null);
    }

    /** Runs the hooks of an observing trigger in priority order, ignoring their results. */
    public void observe(HookTrigger trigger, RoomEvent event, RoomContext context) {
        for (Hook hook : ordered(trigger)) {
            invoke(hook, event, context);
        }
    }

    /** Runs one hook of an observing trigger, ignoring its result; a hook that throws is logged. */
    public void observe(Hook hook, RoomEvent event, RoomContext context) {
        invoke(hook, event, context);
    }

    /** The hooks of {@code trigger} in the order they run: by priority, then by registration. */
    public List<Hook> ordered(HookTrigger trigger) {
        return hooks.stream().filter(hook -> hook.trigger() == trigger)
                .sorted(Comparator.comparingInt(Hook::priority)).toList();
    }

    private static HookResult invoke(Hook hook, RoomEvent event, RoomContext context) {
        try {
            HookResult result = hook.handle(event, context);
            return result == null ? HookResult.allow() : result;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return HookResult.allow();
        }
        catch (Exception ex) {
            log.warn("Hook '{}' ({}) failed on event {}; treated as allow", hook.name(), hook.trigger(), event.id(),
                    ex);
            return HookResult.allow();
        }
    }

    /** A modification may change content, metadata and thread, never who sent what where. */
    private static RoomEvent keepIdentity(RoomEvent original, RoomEvent modified) {
        return original.toBuilder().content(modified.content()).metadata(modified.metadata())
                .parentEventId(modified.parentEventId()).build();
    }

    /**
     * The outcome of the {@code BEFORE_BROADCAST} chain.
     *
     * @param event     the event after modifications
     * @param blockReason the reason of the blocking hook, or {@code null} when allowed
     * @param blockedBy the name of the blocking hook, or {@code null}
     */
    public record Verdict(RoomEvent event, String blockReason, String blockedBy) {

        public boolean blocked() {
            return blockReason != null;
        }
    }
}
