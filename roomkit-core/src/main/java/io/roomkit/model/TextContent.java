package io.roomkit.model;

import java.util.Map;

/** Plain text, optionally with its language. */
public record TextContent(String body, String language) implements EventContent {

    public static final String TYPE = "text";

    public TextContent {
        ContentRules.require(body, "text.body");
    }

    public TextContent(String body) {
        this(body, null);
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
        map.put("language", language);
        return map;
    }

    static TextContent read(MapReader in) {
        return new TextContent(in.requiredString("body"), in.string("language"));
    }
}
