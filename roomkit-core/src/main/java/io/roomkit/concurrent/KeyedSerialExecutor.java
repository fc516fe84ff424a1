package io.roomkit.concurrent;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Runs the tasks of one key one at a time, in the order they were given, and the tasks of different keys in
 * parallel, on an underlying executor: for example an AI channel's answers in one room, which must see the
 * conversation in order, while other rooms are answered at the same time.
 * <p>
 * A key holds at most one place in the underlying executor's queue, however many of its tasks wait. When the
 * executor refuses a key's turn (it is saturated or shut down), the key's waiting tasks go to the
 * {@code rejected} consumer instead of running.
 */
public final class KeyedSerialExecutor {

    private final Executor executor;
    private final Consumer<Runnable> rejected;
    private final Map<Object, ArrayDeque<Runnable>> lanes = new ConcurrentHashMap<>();

    /**
     * @param executor runs the keys' turns
     * @param rejected receives each task that will not run because the executor refused its key's turn
     */
    public KeyedSerialExecutor(Executor executor, Consumer<Runnable> rejected) {
        this.executor = executor;
        this.rejected = rejected;
    }

    /** Runs {@code task} after the earlier tasks of {@code key}. */
    public void execute(Object key, Runnable task) {
        boolean[] opened = new boolean[1];
        lanes.compute(key, (k, lane) -> {
            ArrayDeque<Runnable> tasks = lane == null ? new ArrayDeque<>() : lane;
            opened[0] = lane == null;
            tasks.add(task);
            return tasks;
        });
        if (opened[0]) {
            dispatch(key);
        }
    }

    /** Keys with tasks waiting or running. */
    public int activeKeys() {
        return lanes.size();
    }

    private void dispatch(Object key) {
        try {
            executor.execute(() -> runLane(key));
        }
        catch (RejectedExecutionException ex) {
            List<Runnable> refused = List.copyOf(lanes.remove(key));
            refused.forEach(rejected);
        }
    }

    private void runLane(Object key) {
        Runnable next = peek(key);
        while (next != null) {
            try {
                next.run();
            }
            finally {
                next = pollAndPeek(key);
            }
        }
    }

    private Runnable peek(Object key) {
        Runnable[] first = new Runnable[1];
        lanes.computeIfPresent(key, (k, lane) -> {
            first[0] = lane.peek(); // the deque is only touched inside the map's compute for its key
            return lane;
        });
        return first[0];
    }

    /** Drops the task that just ran and returns the next one; the lane closes when there is none. */
    private Runnable pollAndPeek(Object key) {
        Runnable[] next = new Runnable[1];
        lanes.computeIfPresent(key, (k, lane) -> {
            lane.poll();
            next[0] = lane.peek();
            return next[0] == null ? null : lane;
        });
        return next[0];
    }
}
