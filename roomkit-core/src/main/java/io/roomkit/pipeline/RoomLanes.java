package io.roomkit.pipeline;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Per-room serialisation of the pipeline, one {@link Lane} per room in use.
 * <p>
 * A lane has two locks. The <em>room lock</em> is held from the status gate to the commit, so that indices,
 * idempotency checks and edit validation see a consistent room; the plan of a committed event is enqueued
 * before it is released, so the queue is in index order. Delivery happens after the room lock is released
 * (a slow channel does not hold up commits) under the <em>delivery lock</em>: whoever holds it executes
 * queued plans in order until its own is done, so deliveries of one room never overtake each other and
 * need no thread of their own. Lanes are reference counted and dropped when no thread uses them.
 */
final class RoomLanes {

    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    /** The lane of {@code roomId}, held until {@link #release}. */
    Lane acquire(String roomId) {
        return lanes.compute(roomId, (id, lane) -> {
            Lane held = lane == null ? new Lane(id) : lane;
            held.users++;
            return held;
        });
    }

    void release(Lane lane) {
        lanes.computeIfPresent(lane.roomId, (id, current) -> {
            current.users--;
            return current.users == 0 ? null : current;
        });
    }

    /** Lanes in use, for tests: zero when the kit is idle. */
    int activeLanes() {
        return lanes.size();
    }

    /** The serialisation state of one room. */
    static final class Lane {

        private final String roomId;
        private final ReentrantLock roomLock = new ReentrantLock();
        private final ReentrantLock deliveryLock = new ReentrantLock();
        private final Queue<DeliveryPlan> queue = new ConcurrentLinkedQueue<>();
        private int users; // guarded by the lanes map's compute
        private int nestedPending; // guarded by deliveryLock

        private Lane(String roomId) {
            this.roomId = roomId;
        }

        void lockRoom() {
            roomLock.lock();
        }

        void unlockRoom() {
            roomLock.unlock();
        }

        /** Queues a plan; call with the room lock held so that the queue stays in index order. */
        void enqueue(DeliveryPlan plan) {
            if (deliveryLock.isHeldByCurrentThread()) {
                plan.markNested();
            }
            queue.add(plan);
        }

        /**
         * Executes queued plans in order until {@code plan} is done. A call from inside a delivery of this
         * room (a channel or hook writing to its own room) returns at once: waiting would deadlock, and the
         * outer delivery executes the plan before it returns.
         */
        void awaitDelivered(DeliveryPlan plan, Consumer<DeliveryPlan> executor) {
            if (plan.isNested()) {
                nestedPending++;
                return;
            }
            deliveryLock.lock();
            try {
                while (!plan.isDone() || nestedPending > 0) {
                    DeliveryPlan next = queue.poll();
                    if (next == null) {
                        return;
                    }
                    try {
                        executor.accept(next);
                    }
                    finally {
                        next.markDone();
                        if (next.isNested()) {
                            nestedPending--;
                        }
                    }
                }
            }
            finally {
                deliveryLock.unlock();
            }
        }
    }
}
