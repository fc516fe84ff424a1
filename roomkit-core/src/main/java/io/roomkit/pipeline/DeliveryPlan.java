package io.roomkit.pipeline;

import io.roomkit.model.ChannelBinding;
import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * The broadcast of one committed event, planned when it is committed: the bindings that may read it and, for
 * an edit or delete, the updated target that the mutation hooks see. Its {@linkplain #sinks() sinks} are fixed
 * when its delivery starts; it is delivered once, after the room's earlier events.
 */
final class DeliveryPlan {

    private final RoomEvent event;
    private final RoomContext context;
    private final List<ChannelBinding> targets;
    private final RoomEvent mutatedTarget;
    private final AnswerBudget budget;
    private final Cascade cascade;
    private final CountDownLatch delivered = new CountDownLatch(1);
    private volatile List<DeliverySink> sinks;
    private volatile boolean inline;

    DeliveryPlan(RoomEvent event, RoomContext context, List<ChannelBinding> targets, RoomEvent mutatedTarget,
            AnswerBudget budget, Cascade cascade) {
        this.event = event;
        this.context = context;
        this.targets = List.copyOf(targets);
        this.mutatedTarget = mutatedTarget;
        this.budget = budget;
        this.cascade = cascade;
        cascade.add();
    }

    RoomEvent event() {
        return event;
    }

    RoomContext context() {
        return context;
    }

    List<ChannelBinding> targets() {
        return targets;
    }

    RoomEvent mutatedTarget() {
        return mutatedTarget;
    }

    /** What is left of the AI answers that the call which caused this event may provoke. */
    AnswerBudget budget() {
        return budget;
    }

    /** The deliveries its writer waits for, this one among them. */
    Cascade cascade() {
        return cascade;
    }

    /** The sinks, computed on first use by the room's delivery (one thread at a time). */
    List<DeliverySink> sinks(Function<DeliveryPlan, List<DeliverySink>> planner) {
        List<DeliverySink> planned = sinks;
        if (planned == null) {
            planned = List.copyOf(planner.apply(this));
            inline = planned.stream().allMatch(DeliverySink::inline);
            sinks = planned;
        }
        return planned;
    }

    /** Whether every sink may run on the writer's thread. */
    boolean inline(Function<DeliveryPlan, List<DeliverySink>> planner) {
        sinks(planner);
        return inline;
    }

    /** Every sink has taken the event, or has stalled and will take it later. */
    void markDelivered() {
        delivered.countDown();
        cascade.done();
    }

    boolean isDelivered() {
        return delivered.getCount() == 0;
    }
}
