package io.roomkit.model;

import io.roomkit.InvalidInputException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Validation and copying shared by the content records. */
final class ContentRules {

    private ContentRules() {
    }

    static String require(String value, String what) {
        if (value == null) {
            throw InvalidInputException.content(what + " is required");
        }
        return value;
    }

    static String requireNonBlank(String value, String what) {
        if (value == null || value.isBlank()) {
            throw InvalidInputException.content(what + " must not be blank");
        }
        return value;
    }

    static String requireUrl(String url, String what) {
        requireNonBlank(url, what);
        if (!(url.startsWith("http://") || url.startsWith("https://") || url.startsWith("data:"))) {
            throw InvalidInputException.content(what + " must start with http://, https:// or data:");
        }
        return url;
    }

    static void requireNonNegative(Number value, String what) {
        if (value != null && value.doubleValue() < 0) {
            throw InvalidInputException.content(what + " must not be negative");
        }
    }

    /** An unmodifiable copy that, unlike {@code Map.copyOf}, keeps {@code null} values from JSON. */
    static Map<String, Object> copy(Map<String, ?> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    static Map<String, Object> tagged(String type) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", type);
        return map;
    }
}
