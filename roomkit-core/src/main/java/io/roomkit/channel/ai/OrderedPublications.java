package io.roomkit.channel.ai;

import java.util.ArrayDeque;

/**
 * The publications of one round's stream, made in the order the stream decided them but never under its lock:
 * publishing goes through the realtime backend, which may be the application's own or wait on a broker, and a
 * provider thread stuck there must not hold up the turn's thread, which ends the stream after a timeout. Whoever
 * finds nobody publishing publishes everything queued, one at a time; the others only queue and return.
 */
final class OrderedPublications {

    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean publishing;

    /** Queues a publication; the stream calls it under its own lock, in the order of its decisions. */
    synchronized void add(Runnable publication) {
        queue.addLast(publication);
    }

    /** Publishes what is queued unless another thread already does; called with no lock held. */
    void publish() {
        synchronized (this) {
            if (publishing) {
                return;
            }
            publishing = true;
        }
        while (true) {
            Runnable next;
            synchronized (this) {
                next = queue.pollFirst();
                if (next == null) {
                    publishing = false;
                    return;
                }
            }
            try {
                next.run();
            }
            catch (RuntimeException ex) {
                synchronized (this) {
                    publishing = false;
                }
                throw ex;
            }
        }
    }
}
