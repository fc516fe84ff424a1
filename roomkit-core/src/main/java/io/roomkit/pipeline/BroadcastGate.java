package io.roomkit.pipeline;

import io.roomkit.ErrorCodes;
import io.roomkit.hook.HookEngine;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;

import java.util.Objects;
import java.util.Optional;

/**
 * What a checked event passes before its commit (DESIGN §3): the {@code BEFORE_BROADCAST} hooks (allow, block,
 * modify), then the source's write gate (a muted or read-only binding). Runs on the writer's thread with no
 * lock held, because the hooks are code RoomKit does not own.
 */
final class BroadcastGate {

    private final InboundPipeline pipeline;
    private final HookEngine hooks;
    private final ThreadRoots threadRoots;

    BroadcastGate(InboundPipeline pipeline, HookEngine hooks, ThreadRoots threadRoots) {
        this.pipeline = pipeline;
        this.hooks = hooks;
        this.threadRoots = threadRoots;
    }

    /**
     * {@code BEFORE_BROADCAST} hooks, then the source write gate; hooks' block reasons win. A hook that writes
     * makes an event one hop deeper than this one. {@code editTarget} is the validated target of an edit or
     * delete, which hooks may not change, or {@code null}.
     */
    Outcome check(RoomEvent event, RoomContext context, RoomEvent editTarget, Writer writer) {
        HookEngine.Verdict verdict = DeliveryScope.of(pipeline, event, writer.budget(), writer.cascade(),
                !writer.waits()).run(() -> hooks.beforeBroadcast(event, context));
        RoomEvent modified = Objects.equals(verdict.event().parentEventId(), event.parentEventId()) ? verdict.event()
                : threadRoots.withThreadRoot(verdict.event());
        RoomEvent checked = editTarget == null ? modified : EditDeleteRules.keepTarget(event, modified);
        if (verdict.blocked()) {
            return new Outcome(checked, verdict.blockReason(), verdict.blockedBy());
        }
        Optional<ChannelBinding> source = context.binding(event.source().channelId());
        if (source.isPresent() && !source.get().canWrite()) {
            String reason = source.get().muted() ? ErrorCodes.SOURCE_MUTED : ErrorCodes.SOURCE_READ_ONLY;
            return new Outcome(checked, reason, reason);
        }
        return new Outcome(checked, null, null);
    }

    /** The event after the hooks, and the block if there is one. */
    record Outcome(RoomEvent event, String blockReason, String blockedBy) {
    }
}
