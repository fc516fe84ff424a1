package io.roomkit.realtime;

/**
 * Receives the ephemeral events of a subscription, one at a time and in publish order. A listener may
 * block or throw: either affects only its own subscription, and an exception is logged and the
 * subscription keeps receiving.
 */
@FunctionalInterface
public interface EphemeralListener {

    void onEvent(EphemeralEvent event) throws Exception;
}
