package io.roomkit.pipeline;

/**
 * Who writes: how deep in a chain of writes the new event is, the AI answers its call may still provoke,
 * the cascade its delivery belongs to, and whether the writer waits for that cascade.
 */
record Writer(int chainDepth, AnswerBudget budget, Cascade cascade, boolean waits) {
}
