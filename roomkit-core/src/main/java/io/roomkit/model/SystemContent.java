package io.roomkit.model;

import java.util.Map;

/** A notice from the system, with an optional machine-readable code and data. */
public record SystemContent(String body, String code, Map<String, Object> data) implements EventContent {

    public static final String TYPE = "system";

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
