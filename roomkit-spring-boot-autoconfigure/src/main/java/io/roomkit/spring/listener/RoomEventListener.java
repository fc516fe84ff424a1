package io.roomkit.spring.listener;

import io.roomkit.model.EventType;
import io.roomkit.realtime.EphemeralEventType;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method that receives a room's events. The method takes exactly one parameter:
 * <ul>
 * <li>{@link io.roomkit.realtime.EphemeralEvent} — ephemeral events (typing, presence, reactions, ...),
 * filtered by {@link #types()};</li>
 * <li>{@link io.roomkit.model.RoomEvent} — persistent events, after they were broadcast, filtered by
 * {@link #eventTypes()}.</li>
 * </ul>
 * Methods are found on every singleton bean (proxied or not; {@code @Lazy} beans when they are created),
 * subscribed when the context starts and unsubscribed when it stops. A listener that throws is logged and
 * keeps receiving.
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RoomEventListener {

    /**
     * Rooms to listen to: ids, {@code ${...}} placeholders (which may resolve to comma-separated lists) and
     * {@code *} patterns, which also match rooms created after start-up.
     */
    String[] rooms();

    /** Ephemeral event types to receive; empty for all. Only for {@code EphemeralEvent} listeners. */
    EphemeralEventType[] types() default {};

    /** Persistent event types to receive; empty for all. Only for {@code RoomEvent} listeners. */
    EventType[] eventTypes() default {};

    /**
     * Only persistent events that mention this user ({@link io.roomkit.model.RoomEvent#mentions(String)}); a
     * {@code ${...}} placeholder is resolved. Empty for every event. Only for {@code RoomEvent} listeners.
     */
    String mentions() default "";

    /** An id for the listener in the {@link RoomEventListenerRegistry}; defaults to {@code bean#method}. */
    String id() default "";

    /**
     * On a cluster, which nodes receive an event: by default ({@link ListenerScope#DEFAULT}) a persistent listener
     * fires once per cluster, on the node that stored the event, and an ephemeral listener fires on every node.
     * {@link ListenerScope#NODE} makes a persistent listener fire on every node too (in index order per room);
     * {@link ListenerScope#CLUSTER} is refused for ephemeral listeners.
     */
    ListenerScope scope() default ListenerScope.DEFAULT;
}
