package io.roomkit.pipeline;

import io.roomkit.concurrent.DaemonThreads;
import io.roomkit.model.RoomEvent;
import io.roomkit.store.CommitOutcome;
import io.roomkit.store.ConversationStore;
import io.roomkit.store.EventCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The order of a room's commits and deliveries: one {@link Mailbox} per room in use.
 * <p>
 * <b>Commits.</b> A mailbox's commit lock is held only while the store assigns an index and the plan is queued,
 * so the queue is in index order; no code RoomKit does not own runs under it. Writers queue their commits before
 * they take the lock, and the one that gets it stores every commit queued by then in one
 * {@link ConversationStore#commitAll} (group commit): with a database, writers of a busy room share one
 * transaction instead of waiting for one each.
 * <p>
 * <b>Deliveries.</b> One drainer at a time takes a room's plans from the queue in order and hands each to its
 * sinks (channels, then observing hooks) one after the other. A caller that waits for its event drains on its
 * own thread when nobody else is draining and the plans' sinks are all {@link NonBlocking}; otherwise, and for
 * writes made from inside a delivery, which never wait, a worker of the shared executor drains. No lock is held
 * while a sink runs.
 * <p>
 * <b>Stalls.</b> A watchdog looks at every drainer. When one has been inside a sink for longer than the stall
 * timeout, the sink is set aside: a new drainer carries on with the room's other sinks and later events, and the
 * set-aside sink's events queue for it (in order, at most {@value #MAX_STALLED_BACKLOG}). When its stuck call
 * returns, a worker hands it the queued events and then lets it rejoin the room's drainer. So a sink that
 * blocks for ever stalls only itself.
 */
final class RoomMailboxes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RoomMailboxes.class);

    /** Plans a worker delivers before it hands its thread back, so that a busy room cannot starve the others. */
    private static final int BATCH = 64;

    /** Commits stored together at most: one transaction should not grow without bound under a burst. */
    static final int MAX_GROUP_COMMIT = 64;

    /** Events kept for a stalled sink; beyond this the oldest are dropped, with a warning. */
    static final int MAX_STALLED_BACKLOG = 10_000;

    /** Runs one sink for one plan, reporting its failures; never throws. */
    @FunctionalInterface
    interface SinkInvoker {

        void invoke(DeliverySink sink, DeliveryPlan plan);
    }

    private final Map<String, Mailbox> mailboxes = new ConcurrentHashMap<>();
    private final Executor executor;
    private final Function<DeliveryPlan, List<DeliverySink>> planner;
    private final SinkInvoker invoker;
    private final Consumer<DeliveryPlan> afterDelivery;
    private final Activity activity;
    private final long stallNanos;
    private final ScheduledExecutorService watchdog;

    /**
     * @param executor      where drainers run when no waiting caller drains
     * @param planner       the sinks of a plan, computed when its delivery starts
     * @param invoker       runs one sink
     * @param afterDelivery called once a plan has passed all its sinks, before its callers are released
     * @param activity      counts plans and set-aside events in flight
     * @param stallTimeout  how long a sink may run before it is set aside
     */
    RoomMailboxes(Executor executor, Function<DeliveryPlan, List<DeliverySink>> planner, SinkInvoker invoker,
            Consumer<DeliveryPlan> afterDelivery, Activity activity, Duration stallTimeout) {
        this.executor = executor;
        this.planner = planner;
        this.invoker = invoker;
        this.afterDelivery = afterDelivery;
        this.activity = activity;
        this.stallNanos = stallTimeout.toNanos();
        long period = Math.max(5, Math.min(100, stallTimeout.toMillis() / 4));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("roomkit-delivery-watchdog-"));
        this.watchdog.scheduleWithFixedDelay(this::setAsideStalledSinks, period, period, TimeUnit.MILLISECONDS);
    }

    /** The mailbox of {@code roomId}, kept until {@link #release}. */
    Mailbox acquire(String roomId) {
        return mailboxes.compute(roomId, (id, mailbox) -> {
            Mailbox held = mailbox == null ? new Mailbox(id) : mailbox;
            held.users++;
            return held;
        });
    }

    void release(Mailbox mailbox) {
        mailboxes.computeIfPresent(mailbox.roomId, (id, current) -> {
            current.users--;
            return current.users == 0 ? null : current;
        });
    }

    /** Another hold on a mailbox that is held already (by a drainer or a set-aside sink). */
    private void retain(Mailbox mailbox) {
        Mailbox same = acquire(mailbox.roomId);
        assert same == mailbox : "a held mailbox was replaced";
    }

    /** Mailboxes in use, for tests: zero when the kit is idle. */
    int activeMailboxes() {
        return mailboxes.size();
    }

    /**
     * Sees a queued plan delivered. With {@code wait}, returns once it and the rest of its {@link Cascade} are:
     * the caller drains on its own thread when nobody else is draining the room. Without, returns at once, a
     * worker delivering it in turn.
     */
    void deliver(Mailbox mailbox, DeliveryPlan plan, boolean wait) {
        Drainer callerDrainer = null;
        Drainer pooled = null;
        synchronized (mailbox) {
            if (mailbox.active == null) {
                if (wait) {
                    callerDrainer = new Drainer(mailbox, false);
                    mailbox.active = callerDrainer;
                }
                else {
                    pooled = pooledDrainer(mailbox);
                }
            }
        }
        if (pooled != null) {
            schedule(pooled);
        }
        if (callerDrainer != null) {
            callerDrainer.drain(plan);
        }
        if (wait) {
            plan.cascade().await();
        }
    }

    /** A drainer for a worker, made the mailbox's active one; call with the mailbox's monitor. */
    private Drainer pooledDrainer(Mailbox mailbox) {
        retain(mailbox);
        Drainer drainer = new Drainer(mailbox, true);
        mailbox.active = drainer;
        return drainer;
    }

    private void schedule(Drainer drainer) {
        try {
            executor.execute(drainer);
        }
        catch (RejectedExecutionException ex) {
            drainer.abandon();
        }
    }

    // ---- stalls ------------------------------------------------------------------------------------

    private void setAsideStalledSinks() {
        long now = System.nanoTime();
        for (Mailbox mailbox : mailboxes.values()) {
            Drainer successor;
            synchronized (mailbox) {
                Drainer drainer = mailbox.active;
                if (drainer == null || !drainer.inCall || now - drainer.callStart < stallNanos) {
                    continue;
                }
                successor = supersede(mailbox, drainer);
            }
            schedule(successor);
        }
    }

    /** Sets aside the sink {@code stuck} is inside and names a drainer that carries on after it. */
    private Drainer supersede(Mailbox mailbox, Drainer stuck) {
        DeliverySink sink = stuck.current.sinks(planner).get(stuck.callIndex);
        Backlog backlog = new Backlog(mailbox, sink);
        retain(mailbox);
        mailbox.stalled.put(sink.key(), backlog);
        mailbox.anyStalled = true;
        activity.begin(); // the stuck call itself, until it returns
        stuck.superseded = true;
        stuck.setAside = backlog;
        Drainer successor = pooledDrainer(mailbox);
        successor.resume = stuck.current;
        successor.resumeFrom = stuck.callIndex + 1;
        log.warn("{} has been taking event {} of room {} for over {} ms; the room goes on without it and its later "
                + "events wait for it", sink.describe(), stuck.current.event().id(), mailbox.roomId,
                stallNanos / 1_000_000);
        return successor;
    }

    /** Stops the watchdog; plans still queued are delivered by the executor until it is shut down. */
    @Override
    public void close() {
        watchdog.shutdownNow();
    }

    /** The commit lock and delivery queue of one room. */
    final class Mailbox {

        private final String roomId;
        private final ReentrantLock commitLock = new ReentrantLock();
        private final ConcurrentLinkedQueue<PendingCommit> pendingCommits = new ConcurrentLinkedQueue<>();
        private int users; // guarded by the mailboxes map's compute
        private final ArrayDeque<DeliveryPlan> queue = new ArrayDeque<>(); // guarded by this
        private Drainer active; // guarded by this
        private final Map<Object, Backlog> stalled = new HashMap<>(); // guarded by this
        private volatile boolean anyStalled;

        private Mailbox(String roomId) {
            this.roomId = roomId;
        }

        void lock() {
            commitLock.lock();
        }

        void unlock() {
            commitLock.unlock();
        }

        /**
         * Stores {@code mine} and queues its delivery plan. The writer queues its commit and takes the commit
         * lock; unless a writer that had the lock before stored it already, it stores every commit queued by
         * then (its own among them) in one {@link ConversationStore#commitAll}, and queues their plans in index
         * order. Returns the plan, or throws the store's refusal of this commit alone.
         */
        DeliveryPlan commit(PendingCommit mine, ConversationStore store) {
            pendingCommits.add(mine);
            commitLock.lock();
            try {
                while (!mine.done) {
                    storeAll(store.mayCommitForOthers() ? takeQueued() : takeOnly(mine), store);
                }
            }
            finally {
                commitLock.unlock();
            }
            if (mine.failure != null) {
                throw mine.failure;
            }
            return mine.plan;
        }

        private List<PendingCommit> takeQueued() {
            List<PendingCommit> batch = new ArrayList<>();
            PendingCommit next;
            while (batch.size() < MAX_GROUP_COMMIT && (next = pendingCommits.poll()) != null) {
                batch.add(next);
            }
            return batch;
        }

        private List<PendingCommit> takeOnly(PendingCommit mine) {
            pendingCommits.remove(mine);
            return List.of(mine);
        }

        /** Stores a batch and settles every commit in it, whatever happens; call with the commit lock. */
        private void storeAll(List<PendingCommit> batch, ConversationStore store) {
            try {
                List<CommitOutcome> outcomes = outcomes(batch, store);
                for (int i = 0; i < batch.size(); i++) {
                    PendingCommit pending = batch.get(i);
                    CommitOutcome outcome = outcomes.get(i);
                    if (outcome.stored() != null) {
                        pending.plan = pending.planner.apply(outcome.stored());
                        enqueue(pending.plan);
                    }
                    else {
                        pending.failure = outcome.failure();
                    }
                    pending.done = true;
                }
            }
            catch (RuntimeException | Error ex) {
                // the store failed as a whole: every writer of the batch that is not settled yet gets its failure
                RuntimeException failure = ex instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException("The commit of room " + roomId + " failed", ex);
                for (PendingCommit pending : batch) {
                    if (!pending.done) {
                        pending.failure = failure;
                        pending.done = true;
                    }
                }
            }
        }

        /** A lone commit takes the store's plain path, so that a quiet room costs what it did before. */
        private static List<CommitOutcome> outcomes(List<PendingCommit> batch, ConversationStore store) {
            if (batch.size() == 1) {
                try {
                    return List.of(CommitOutcome.stored(store.commit(batch.get(0).commit)));
                }
                catch (RuntimeException ex) {
                    return List.of(CommitOutcome.failed(ex));
                }
            }
            List<CommitOutcome> outcomes = store.commitAll(batch.stream().map(pending -> pending.commit).toList());
            if (outcomes.size() != batch.size()) {
                throw new IllegalStateException("The store answered " + outcomes.size() + " outcomes for "
                        + batch.size() + " commits");
            }
            return outcomes;
        }

        /** Queues a committed plan; call with the commit lock held so that the queue stays in index order. */
        void enqueue(DeliveryPlan plan) {
            activity.begin();
            synchronized (this) {
                queue.add(plan);
            }
        }

        /** Queues the plan for {@code sink} if the sink is set aside; call without the monitor. */
        private boolean setAsideIfStalled(DeliverySink sink, DeliveryPlan plan) {
            synchronized (this) {
                Backlog backlog = stalled.get(sink.key());
                if (backlog == null) {
                    return false;
                }
                backlog.add(sink, plan);
                return true;
            }
        }
    }

    /**
     * A writer's commit waiting for its room's commit lock; whichever writer holds the lock may store it along
     * with its own. Settled (stored or refused) under the commit lock.
     */
    static final class PendingCommit {

        private final EventCommit commit;
        private final Function<RoomEvent, DeliveryPlan> planner;
        // guarded by the commit lock
        private boolean done;
        private DeliveryPlan plan;
        private RuntimeException failure;

        /**
         * @param commit  what to store
         * @param planner the delivery plan of the stored event; plain code, since it runs under the lock
         */
        PendingCommit(EventCommit commit, Function<RoomEvent, DeliveryPlan> planner) {
            this.commit = commit;
            this.planner = planner;
        }
    }

    /** Takes a room's plans in order and hands each to its sinks. */
    private final class Drainer implements Runnable {

        private final Mailbox mailbox;
        private final boolean pooled;
        // guarded by the mailbox's monitor
        private DeliveryPlan resume;
        private int resumeFrom;
        private boolean superseded;
        private Backlog setAside;
        private DeliveryPlan current;
        // written by the drainer, read by the watchdog: inCall last, so that it publishes the other two
        private int callIndex;
        private long callStart;
        private volatile boolean inCall;

        Drainer(Mailbox mailbox, boolean pooled) {
            this.mailbox = mailbox;
            this.pooled = pooled;
        }

        @Override
        public void run() {
            if (!drain(null)) {
                release(mailbox);
            }
        }

        /**
         * Delivers plans in order until {@code until} is delivered with its follow-ups in this room (a caller),
         * or the queue is empty or a batch is done (a worker). Returns true when the drainer goes on in another
         * turn of the executor.
         */
        boolean drain(DeliveryPlan until) {
            int delivered = 0;
            while (true) {
                DeliveryPlan plan;
                int from = 0;
                synchronized (mailbox) {
                    if (resume != null) {
                        plan = resume;
                        from = resumeFrom;
                        resume = null;
                    }
                    else if (until != null ? callerIsDone(until) : delivered >= BATCH) {
                        return yieldTurn();
                    }
                    else {
                        plan = mailbox.queue.peek();
                        if (plan == null) {
                            mailbox.active = null;
                            return false;
                        }
                        if (!pooled && !plan.inline(planner)) {
                            return yieldTurn(); // a sink that might block must not hold up the writer
                        }
                        mailbox.queue.poll();
                    }
                    current = plan;
                }
                if (!deliverPlan(plan, from)) {
                    return false;
                }
                delivered++;
            }
        }

        /**
         * A caller drains until its own plan is delivered, and goes on while the next plan is one its cascade
         * added (a hook's follow-up in this room), but not for other writers' plans. Call with the monitor.
         */
        private boolean callerIsDone(DeliveryPlan own) {
            if (!own.isDelivered()) {
                return false;
            }
            DeliveryPlan next = mailbox.queue.peek();
            return next == null || next.cascade() != own.cascade() || own.cascade() == Cascade.UNWATCHED;
        }

        /** Ends this turn with plans still queued; call with the mailbox's monitor. */
        private boolean yieldTurn() {
            if (mailbox.queue.isEmpty()) {
                mailbox.active = null;
                return false;
            }
            if (pooled) {
                schedule(this);
                return true;
            }
            schedule(pooledDrainer(mailbox));
            return false;
        }

        /** Hands the plan to its sinks from {@code from} on; false when this drainer was superseded meanwhile. */
        private boolean deliverPlan(DeliveryPlan plan, int from) {
            List<DeliverySink> sinks = plan.sinks(planner);
            for (int i = from; i < sinks.size(); i++) {
                DeliverySink sink = sinks.get(i);
                if (mailbox.anyStalled && mailbox.setAsideIfStalled(sink, plan)) {
                    continue;
                }
                callIndex = i;
                callStart = System.nanoTime();
                inCall = true;
                invoker.invoke(sink, plan);
                Backlog backlog;
                synchronized (mailbox) {
                    inCall = false;
                    backlog = superseded ? setAside : null;
                }
                if (backlog != null) {
                    activity.end();
                    backlog.start();
                    return false;
                }
            }
            afterDelivery.accept(plan);
            plan.markDelivered();
            activity.end();
            return true;
        }

        /** The executor refused this drainer (the kit is closing): release the room's waiting callers. */
        void abandon() {
            List<DeliveryPlan> dropped;
            synchronized (mailbox) {
                if (mailbox.active == this) {
                    mailbox.active = null;
                }
                dropped = List.copyOf(mailbox.queue);
                mailbox.queue.clear();
                if (resume != null) {
                    dropped = Stream.concat(Stream.of(resume), dropped.stream()).toList();
                    resume = null;
                }
            }
            if (!dropped.isEmpty()) {
                log.warn("Kit closing: {} events of room {} were stored but not delivered", dropped.size(),
                        mailbox.roomId);
            }
            for (DeliveryPlan plan : dropped) {
                plan.markDelivered();
                activity.end();
            }
            release(mailbox);
        }
    }

    /** The events that wait for a sink that was set aside. */
    private final class Backlog implements Runnable {

        private final Mailbox mailbox;
        private final DeliverySink sink;
        private final ArrayDeque<Pending> pending = new ArrayDeque<>(); // guarded by the mailbox's monitor
        private long dropped; // guarded by the mailbox's monitor

        Backlog(Mailbox mailbox, DeliverySink sink) {
            this.mailbox = mailbox;
            this.sink = sink;
        }

        /** Call with the mailbox's monitor. */
        void add(DeliverySink target, DeliveryPlan plan) {
            if (pending.size() >= MAX_STALLED_BACKLOG) {
                pending.poll();
                activity.end();
                if (dropped++ % MAX_STALLED_BACKLOG == 0) {
                    log.warn("{} is still stalled in room {}: dropping its oldest waiting events ({} so far)",
                            sink.describe(), mailbox.roomId, dropped);
                }
            }
            pending.add(new Pending(target, plan));
            activity.begin();
        }

        /** The stuck call returned: hand the sink its waiting events on a worker. */
        void start() {
            try {
                executor.execute(this);
            }
            catch (RejectedExecutionException ex) {
                run(); // the kit is closing; finish here rather than leave the sink out for good
            }
        }

        @Override
        public void run() {
            while (true) {
                Pending next;
                synchronized (mailbox) {
                    next = pending.poll();
                    if (next == null) {
                        mailbox.stalled.remove(sink.key());
                        mailbox.anyStalled = !mailbox.stalled.isEmpty();
                        break;
                    }
                }
                invoker.invoke(next.sink(), next.plan());
                activity.end();
            }
            log.info("{} caught up with room {}", sink.describe(), mailbox.roomId);
            release(mailbox);
        }
    }

    private record Pending(DeliverySink sink, DeliveryPlan plan) {
    }
}
