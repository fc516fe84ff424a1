package io.roomkit.spring.listener;

import io.roomkit.model.RoomIds;
import io.roomkit.realtime.ChannelPattern;

import java.util.List;

/** The rooms of one listener: ids and {@code *} patterns, matched against room ids. */
public record RoomPatterns(List<String> patterns) {

    public RoomPatterns {
        patterns = List.copyOf(patterns);
        for (String pattern : patterns) {
            String literal = pattern.replace("*", "");
            if (!literal.isEmpty() && !RoomIds.isValid(literal)) {
                throw new IllegalArgumentException("'" + pattern + "' is neither a room id nor a room pattern: use "
                        + "A-Z, a-z, 0-9, '_', '-', ':', '@' and '*'");
            }
        }
    }

    public boolean matches(String roomId) {
        for (String pattern : patterns) {
            if (ChannelPattern.isPattern(pattern) ? ChannelPattern.of(pattern).matches(roomId)
                    : pattern.equals(roomId)) {
                return true;
            }
        }
        return false;
    }
}
