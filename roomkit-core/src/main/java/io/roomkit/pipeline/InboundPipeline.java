package io.roomkit.pipeline;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKitException;
import io.roomkit.RoomNotFoundException;
import io.roomkit.channel.Channel;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.concurrent.KeyedSerialExecutor;
import io.roomkit.hook.Hook;
import io.roomkit.hook.HookEngine;
import io.roomkit.hook.HookTrigger;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.ChannelCategory;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventStatus;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.InboundResult;
import io.roomkit.model.Room;
import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.RoomIds;
import io.roomkit.model.RoomStatus;
import io.roomkit.store.ConversationStore;
import io.roomkit.store.EventCommit;
import io.roomkit.store.RoomWithBindings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.stream.Stream;

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
 */
public final class InboundPipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InboundPipeline.class);

    private final ConversationStore store;
    private final ChannelRegistry channels;
    private final HookEngine hooks;
    private final EditDeleteRules editDeleteRules;
    private final AutoAttachRules autoAttach = new AutoAttachRules();
    private final KeyedLocks routes = new KeyedLocks();
    private final Activity activity = new Activity();
    private final RoomMailboxes mailboxes;
    private final KeyedSerialExecutor answers;
    private final int maxChainDepth;

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
        this.hooks = hooks;
        this.editDeleteRules = new EditDeleteRules(store, moderatorCheck);
        this.maxChainDepth = maxChainDepth;
        this.mailboxes = new RoomMailboxes(deliveries, this::sinksOf, this::invoke, this::askIntelligence, activity,
                stallTimeout);
        this.answers = new KeyedSerialExecutor(intelligence, this::answerRefused);
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
        String roomId = explicit ? RoomIds.requireValid(explicitRoomId) : routedRoom(channel);
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
        return commit(stamped, List.of(), contextOf(room), writer);
    }

    /** Stops the stall watchdog; the executors belong to the kit. */
    @Override
    public void close() {
        mailboxes.close();
    }

    // ---- room resolution ---------------------------------------------------------------------------

    /**
     * The one active room the channel is bound to; otherwise a new room with the channel attached. Serialised
     * per channel, so that concurrent first messages of a channel share one new room.
     */
    private String routedRoom(Channel channel) {
        return routes.withLock(channel.id(), () -> findOrCreateRoutedRoom(channel));
    }

    private String findOrCreateRoutedRoom(Channel channel) {
        List<String> candidates = store.findRoomIdsByChannel(channel.id(), RoomStatus.ACTIVE, 2);
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        if (candidates.size() > 1) {
            log.debug("Channel {} is bound to several active rooms; creating a new room", channel.id());
        }
        String roomId = RoomIds.random();
        store.createRoom(Room.create(roomId));
        store.saveBinding(bindingFor(roomId, channel));
        return roomId;
    }

    private Room createRoomQuietly(String roomId) {
        try {
            return store.createRoom(Room.create(roomId));
        }
        catch (RoomKitException ex) {
            if (!ErrorCodes.ROOM_EXISTS.equals(ex.code())) {
                throw ex;
            }
            return store.getRoom(roomId).orElseThrow(() -> ex);
        }
    }

    /** A read-write binding of {@code channel} to {@code roomId}, of the channel's type and category. */
    public static ChannelBinding bindingFor(String roomId, Channel channel) {
        return ChannelBinding.of(roomId, channel.id(), channel.type(), channel.category());
    }

    // ---- writes ------------------------------------------------------------------------------------

    /**
     * Who writes: how deep in a chain of writes the new event is, the AI answers its call may still provoke,
     * the cascade its delivery belongs to, and whether the writer waits for that cascade.
     */
    private record Writer(int chainDepth, AnswerBudget budget, Cascade cascade, boolean waits) {
    }

    /**
     * A message from a channel. With an explicit room ({@code join}), a missing room is created and the channel
     * joins the room if it is not bound yet; this is folded into the reads the write needs anyway, because each
     * read is a round trip with a database store.
     */
    private InboundResult inbound(Channel channel, InboundMessage message, String roomId, boolean join,
            Writer writer) {
        RoomWithBindings state = store.getRoomWithBindings(roomId).orElse(null);
        if (state == null && !join) {
            throw new RoomNotFoundException(roomId);
        }
        Room room = state == null ? createRoomQuietly(roomId) : state.room();
        if (room.refusesEvents()) {
            return InboundResult.refused(ErrorCodes.ROOM_CLOSED);
        }
        List<ChannelBinding> bindings = state == null ? List.of() : state.bindings();
        boolean bound = false;
        if (join && bindings.stream().noneMatch(binding -> binding.channelId().equals(channel.id()))) {
            ChannelBinding joined = store.saveBinding(bindingFor(roomId, channel));
            bindings = Stream.concat(bindings.stream(), Stream.of(joined)).toList();
            bound = true;
        }
        bound |= autoAttach.apply(roomId, bindings, store, channels);
        RoomContext context = bound ? contextOf(room) : contextOf(room, bindings);
        RoomEvent event = channel.handleInbound(message, context).toBuilder().roomId(roomId)
                .status(EventStatus.PENDING).chainDepth(writer.chainDepth()).build();
        Optional<RoomEvent> original = findDuplicate(event);
        if (original.isPresent()) {
            return InboundResult.stored(original.get());
        }
        return write(event, context, writer, null);
    }

    /**
     * The steps every write shares, from the thread root to the delivery: limits, edit/delete rules, hooks and
     * the write gate without a lock, then the commit. {@code limit} is a reason to store the event blocked
     * before anything else (an AI answer beyond its budget), or {@code null}.
     */
    private InboundResult write(RoomEvent draft, RoomContext context, Writer writer, String limit) {
        RoomEvent event = withThreadRoot(draft);
        String refusal = event.chainDepth() >= maxChainDepth ? ErrorCodes.CHAIN_DEPTH_LIMIT : limit;
        if (refusal != null) {
            return blocked(event, refusal, refusal);
        }
        RoomEvent target = null;
        if (EditDeleteRules.applies(event)) {
            EditDeleteRules.Decision decision = editDeleteRules.check(event, context);
            if (decision.refused()) {
                return InboundResult.refused(decision.refusal());
            }
            target = decision.target();
        }
        Gate gate = gate(event, context, target, writer);
        if (gate.blockReason() != null) {
            return blocked(gate.event(), gate.blockReason(), gate.blockedBy());
        }
        List<RoomEvent> replacements = target == null ? List.of() : editDeleteRules.replacements(gate.event(), target);
        return commit(gate.event(), replacements, context, writer);
    }

    /**
     * Stores the event under the room's commit lock and queues its delivery in index order, then waits for the
     * delivery unless the writer must not. Writers of the room queued on the lock are stored together
     * ({@link RoomMailboxes.Mailbox#commit}), each with its own outcome. The store refuses what changed since the
     * checks: a repeated idempotency key, a target deleted meanwhile, a room closed meanwhile.
     */
    private InboundResult commit(RoomEvent event, List<RoomEvent> replacements, RoomContext context, Writer writer) {
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

    private InboundResult blocked(RoomEvent event, String reason, String blockedBy) {
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

    private Optional<RoomEvent> findDuplicate(RoomEvent event) {
        return event.idempotencyKey() == null ? Optional.empty()
                : store.findByIdempotencyKey(event.roomId(), event.idempotencyKey());
    }

    /** Threads are flat: a reply to a reply joins the root's thread; an unknown parent makes a top-level event. */
    private RoomEvent withThreadRoot(RoomEvent event) {
        if (event.parentEventId() == null) {
            return event;
        }
        Optional<RoomEvent> parent = store.getEvent(event.roomId(), event.parentEventId());
        String root = parent.map(found -> found.parentEventId() != null ? found.parentEventId() : found.id())
                .orElse(null);
        if (root == null) {
            log.debug("Event {} names unknown parent {}; stored at top level", event.id(), event.parentEventId());
        }
        return event.toBuilder().parentEventId(root).build();
    }

    /**
     * {@code BEFORE_BROADCAST} hooks, then the source write gate; hooks' block reasons win. A hook that writes
     * makes an event one hop deeper than this one.
     */
    private Gate gate(RoomEvent event, RoomContext context, RoomEvent editTarget, Writer writer) {
        HookEngine.Verdict verdict = DeliveryScope.of(this, event, writer.budget(), writer.cascade(), !writer.waits())
                .run(() -> hooks.beforeBroadcast(event, context));
        RoomEvent modified = Objects.equals(verdict.event().parentEventId(), event.parentEventId()) ? verdict.event()
                : withThreadRoot(verdict.event());
        RoomEvent checked = editTarget == null ? modified : EditDeleteRules.keepTarget(event, modified);
        if (verdict.blocked()) {
            return new Gate(checked, verdict.blockReason(), verdict.blockedBy());
        }
        Optional<ChannelBinding> source = context.binding(event.source().channelId());
        if (source.isPresent() && !source.get().canWrite()) {
            String reason = source.get().muted() ? ErrorCodes.SOURCE_MUTED : ErrorCodes.SOURCE_READ_ONLY;
            return new Gate(checked, reason, reason);
        }
        return new Gate(checked, null, null);
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

    private RoomContext contextOf(Room room) {
        return contextOf(room, store.listBindings(room.id()));
    }

    private RoomContext contextOf(Room room, List<ChannelBinding> bindings) {
        return new RoomContext(room, bindings, () -> store.listParticipants(room.id()),
                limit -> store.listEvents(room.id(), EventQuery.latest(limit).ofTypes(EventType.MESSAGE)));
    }

    // ---- delivery ----------------------------------------------------------------------------------

    /**
     * The sinks of a plan, in the order they see it: transport channels, the mutation hooks of an edit or
     * delete, then the {@code AFTER_BROADCAST} hooks (which include the STOMP topic broadcast and persistent
     * listeners). Intelligence channels are asked afterwards, by {@link #askIntelligence}.
     */
    private List<DeliverySink> sinksOf(DeliveryPlan plan) {
        List<DeliverySink> sinks = new ArrayList<>(plan.targets().size() + 4);
        for (ChannelBinding target : plan.targets()) {
            Channel channel = target.category() == ChannelCategory.INTELLIGENCE ? null
                    : channels.find(target.channelId()).orElse(null);
            if (channel != null && !hasNoConnections(channel)) {
                sinks.add(new ChannelSink(channel, target));
            }
        }
        if (plan.mutatedTarget() != null) {
            HookTrigger trigger = plan.event().type() == EventType.EDIT ? HookTrigger.ON_EVENT_UPDATED
                    : HookTrigger.ON_EVENT_DELETED;
            hooks.ordered(trigger).forEach(hook -> sinks.add(new HookSink(hook, plan.mutatedTarget())));
        }
        hooks.ordered(HookTrigger.AFTER_BROADCAST).forEach(hook -> sinks.add(new HookSink(hook, null)));
        return sinks;
    }

    /**
     * A WebSocket channel without connections has nothing to hand an event to (a STOMP user's channel: the
     * STOMP topics carry the room's events); in a room of a thousand users, skipping them saves a thousand
     * calls per event.
     */
    private static boolean hasNoConnections(Channel channel) {
        return channel instanceof WebSocketChannel webSocket && webSocket.connectionCount() == 0;
    }

    /** Runs a sink in a scope that makes its writes one hop deeper and keeps them from waiting. */
    private void invoke(DeliverySink sink, DeliveryPlan plan) {
        try {
            DeliveryScope.of(this, plan.event(), plan.budget(), plan.cascade(), true).run(() -> {
                sink.deliver(plan);
                return null;
            });
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (Exception | LinkageError | AssertionError | StackOverflowError ex) {
            log.warn("{} failed to take event {} of room {}", sink.describe(), plan.event().id(),
                    plan.event().roomId(), ex);
        }
    }

    /** A transport channel's binding. */
    private record ChannelSink(Channel channel, ChannelBinding binding) implements DeliverySink {

        @Override
        public Object key() {
            return channel.id();
        }

        @Override
        public void deliver(DeliveryPlan plan) throws Exception {
            channel.deliver(plan.event(), binding, plan.context());
        }

        @Override
        public boolean inline() {
            return channel instanceof NonBlocking
                    || channel instanceof WebSocketChannel webSocket && webSocket.connectionsAreNonBlocking();
        }

        @Override
        public String describe() {
            return "Channel " + channel.id();
        }
    }

    /** An observing hook; the mutation hooks see the updated target instead of the event. */
    private final class HookSink implements DeliverySink {

        private final Hook hook;
        private final RoomEvent mutatedTarget;

        HookSink(Hook hook, RoomEvent mutatedTarget) {
            this.hook = hook;
            this.mutatedTarget = mutatedTarget;
        }

        @Override
        public Object key() {
            return hook;
        }

        @Override
        public void deliver(DeliveryPlan plan) {
            hooks.observe(hook, mutatedTarget != null ? mutatedTarget : plan.event(), plan.context());
        }

        @Override
        public boolean inline() {
            return hook instanceof NonBlocking;
        }

        @Override
        public String describe() {
            return "Hook '" + hook.name() + "' (" + hook.trigger() + ")";
        }
    }

    // ---- AI answers --------------------------------------------------------------------------------

    /**
     * Shows a delivered event to the room's intelligence channels, each on the intelligence executor, one event
     * at a time per room and channel, so that a model that takes seconds holds up neither the writer nor the
     * room.
     */
    private void askIntelligence(DeliveryPlan plan) {
        for (ChannelBinding target : plan.targets()) {
            if (target.category() != ChannelCategory.INTELLIGENCE) {
                continue;
            }
            Channel channel = channels.find(target.channelId()).orElse(null);
            if (channel != null) {
                activity.begin();
                answers.execute(new AnswerKey(plan.event().roomId(), channel.id()),
                        new AnswerTask(plan, channel, target));
            }
        }
    }

    private void answerRefused(Runnable task) {
        AnswerTask refused = (AnswerTask) task;
        log.warn("Channel {} is too busy to answer event {} of room {}: the intelligence executor is full",
                refused.channel.id(), refused.plan.event().id(), refused.plan.event().roomId());
        activity.end();
    }

    private record AnswerKey(String roomId, String channelId) {
    }

    /** Asks one intelligence channel about one event and writes its answers. */
    private final class AnswerTask implements Runnable {

        private final DeliveryPlan plan;
        private final Channel channel;
        private final ChannelBinding binding;

        AnswerTask(DeliveryPlan plan, Channel channel, ChannelBinding binding) {
            this.plan = plan;
            this.channel = channel;
            this.binding = binding;
        }

        @Override
        public void run() {
            RoomEvent event = plan.event();
            try {
                DeliveryScope.of(InboundPipeline.this, event, plan.budget(), Cascade.UNWATCHED, true).run(() -> {
                    List<RoomEvent> responses = channel.onEvent(event, binding, plan.context());
                    if (responses != null) { // a muted binding's answers are stored BLOCKED by the write gate
                        responses.forEach(response -> answer(response, channel.id(), plan));
                    }
                    return null;
                });
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            catch (Exception | LinkageError | AssertionError | StackOverflowError ex) {
                log.warn("Channel {} failed to answer event {} of room {}", channel.id(), event.id(),
                        event.roomId(), ex);
            }
            finally {
                activity.end();
            }
        }
    }

    /** An answer re-enters the pipeline one hop deeper than its trigger, in the trigger's thread. */
    private void answer(RoomEvent response, String channelId, DeliveryPlan trigger) {
        String roomId = trigger.event().roomId();
        try {
            RoomWithBindings state = store.getRoomWithBindings(roomId).orElse(null);
            if (state == null || state.room().refusesEvents()) {
                log.debug("Answer of channel {} dropped: room {} is gone or closed", channelId, roomId);
                return;
            }
            RoomEvent answer = response.toBuilder().roomId(roomId).chainDepth(trigger.event().chainDepth() + 1)
                    .status(EventStatus.PENDING)
                    .parentEventId(response.parentEventId() != null ? response.parentEventId()
                            : trigger.event().parentEventId())
                    .build();
            String limit = trigger.budget().take() ? null : ErrorCodes.REENTRY_LOOP_CAP;
            InboundResult result = write(answer, contextOf(state.room(), state.bindings()),
                    new Writer(answer.chainDepth(), trigger.budget(), Cascade.UNWATCHED, false), limit);
            if (result.event() == null) {
                log.debug("Answer {} of channel {} refused: {}", answer.id(), channelId, result.reason());
            }
        }
        catch (RuntimeException ex) {
            log.warn("Answer of channel {} to event {} failed", channelId, trigger.event().id(), ex);
        }
    }

    /** Mailboxes in use; zero when nothing is being processed. */
    int activeMailboxes() {
        return mailboxes.activeMailboxes();
    }

    /** The event after the hooks, and the block if there is one. */
    private record Gate(RoomEvent event, String blockReason, String blockedBy) {
    }
}
