package io.roomkit.spring.jpa;

import io.roomkit.ErrorCodes;
import io.roomkit.InvalidInputException;
import io.roomkit.RoomKitException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON columns of the store (content, metadata), written from and read into the maps of the core's
 * wire form. A value that cannot be written, or a document over {@link #MAX_CHARS} characters, is refused
 * with a {@link RoomKitException} before anything is stored.
 */
final class JsonCodec {

    /** Largest JSON document the store keeps in one column: 256 Ki characters. */
    static final int MAX_CHARS = 256 * 1024;

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private final JsonMapper mapper;

    JsonCodec(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** {@code text} as a JSON string literal, quotes and escapes included, as it appears in stored JSON. */
    String quoted(String text) {
        return mapper.writeValueAsString(text);
    }

    String write(Map<String, ?> value, String what) {
        String json;
        try {
            json = mapper.writeValueAsString(value);
        }
        catch (JacksonException ex) {
            throw InvalidInputException.content(what + " cannot be stored as JSON: " + ex.getOriginalMessage());
        }
        if (json.length() > MAX_CHARS) {
            throw new RoomKitException(ErrorCodes.CONTENT_TOO_LARGE, what + " is " + json.length()
                    + " characters of JSON; the store keeps at most " + MAX_CHARS);
        }
        return json;
    }

    Map<String, Object> read(String json) {
        return mapper.readValue(json, MAP);
    }
}
