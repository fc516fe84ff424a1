package io.roomkit.pipeline;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomNotFoundException;
import io.roomkit.channel.Channel;
import io.roomkit.hook.HookEngine;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.EventStatus;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.InboundResult;
import io.roomkit.model.Room;
import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.RoomIds;
import io.roomkit.store.ConversationStore;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The persistent-event pipeline of DESIGN §3: channel lookup, room resolution, status gate, idempotency,
 * edit/delete validation, {@code BEFORE_BROADCAST} hooks, source write gate, commit, broadcast in index order,
 * {@code AFTER_BROADCAST} hooks, and AI answers, which re-enter the pipeline up to a chain depth.
 * <p>
 * No lock is held while code RoomKit does not own runs. The checks and the {@code BEFORE_BROADCAST} hooks run
 * on the writer's thread with no lock; the store makes the commit atomic (index, idempotency key, the target of
 * an edit or delete, the room's status) and the room's commit lock is held only while the store assigns the
 * index and the delivery is queued ({@link RoomMailboxes}). Intelligence channels are asked after the delivery,
 * on their own executor, one event at a time per room and channel. Thread-safe; one instance per kit.
 * <p>
 * This class keeps the order of the steps; each step is a collaborator: {@code RoomResolver} (room resolution),
 * {@code EditDeleteRules}, {@code BroadcastGate} (hooks and write gate), {@code EventCommitter} (idempotency,
 * commit, blocked events), {@code DeliverySinks} (broadcast) and {@code IntelligenceAnswers} (AI answers).
 */
public final class InboundPipeline implements AutoCloseable {

    private final ConversationStore store;
    private final ChannelRegistry channels;
    private final int maxChainDepth;
    private final AutoAttachRules autoAttach = new AutoAttachRules();
    private final Activity activity = new Activity();
    private final RoomResolver rooms;
    private final ThreadRoots threadRoots;
    private final EditDeleteRules editDeleteRules;
    private final BroadcastGate gate;
    private final RoomMailboxes mailboxes;
    private final EventCommitter committer;

    /**
     * @param deliveries   runs room deliveries that no waiting caller runs (an elastic pool: sinks may block)
     * @param intelligence runs the AI channels' answers (a bounded pool)
     * @param stallTimeout how long a channel or hook may take one event before the room goes on without it
     */
    public InboundPipeline(ConversationStore store, ChannelRegistry channels, HookEngine hooks,
            ModeratorCheck moderatorCheck, int maxChainDepth, Executor deliveries, Executor intelligence,
            Duration stallTimeout) {
        this.store = store;
        this.channels = channels;
        this.editDeleteRules = new EditDeleteRules(store, moderatorCheck);
        this.maxChainDepth = maxChainDepth;
        this.rooms = new RoomResolver(store, channels, autoAttach);
        this.threadRoots = new ThreadRoots(store);
        this.gate = new BroadcastGate(this, hooks, threadRoots);
        DeliverySinks sinks = new DeliverySinks(this, channels, hooks);
        IntelligenceAnswers answers = new IntelligenceAnswers(this, store, channels, rooms, activity, intelligence);
        this.mailboxes = new RoomMailboxes(deliveries, sinks::sinksOf, sinks::invoke, answers::ask, activity,
                stallTimeout);
        this.committer = new EventCommitter(store, channels, mailboxes);
    }

    /** The rules that attach channels to rooms by pattern. */
    public AutoAttachRules autoAttachRules() {
        return autoAttach;
    }

    /** Runs {@code action} while holding the room's commit lock; for store work only. */
    public <T> T withRoomLock(String roomId, Supplier<T> action) {
        RoomMailboxes.Mailbox mailbox = mailboxes.acquire(roomId);
        mailbox.lock();
        try {
            return action.get();
        }
        finally {
            mailbox.unlock();
            mailboxes.release(mailbox);
        }
    }

    /**
     * Waits until every delivery and AI answer set off so far has happened, and those they set off in turn;
     * false when {@code timeout} passed first.
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return activity.awaitIdle(timeout);
    }

    /** Processes a message; {@code explicitRoomId} may be {@code null} to route by channel. */
    public InboundResult process(InboundMessage message, String explicitRoomId) {
        Channel channel = channels.require(message.channelId());
        boolean explicit = explicitRoomId != null;
        String roomId = explicit ? RoomIds.requireValid(explicitRoomId) : rooms.routedRoom(channel);
        return inbound(channel, message, roomId, explicit, writerOf(DeliveryScope.current()));
    }

    /**
     * Who the caller is: a writer outside any scope starts a chain and waits for its cascade; a writer inside a
     * delivery or AI answer goes one hop deeper and joins the cascade without waiting; a writer in a hook on a
     * thread that may wait goes one hop deeper and waits for a cascade of its own.
     */
    private Writer writerOf(DeliveryScope scope) {
        if (scope == null || scope.pipeline() != this) {
            boolean waits = scope == null || !scope.mustNotWait();
            return new Writer(0, new AnswerBudget(maxChainDepth * 10), waits ? new Cascade() : Cascade.UNWATCHED,
                    waits);
        }
        int depth = scope.cause().chainDepth() + 1;
        return scope.mustNotWait() ? new Writer(depth, scope.budget(), scope.cascade(), false)
                : new Writer(depth, scope.budget(), new Cascade(), true);
    }

    /**
     * Stores a fact about the room that the kit itself states (a membership change) and delivers it like any
     * event: it gets the room's next index and reaches the {@code AFTER_BROADCAST} hooks (STOMP topics,
     * persistent listeners). It is not the content of a channel, so no {@code BEFORE_BROADCAST} hook or write
     * gate may block it, and no channel is bound for it. A closed room refuses it ({@code room_closed}).
     */
    public InboundResult record(RoomEvent event) {
        Room room = store.getRoom(event.roomId()).orElseThrow(() -> new RoomNotFoundException(event.roomId()));
        Writer writer = writerOf(DeliveryScope.current());
        RoomEvent stamped = event.toBuilder().chainDepth(writer.chainDepth()).build();
        return committer.commit(stamped, List.of(), rooms.contextOf(room), writer);
    }

    /** Stops the stall watchdog; the executors belong to the kit. */
    @Override
    public void close() {
        mailboxes.close();
    }

    /** A read-write binding of {@code channel} to {@code roomId}, of the channel's type and category. */
    public static ChannelBinding bindingFor(String roomId, Channel channel) {
        return ChannelBinding.of(roomId, channel.id(), channel.type(), channel.category());
    }

    // ---- writes ------------------------------------------------------------------------------------

    /**
     * A message from a channel: room resolution and the status gate ({@link RoomResolver#enter}), the channel's
     * own conversion of the message, then idempotency (a repeated key returns the original event).
     */
    private InboundResult inbound(Channel channel, InboundMessage message, String roomId, boolean join,
            Writer writer) {
        Optional<RoomContext> entered = rooms.enter(channel, roomId, join);
        if (entered.isEmpty()) {
            return InboundResult.refused(ErrorCodes.ROOM_CLOSED);
        }
        RoomContext context = entered.get();
        RoomEvent event = channel.handleInbound(message, context).toBuilder().roomId(roomId)
                .status(EventStatus.PENDING).chainDepth(writer.chainDepth()).build();
        Optional<RoomEvent> original = committer.findDuplicate(event);
        if (original.isPresent()) {
            return InboundResult.stored(original.get());
        }
        return write(event, context, writer, null);
    }

    /**
     * The steps every write shares, from the thread root to the delivery: limits, edit/delete rules, hooks and
     * the write gate without a lock, then the commit. {@code limit} is a reason to store the event blocked
     * before anything else (an AI answer beyond its budget), or {@code null}. AI answers enter here.
     */
    InboundResult write(RoomEvent draft, RoomContext context, Writer writer, String limit) {
        RoomEvent event = threadRoots.withThreadRoot(draft);
        String refusal = event.chainDepth() >= maxChainDepth ? ErrorCodes.CHAIN_DEPTH_LIMIT : limit;
        if (refusal != null) {
            return committer.blocked(event, refusal, refusal);
        }
        RoomEvent target = null;
        if (EditDeleteRules.applies(event)) {
            EditDeleteRules.Decision decision = editDeleteRules.check(event, context);
            if (decision.refused()) {
                return InboundResult.refused(decision.refusal());
            }
            target = decision.target();
        }
        BroadcastGate.Outcome passed = gate.check(event, context, target, writer);
        if (passed.blockReason() != null) {
            return committer.blocked(passed.event(), passed.blockReason(), passed.blockedBy());
        }
        List<RoomEvent> replacements = target == null ? List.of()
                : editDeleteRules.replacements(passed.event(), target);
        return committer.commit(passed.event(), replacements, context, writer);
    }

    /** Mailboxes in use; zero when nothing is being processed. */
    int activeMailboxes() {
        return mailboxes.activeMailboxes();
    }
}
