package io.roomkit.pipeline;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many AI answers one {@code processInbound} call may still provoke, directly or through answers to
 * answers: two chatty AI channels must not loop for ever, whatever the chain depth allows.
 */
final class AnswerBudget {

    private final AtomicInteger left;

    AnswerBudget(int answers) {
        this.left = new AtomicInteger(answers);
    }

    /** Takes one answer from the budget; false when it is spent. */
    boolean take() {
        return left.getAndDecrement() > 0;
    }
}
