package io.roomkit.pipeline;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKitException;
import io.roomkit.RoomNotFoundException;
import io.roomkit.channel.Channel;
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

import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The persistent-event pipeline of DESIGN §3: channel lookup, room resolution, room lock, status gate,
 * idempotency, edit/delete validation, {@code BEFORE_BROADCAST} hooks, source write gate, commit, broadcast
 * in index order, {@code AFTER_BROADCAST} hooks, and the re-entry of AI answers up to a chain depth.
 * Thread-safe; one instance per kit.
 */
public final class InboundPipeline {

    private static final Logger log = LoggerFactory.getLogger(InboundPipeline.class);

    private final ConversationStore store;
    private final ChannelRegistry channels;
    private final HookEngine hooks;
    private final EditDeleteRules editDeleteRules;
    private final RoomLanes lanes = new RoomLanes();
    private final AutoAttachRules autoAttach = new AutoAttachRules();
    private final RoomLanes routes = new RoomLanes();
    private final int maxChainDepth;

    public InboundPipeline(ConversationStore store, ChannelRegistry channels, HookEngine hooks,
            ModeratorCheck moderatorCheck, int maxChainDepth) {
        this.store = store;
        this.channels = channels;
        this.hooks = hooks;
        this.editDeleteRules = new EditDeleteRules(store, moderatorCheck);
        this.maxChainDepth = maxChainDepth;
    }

    /** The rules that attach channels to rooms by pattern. */
    public AutoAttachRules autoAttachRules() {
        return autoAttach;
    }

    /** Runs {@code action} while holding the room's lock, as the pipeline does for commits. */
    public <T> T withRoomLock(String roomId, Supplier<T> action) {
        RoomLanes.Lane lane = lanes.acquire(roomId);
        lane.lockRoom();
        try {
            return action.get();
        }
        finally {
            lane.unlockRoom();
            lanes.release(lane);
        }
    }

    /** Processes a message; {@code explicitRoomId} may be {@code null} to route by channel. */
    public InboundResult process(InboundMessage message, String explicitRoomId) {
        Channel channel = channels.require(message.channelId());
        boolean explicit = explicitRoomId != null;
        String roomId = explicit ? RoomIds.requireValid(explicitRoomId) : routedRoom(channel);
        Cascade cascade = new Cascade();
        InboundResult result = commitInbound(channel, message, roomId, explicit, cascade);
        cascade.run();
        return result;
    }

    // ---- room resolution ---------------------------------------------------------------------------

    /**
     * The one active room the channel is bound to; otherwise a new room with the channel attached. Serialised
     * per channel, so that concurrent first messages of a channel share one new room.
     */
    private String routedRoom(Channel channel) {
        RoomLanes.Lane route = routes.acquire(channel.id());
        route.lockRoom();
        try {
            return findOrCreateRoutedRoom(channel);
        }
        finally {
            route.unlockRoom();
            routes.release(route);
        }
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

    // ---- the locked part ---------------------------------------------------------------------------

    /**
     * The locked part of {@link #process}. With an explicit room ({@code join}), a missing room is created and
     * the channel joins the room if it is not bound yet; this is folded into the reads the commit needs anyway,
     * because each read is a round trip with a database store.
     */
    private InboundResult commitInbound(Channel channel, InboundMessage message, String roomId, boolean join,
            Cascade cascade) {
        RoomLanes.Lane lane = lanes.acquire(roomId);
        try {
            DeliveryPlan plan;
            InboundResult result;
            lane.lockRoom();
            try {
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
                        .status(EventStatus.PENDING).chainDepth(0).build();
                Optional<RoomEvent> original = findDuplicate(event);
                if (original.isPresent()) {
                    return InboundResult.stored(original.get());
                }
                event = withThreadRoot(event);
                RoomEvent target = null;
                if (EditDeleteRules.applies(event)) {
                    EditDeleteRules.Decision decision = editDeleteRules.check(event, context);
                    if (decision.refused()) {
                        return InboundResult.refused(decision.refusal());
                    }
                    target = decision.target();
                }
                Gate gate = gate(event, context, target);
                if (gate.blockReason() != null) {
                    return InboundResult.blocked(commitBlocked(gate.event(), gate.blockReason(), gate.blockedBy()),
                            gate.blockReason());
                }
                List<RoomEvent> replacements = target == null ? List.of()
                        : editDeleteRules.replacements(gate.event(), target);
                RoomEvent stored;
                try {
                    stored = store.commit(new EventCommit(delivered(gate.event()), replacements));
                }
                catch (RoomKitException ex) {
                    if (ErrorCodes.TARGET_DELETED.equals(ex.code()) || ErrorCodes.ALREADY_DELETED.equals(ex.code())) {
                        // a writer on another node deleted the target after our checks; the store said so under its lock
                        return InboundResult.refused(ex.code());
                    }
                    if (!ErrorCodes.DUPLICATE_IDEMPOTENCY_KEY.equals(ex.code())) {
                        throw ex;
                    }
                    return InboundResult.stored(findDuplicate(event).orElseThrow(() -> ex));
                }
                plan = planBroadcast(stored, context, replacements.isEmpty() ? null : replacements.get(0));
                lane.enqueue(plan);
                result = InboundResult.stored(stored);
            }
            finally {
                lane.unlockRoom();
            }
            lane.awaitDelivered(plan, executorFor(cascade));
            if (!plan.isNested()) {
                askIntelligence(plan);
            }
            cascade.addAll(plan);
            return result;
        }
        finally {
            lanes.release(lane);
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

    /** {@code BEFORE_BROADCAST} hooks, then the source write gate; hooks' block reasons win. */
    private Gate gate(RoomEvent event, RoomContext context, RoomEvent editTarget) {
        HookEngine.Verdict verdict = hooks.beforeBroadcast(event, context);
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

    private RoomEvent commitBlocked(RoomEvent event, String reason, String blockedBy) {
        RoomEvent blocked = event.toBuilder().status(EventStatus.BLOCKED).blockedBy(blockedBy).build();
        try {
            return store.commit(EventCommit.of(blocked));
        }
        catch (RoomKitException ex) {
            if (!ErrorCodes.DUPLICATE_IDEMPOTENCY_KEY.equals(ex.code())) {
                throw ex;
            }
            log.debug("Blocked event {} ({}) lost an idempotency race; keeping the original", event.id(), reason);
            return findDuplicate(event).orElseThrow(() -> ex);
        }
    }

    private static RoomEvent delivered(RoomEvent event) {
        return event.toBuilder().status(EventStatus.DELIVERED).blockedBy(null).build();
    }

    /** Every binding of the room but the source's that may read and whose channel is registered. */
    private DeliveryPlan planBroadcast(RoomEvent event, RoomContext context, RoomEvent mutatedTarget) {
        String sourceId = event.source().channelId();
        boolean sourceBound = context.binding(sourceId).isPresent();
        List<ChannelBinding> targets = !sourceBound ? List.of()
                : context.bindings().stream().filter(binding -> !binding.channelId().equals(sourceId))
                        .filter(ChannelBinding::canRead)
                        .filter(binding -> channels.find(binding.channelId()).isPresent()).toList();
        return new DeliveryPlan(event, context, targets, mutatedTarget);
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
     * Executes the plans of a lane for a caller. A nested plan (written from inside a delivery of the room) is
     * executed after its writer returned, so its AI answers are asked for here and join the cascade of the
     * caller that executes it.
     */
    private Consumer<DeliveryPlan> executorFor(Cascade cascade) {
        return next -> {
            execute(next);
            if (next.isNested()) {
                askIntelligence(next);
                cascade.addAll(next);
            }
        };
    }

    /**
     * Executes a plan in the room's lane: transport deliveries, then the observing hooks (which include the
     * STOMP topic broadcast). Intelligence channels are asked afterwards, outside the lane, by
     * {@link #askIntelligence}: a model that takes seconds to answer must not hold up the room's other events.
     */
    private void execute(DeliveryPlan plan) {
        RoomEvent event = plan.event();
        for (ChannelBinding target : plan.targets()) {
            Channel channel = channels.find(target.channelId()).orElse(null);
            if (channel == null || target.category() == ChannelCategory.INTELLIGENCE) {
                continue;
            }
            try {
                channel.deliver(event, target, plan.context());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            catch (Exception ex) {
                log.warn("Channel {} failed to take event {} of room {}", channel.id(), event.id(), event.roomId(),
                        ex);
            }
        }
        if (plan.mutatedTarget() != null) {
            hooks.observe(event.type() == EventType.EDIT ? HookTrigger.ON_EVENT_UPDATED : HookTrigger.ON_EVENT_DELETED,
                    plan.mutatedTarget(), plan.context());
        }
        hooks.observe(HookTrigger.AFTER_BROADCAST, event, plan.context());
    }

    /** Shows a delivered event to the room's intelligence channels and collects their answers. */
    private void askIntelligence(DeliveryPlan plan) {
        RoomEvent event = plan.event();
        for (ChannelBinding target : plan.targets()) {
            Channel channel = channels.find(target.channelId()).orElse(null);
            if (channel == null || target.category() != ChannelCategory.INTELLIGENCE) {
                continue;
            }
            try {
                List<RoomEvent> answers = channel.onEvent(event, target, plan.context());
                if (answers != null) { // a muted binding's answers are stored BLOCKED by the write gate
                    answers.forEach(answer -> plan.addResponse(new DeliveryPlan.Response(channel.id(), answer)));
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            catch (Exception ex) {
                log.warn("Channel {} failed to answer event {} of room {}", channel.id(), event.id(),
                        event.roomId(), ex);
            }
        }
    }

    // ---- AI answers --------------------------------------------------------------------------------

    /**
     * The answers that one call's events provoked, processed after the call's own broadcast, breadth
     * first, with a budget so that two chatty AI channels cannot loop for ever.
     */
    private final class Cascade {

        private final Queue<DeliveryPlan.Response> pending = new ArrayDeque<>();
        private final Queue<RoomEvent> triggers = new ArrayDeque<>();
        private int budget = maxChainDepth * 10;

        void addAll(DeliveryPlan plan) {
            for (DeliveryPlan.Response response : plan.responses()) {
                pending.add(response);
                triggers.add(plan.event());
            }
        }

        void run() {
            while (!pending.isEmpty()) {
                DeliveryPlan.Response response = pending.poll();
                RoomEvent trigger = triggers.poll();
                try {
                    commitAnswer(response, trigger, this, budget-- > 0);
                }
                catch (RuntimeException ex) {
                    log.warn("Answer of channel {} to event {} failed", response.channelId(), trigger.id(), ex);
                }
            }
        }
    }

    private void commitAnswer(DeliveryPlan.Response response, RoomEvent trigger, Cascade cascade, boolean inBudget) {
        String roomId = trigger.roomId();
        Channel channel = channels.find(response.channelId()).orElse(null);
        if (channel == null) {
            return;
        }
        RoomLanes.Lane lane = lanes.acquire(roomId);
        try {
            DeliveryPlan plan;
            lane.lockRoom();
            try {
                Room room = store.getRoom(roomId).orElse(null);
                if (room == null || room.refusesEvents()) {
                    log.debug("Answer of channel {} dropped: room {} is gone or closed", channel.id(), roomId);
                    return;
                }
                RoomContext context = contextOf(room);
                int depth = trigger.chainDepth() + 1;
                RoomEvent answer = withThreadRoot(response.event().toBuilder().roomId(roomId).chainDepth(depth)
                        .status(EventStatus.PENDING)
                        .parentEventId(response.event().parentEventId() != null ? response.event().parentEventId()
                                : trigger.parentEventId())
                        .build());
                if (depth >= maxChainDepth || !inBudget) {
                    String reason = depth >= maxChainDepth ? ErrorCodes.CHAIN_DEPTH_LIMIT : ErrorCodes.REENTRY_LOOP_CAP;
                    commitBlocked(answer, reason, reason);
                    return;
                }
                RoomEvent target = null;
                if (EditDeleteRules.applies(answer)) {
                    EditDeleteRules.Decision decision = editDeleteRules.check(answer, context);
                    if (decision.refused()) {
                        log.debug("Answer {} of channel {} refused: {}", answer.id(), channel.id(),
                                decision.refusal());
                        return;
                    }
                    target = decision.target();
                }
                Gate gate = gate(answer, context, target);
                if (gate.blockReason() != null) {
                    commitBlocked(gate.event(), gate.blockReason(), gate.blockedBy());
                    return;
                }
                List<RoomEvent> replacements = target == null ? List.of()
                        : editDeleteRules.replacements(gate.event(), target);
                RoomEvent stored = store.commit(new EventCommit(delivered(gate.event()), replacements));
                plan = planBroadcast(stored, context, replacements.isEmpty() ? null : replacements.get(0));
                lane.enqueue(plan);
            }
            finally {
                lane.unlockRoom();
            }
            lane.awaitDelivered(plan, executorFor(cascade));
            if (!plan.isNested()) {
                askIntelligence(plan);
            }
            cascade.addAll(plan);
        }
        finally {
            lanes.release(lane);
        }
    }

    /** Lanes in use; zero when nothing is being processed. */
    int activeLanes() {
        return lanes.activeLanes();
    }

    /** The event after the hooks, and the block if there is one. */
    private record Gate(RoomEvent event, String blockReason, String blockedBy) {
    }
}
