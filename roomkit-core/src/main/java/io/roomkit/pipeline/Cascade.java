package io.roomkit.pipeline;

/**
 * The deliveries that one waiting write set off: its own, and those of the writes that hooks and channels made
 * while taking them, in any room, transitively. The writer returns once all of them are delivered (or handed to
 * a stalled sink's backlog). AI answers are not part of it: they come later, on their own threads.
 */
final class Cascade {

    /** The cascade of writes that nobody waits for (AI answers). */
    static final Cascade UNWATCHED = new Cascade();

    private int pending; // guarded by this

    synchronized void add() {
        pending++;
    }

    synchronized void done() {
        if (--pending == 0) {
            notifyAll();
        }
    }

    synchronized boolean isComplete() {
        return pending == 0;
    }

    /** Waits until every delivery of the cascade is done; keeps the interrupt flag for the caller. */
    synchronized void await() {
        boolean interrupted = false;
        while (pending > 0) {
            try {
                wait();
            }
            catch (InterruptedException ex) {
                interrupted = true; // the events are stored: finish the call, keep the flag for the caller
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
