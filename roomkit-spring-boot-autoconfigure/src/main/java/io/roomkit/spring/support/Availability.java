package io.roomkit.spring.support;

/**
 * A service RoomKit depends on that it watches without blocking (for example Redis for presence): the
 * {@code roomkit} health indicator reports DOWN, with {@link #name()}, while one is unavailable.
 */
public interface Availability {

    /** What the health details call it, such as {@code redis}. */
    String name();

    /** Whether it answered recently; must not block. */
    boolean isAvailable();
}
