package io.roomkit.pipeline;

import io.roomkit.channel.Channel;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.hook.Hook;
import io.roomkit.hook.HookEngine;
import io.roomkit.hook.HookTrigger;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.ChannelCategory;
import io.roomkit.model.EventType;
import io.roomkit.model.RoomEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Who takes a committed event in the broadcast step (DESIGN §3), and how each is run: the {@link DeliverySink}s
 * of a {@link DeliveryPlan}, which {@link RoomMailboxes} delivers in index order with no lock held, because
 * sinks are code RoomKit does not own.
 */
final class DeliverySinks {

    /** The pipeline's category, so that its log settings keep covering this step. */
    private static final Logger log = LoggerFactory.getLogger(InboundPipeline.class);

    private final InboundPipeline pipeline;
    private final ChannelRegistry channels;
    private final HookEngine hooks;

    DeliverySinks(InboundPipeline pipeline, ChannelRegistry channels, HookEngine hooks) {
        this.pipeline = pipeline;
        this.channels = channels;
        this.hooks = hooks;
    }

    /**
     * The sinks of a plan, in the order they see it: transport channels, the mutation hooks of an edit or
     * delete, then the {@code AFTER_BROADCAST} hooks (which include the STOMP topic broadcast and persistent
     * listeners). Intelligence channels are asked afterwards, by {@link IntelligenceAnswers}.
     */
    List<DeliverySink> sinksOf(DeliveryPlan plan) {
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
    void invoke(DeliverySink sink, DeliveryPlan plan) {
        try {
            DeliveryScope.of(pipeline, plan.event(), plan.budget(), plan.cascade(), true).run(() -> {
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
}
