package io.roomkit.model;

import io.roomkit.InvalidInputException;

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

    /**
     * Refuses an id or key with a NUL character ({@code invalid_argument}): PostgreSQL cannot store one in a text
     * column, so without this the same id would be an internal error there and kept elsewhere.
     */
    static String requireNoNul(String value, String what) {
        if (value != null && value.indexOf('\0') >= 0) {
            throw InvalidInputException.argument(what + " must not contain a NUL character");
        }
        return value;
    }

    /**
     * Refuses a lone UTF-16 surrogate anywhere in {@code value} (strings, map keys and values, lists, nested):
     * it has no UTF-8 form, so a database would keep it as '?' and history would differ from what was delivered
     * live.
     */
    static void requireWellFormed(Object value, String what) {
        if (value instanceof String text) {
            if (hasLoneSurrogate(text)) {
                throw InvalidInputException.content(what + " contains a lone UTF-16 surrogate, which is not text");
            }
        }
        else if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> {
                requireWellFormed(key, what);
                requireWellFormed(item, what);
            });
        }
        else if (value instanceof Iterable<?> items) {
            items.forEach(item -> requireWellFormed(item, what));
        }
    }

    private static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (pair) {
                i++;
            }
            else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * An unmodifiable copy that, unlike {@code Map.copyOf}, keeps {@code null} values from JSON; a map that is
     * already immutable is kept as it is ({@link ImmutableMaps}).
     */
    static Map<String, Object> copy(Map<String, ?> map) {
        return ImmutableMaps.copyOf(map);
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
