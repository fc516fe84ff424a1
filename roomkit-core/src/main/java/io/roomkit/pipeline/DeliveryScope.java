package io.roomkit.pipeline;

import io.roomkit.model.RoomEvent;

/**
 * What a thread is doing for the pipeline while it runs code RoomKit does not own (a hook, a channel, an AI
 * channel): the event that caused the code to run, so that a write from there is one hop deeper in its chain
 * and shares its budget of AI answers; and whether the thread must not wait for deliveries (a delivery or an AI
 * answer: waiting there for another delivery is how rooms hang).
 *
 * @param pipeline    the pipeline whose event this is
 * @param cause       the event being handled
 * @param budget      the AI answers its call may still provoke
 * @param cascade     the deliveries the event's writer waits for, which writes from here join
 * @param mustNotWait whether a write from this thread returns once stored, without waiting for its delivery
 */
record DeliveryScope(InboundPipeline pipeline, RoomEvent cause, AnswerBudget budget, Cascade cascade,
        boolean mustNotWait) {

    private static final ThreadLocal<DeliveryScope> CURRENT = new ThreadLocal<>();

    /** The scope of the calling thread, or {@code null} outside any. */
    static DeliveryScope current() {
        return CURRENT.get();
    }

    /**
     * The scope for code that runs because of {@code cause}; a thread that must not wait keeps that duty in
     * scopes opened inside it.
     */
    static DeliveryScope of(InboundPipeline pipeline, RoomEvent cause, AnswerBudget budget, Cascade cascade,
            boolean mustNotWait) {
        DeliveryScope outer = CURRENT.get();
        return new DeliveryScope(pipeline, cause, budget, cascade,
                mustNotWait || (outer != null && outer.mustNotWait));
    }

    /** Runs {@code action} in this scope and restores the previous one. */
    <T, E extends Exception> T run(ScopedAction<T, E> action) throws E {
        DeliveryScope previous = CURRENT.get();
        CURRENT.set(this);
        try {
            return action.run();
        }
        finally {
            if (previous == null) {
                CURRENT.remove();
            }
            else {
                CURRENT.set(previous);
            }
        }
    }

    /** Code run in a scope. */
    @FunctionalInterface
    interface ScopedAction<T, E extends Exception> {

        T run() throws E;
    }
}
