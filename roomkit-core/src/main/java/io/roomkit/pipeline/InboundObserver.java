package io.roomkit.pipeline;

import io.roomkit.model.InboundMessage;
import io.roomkit.model.InboundResult;

/**
 * Watches every {@code processInbound} call, for metrics and tracing. Called on the caller's thread after
 * the call's work is done; an observer that throws is logged and ignored.
 */
public interface InboundObserver {

    /** The call returned {@code result} after {@code nanos} nanoseconds. */
    void processed(InboundMessage message, InboundResult result, long nanos);

    /** The call threw {@code error} after {@code nanos} nanoseconds. */
    default void failed(InboundMessage message, RuntimeException error, long nanos) {
    }
}
