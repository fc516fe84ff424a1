package io.roomkit.spring.listener;

/**
 * On a cluster, which nodes' {@link RoomEventListener} methods receive an event (see the README, "Running on
 * several nodes").
 */
public enum ListenerScope {

    /**
     * The rule of the event's kind: a persistent listener ({@code RoomEvent}) fires once per cluster, as
     * {@link #CLUSTER}; an ephemeral listener ({@code EphemeralEvent}) fires on every node, as {@link #NODE}.
     */
    DEFAULT,

    /**
     * Every node that has the listener receives every event of its rooms, whichever node stored or published it;
     * persistent events arrive once each and in index order per room.
     */
    NODE,

    /**
     * One node per event: for a persistent listener, the node that stored the event. Not available for ephemeral
     * listeners, whose events carry no origin node (the Python wire format has none).
     */
    CLUSTER
}
