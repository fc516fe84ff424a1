package io.roomkit.pipeline;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKitException;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.EventStatus;
import io.roomkit.model.InboundResult;
import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;
import io.roomkit.store.ConversationStore;
import io.roomkit.store.EventCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * The last step of a write (DESIGN §3): the commit, which assigns the index, and the broadcast it plans; or the
 * storing of a blocked event. The store makes the commit atomic and refuses what changed since the pipeline's
 * checks (a repeated idempotency key, a target deleted meanwhile, a room closed meanwhile); this class says what
 * such a refusal means for the caller.
 */
final class EventCommitter {

    /** The pipeline's category, so that its log settings keep covering this step. */
    private static final Logger log = LoggerFactory.getLogger(InboundPipeline.class);

    private final ConversationStore store;
    private final ChannelRegistry channels;
    private final RoomMailboxes mailboxes;

    EventCommitter(ConversationStore store, ChannelRegistry channels, RoomMailboxes mailboxes) {
        this.store = store;
        this.channels = channels;
        this.mailboxes = mailboxes;
    }

    /**
     * Stores the event under the room's commit lock and queues its delivery in index order, then waits for the
     * delivery unless the writer must not. Writers of the room queued on the lock are stored together
     * ({@link RoomMailboxes.Mailbox#commit}), each with its own outcome. The store refuses what changed since the
     * checks: a repeated idempotency key, a target deleted meanwhile, a room closed meanwhile.
     */
    InboundResult commit(RoomEvent event, List<RoomEvent> replacements, RoomContext context, Writer writer) {
        RoomMailboxes.Mailbox mailbox = mailboxes.acquire(event.roomId());
        try {
            RoomEvent mutatedTarget = replacements.isEmpty() ? null : replacements.get(0);
            DeliveryPlan plan;
            try {
                plan = mailbox.commit(new RoomMailboxes.PendingCommit(new EventCommit(delivered(event), replacements),
                        stored -> planBroadcast(stored, context, mutatedTarget, writer)), store);
            }
            catch (RoomKitException ex) {
                return refusedByStore(ex, event);
            }
            mailboxes.deliver(mailbox, plan, writer.waits());
            return InboundResult.stored(plan.event());
        }
        finally {
            mailboxes.release(mailbox);
        }
    }

    /** What a refusal of the store's own checks means for the caller. */
    private InboundResult refusedByStore(RoomKitException ex, RoomEvent event) {
        return switch (ex.code()) {
            // a writer (maybe on another node) changed the target or the room after our checks
            case ErrorCodes.TARGET_DELETED, ErrorCodes.ALREADY_DELETED, ErrorCodes.ROOM_CLOSED ->
                    InboundResult.refused(ex.code());
            case ErrorCodes.DUPLICATE_IDEMPOTENCY_KEY -> InboundResult.stored(findDuplicate(event).orElseThrow(() -> ex));
            default -> throw ex;
        };
    }

    /** Stores the event BLOCKED, as the reference does for a hook's block; it is not delivered. */
    InboundResult blocked(RoomEvent event, String reason, String blockedBy) {
        RoomEvent blocked = event.toBuilder().status(EventStatus.BLOCKED).blockedBy(blockedBy).build();
        try {
            return InboundResult.blocked(store.commit(EventCommit.of(blocked)), reason);
        }
        catch (RoomKitException ex) {
            if (ErrorCodes.ROOM_CLOSED.equals(ex.code())) {
                return InboundResult.refused(ex.code());
            }
            if (!ErrorCodes.DUPLICATE_IDEMPOTENCY_KEY.equals(ex.code())) {
                throw ex;
            }
            log.debug("Blocked event {} ({}) lost an idempotency race; keeping the original", event.id(), reason);
            return InboundResult.blocked(findDuplicate(event).orElseThrow(() -> ex), reason);
        }
    }

    /** The stored event with the same idempotency key: a repeat returns it instead of storing again. */
    Optional<RoomEvent> findDuplicate(RoomEvent event) {
        return event.idempotencyKey() == null ? Optional.empty()
                : store.findByIdempotencyKey(event.roomId(), event.idempotencyKey());
    }

    private static RoomEvent delivered(RoomEvent event) {
        return event.toBuilder().status(EventStatus.DELIVERED).blockedBy(null).build();
    }

    /** Every binding of the room but the source's that may read and whose channel is registered. */
    private DeliveryPlan planBroadcast(RoomEvent event, RoomContext context, RoomEvent mutatedTarget,
            Writer writer) {
        String sourceId = event.source().channelId();
        boolean sourceBound = context.binding(sourceId).isPresent();
        List<ChannelBinding> targets = !sourceBound ? List.of()
                : context.bindings().stream().filter(binding -> !binding.channelId().equals(sourceId))
                        .filter(ChannelBinding::canRead)
                        .filter(binding -> channels.find(binding.channelId()).isPresent()).toList();
        return new DeliveryPlan(event, context, targets, mutatedTarget, writer.budget(), writer.cascade());
    }
}
