package io.roomkit.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One emoji's reactions on a message ({@code reactions.<emoji>} in the event's JSON): how many users reacted with
 * it and the first of them, in the order they reacted.
 *
 * @param count how many users reacted with the emoji
 * @param users the first {@value #MAX_USERS} of them, oldest reaction first
 */
public record ReactionSummary(long count, List<String> users) {

    /** How many users a summary names. */
    public static final int MAX_USERS = 10;

    public ReactionSummary {
        if (count < 1) {
            throw new IllegalArgumentException("a reaction summary counts at least one user, was " + count);
        }
        users = users == null ? List.of() : List.copyOf(users.subList(0, Math.min(MAX_USERS, users.size())));
    }

    /** The wire form: {@code {count, users}}. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("count", count);
        map.put("users", users);
        return map;
    }

    static ReactionSummary fromMap(MapReader in) {
        Long count = in.optionalLong("count");
        Object users = in.rawValue("users");
        return new ReactionSummary(count == null ? 0 : count,
                users instanceof List<?> names ? names.stream().map(String::valueOf).toList() : List.of());
    }
}
