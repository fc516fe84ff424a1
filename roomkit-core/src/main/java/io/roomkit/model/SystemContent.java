package io.roomkit.model;

import java.util.Map;

/** A notice from the system, with an optional machine-readable code and data. */
public record SystemContent(String body, String code, Map<String, Object> data) implements EventContent {

    public static final String TYPE = "system";

    /** {@link #code()} of the event stored when a user joins a room; {@code data.user_id} names them. */
    public static final String PARTICIPANT_JOINED = "participant_joined";
    /** {@link #code()} of the event stored when a participant leaves a room of their own accord. */
    public static final String PARTICIPANT_LEFT = "participant_left";
    /** {@link #code()} of the event stored when a participant is removed (kicked) from a room. */
    public static final String PARTICIPANT_REMOVED = "participant_removed";
    /** {@link #code()} of the event stored when a user is banned from a room. */
    public static final String PARTICIPANT_BANNED = "participant_banned";
    /** {@link #code()} of the event stored when a user's ban is lifted. */
    public static final String PARTICIPANT_UNBANNED = "participant_unbanned";

    public SystemContent {
        ContentRules.require(body, "system.body");
        data = ContentRules.copy(data);
    }

    public SystemContent(String body) {
        this(body, null, Map.of());
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String plainText() {
        return body;
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> map = ContentRules.tagged(TYPE);
        map.put("body", body);
        map.put("code", code);
        map.put("data", data);
        return map;
    }

    static SystemContent read(MapReader in) {
        return new SystemContent(in.requiredString("body"), in.string("code"), in.map("data"));
    }
}
