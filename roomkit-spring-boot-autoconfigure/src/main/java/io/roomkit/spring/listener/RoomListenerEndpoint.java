package io.roomkit.spring.listener;

import io.roomkit.model.EventType;
import io.roomkit.model.RoomEvent;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Set;

/**
 * One {@link RoomEventListener} method, resolved: the bean to call, the method to invoke on it (the
 * interface method for a JDK proxy), its rooms and its type filter.
 *
 * @param id        unique id in the registry
 * @param bean      the bean, as the context holds it (possibly a proxy)
 * @param method    the method to invoke on {@code bean}
 * @param kind      whether it receives ephemeral or persistent events
 * @param rooms     the rooms it listens to
 * @param ephemeralTypes ephemeral types to receive, empty for all
 * @param eventTypes persistent types to receive, empty for all
 * @param scope     which nodes of a cluster it fires on
 * @param mentions  for a persistent listener, only events that mention this user; {@code null} for all
 */
public record RoomListenerEndpoint(String id, Object bean, Method method, Kind kind, RoomPatterns rooms,
        Set<EphemeralEventType> ephemeralTypes, Set<EventType> eventTypes, ListenerScope scope, String mentions) {

    private static final Logger log = LoggerFactory.getLogger(RoomListenerEndpoint.class);

    public RoomListenerEndpoint {
        ReflectionUtils.makeAccessible(method);
        ephemeralTypes = Set.copyOf(ephemeralTypes);
        eventTypes = Set.copyOf(eventTypes);
        scope = scope == null ? ListenerScope.DEFAULT : scope;
    }

    /** An endpoint without a mention filter. */
    public RoomListenerEndpoint(String id, Object bean, Method method, Kind kind, RoomPatterns rooms,
            Set<EphemeralEventType> ephemeralTypes, Set<EventType> eventTypes, ListenerScope scope) {
        this(id, bean, method, kind, rooms, ephemeralTypes, eventTypes, scope, null);
    }

    /** An endpoint with the default scope. */
    public RoomListenerEndpoint(String id, Object bean, Method method, Kind kind, RoomPatterns rooms,
            Set<EphemeralEventType> ephemeralTypes, Set<EventType> eventTypes) {
        this(id, bean, method, kind, rooms, ephemeralTypes, eventTypes, ListenerScope.DEFAULT);
    }

    /** Whether it receives every node's persistent events ({@link ListenerScope#NODE} on a persistent listener). */
    public boolean everyNode() {
        return kind == Kind.PERSISTENT && scope == ListenerScope.NODE;
    }

    /** Which events an endpoint receives. */
    public enum Kind {
        /** {@code EphemeralEvent}s from the realtime backend. */
        EPHEMERAL,
        /** {@code RoomEvent}s after their broadcast. */
        PERSISTENT
    }

    boolean accepts(EphemeralEvent event) {
        return ephemeralTypes.isEmpty() || ephemeralTypes.contains(event.type());
    }

    boolean accepts(RoomEvent event) {
        return rooms.matches(event.roomId()) && (eventTypes.isEmpty() || eventTypes.contains(event.type()))
                && (mentions == null || event.mentions(mentions));
    }

    /** Calls the method; a failure is logged and swallowed so that the listener keeps receiving. */
    void invoke(Object event) {
        try {
            method.invoke(bean, event);
        }
        catch (InvocationTargetException ex) {
            log.error("@RoomEventListener {} failed on {}; it keeps receiving", id, event, ex.getTargetException());
        }
        catch (IllegalAccessException | RuntimeException ex) {
            log.error("@RoomEventListener {} could not be invoked with {}", id, event, ex);
        }
    }
}
