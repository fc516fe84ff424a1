package io.roomkit.spring.boot;

import io.roomkit.RoomKit;

/**
 * Callback to customise the auto-configured {@link RoomKit} before it is built, for settings that have no
 * property (a moderator check, the chain depth, observers). Every bean of this type is applied in order.
 */
@FunctionalInterface
public interface RoomKitCustomizer {

    void customize(RoomKit.Builder builder);
}
