package io.roomkit.pipeline;

import io.roomkit.model.ChannelBinding;
import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The broadcast of one committed event, planned under the room lock: the bindings that receive it and,
 * for an edit or delete, the updated target that the mutation hooks see. Executed once, in index order.
 */
final class DeliveryPlan {

    private final RoomEvent event;
    private final RoomContext context;
    private final List<ChannelBinding> targets;
    private final RoomEvent mutatedTarget;
    private final List<Response> responses = new ArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean nested;

    DeliveryPlan(RoomEvent event, RoomContext context, List<ChannelBinding> targets, RoomEvent mutatedTarget) {
        this.event = event;
        this.context = context;
        this.targets = List.copyOf(targets);
        this.mutatedTarget = mutatedTarget;
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

    /** Answers of intelligence channels, collected while the plan executes. */
    synchronized void addResponse(Response response) {
        responses.add(response);
    }

    synchronized List<Response> responses() {
        return List.copyOf(responses);
    }

    boolean isDone() {
        return done.getCount() == 0;
    }

    void markDone() {
        done.countDown();
    }

    boolean isNested() {
        return nested;
    }

    /** Marks a plan enqueued from inside a delivery of the same room, whose caller does not wait. */
    void markNested() {
        nested = true;
    }

    /** An answer of an intelligence channel to this plan's event. */
    record Response(String channelId, RoomEvent event) {
    }
}
