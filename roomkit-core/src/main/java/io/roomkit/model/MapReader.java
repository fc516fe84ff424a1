package io.roomkit.model;

import io.roomkit.InvalidInputException;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Typed reads from the loosely typed maps that JSON decoders produce. Every failure is an
 * {@code invalid_content} {@link InvalidInputException} naming the key, so bad client input is
 * reported, never thrown as a {@code ClassCastException}.
 */
public final class MapReader {

    private final Map<String, ?> map;
    private final String what;

    private MapReader(Map<String, ?> map, String what) {
        this.map = map;
        this.what = what;
    }

    /** A reader of {@code map}; {@code what} names the object in error messages. */
    public static MapReader of(Map<String, ?> map, String what) {
        if (map == null) {
            throw InvalidInputException.content(what + " is missing");
        }
        return new MapReader(map, what);
    }

    public boolean has(String key) {
        return map.get(key) != null;
    }

    /** The value as decoded, of whatever type. */
    public Object rawValue(String key) {
        return map.get(key);
    }

    public String requiredString(String key) {
        String value = string(key);
        if (value == null) {
            throw InvalidInputException.content(what + "." + key + " is required");
        }
        return value;
    }

    public String string(String key) {
        Object value = map.get(key);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw wrongType(key, "a string");
    }

    public Long optionalLong(String key) {
        Object value = map.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
            return number.longValue();
        }
        throw wrongType(key, "an integer");
    }

    public long requiredLong(String key) {
        Long value = optionalLong(key);
        if (value == null) {
            throw InvalidInputException.content(what + "." + key + " is required");
        }
        return value;
    }

    public Double optionalDouble(String key) {
        Object value = map.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        throw wrongType(key, "a number");
    }

    public double requiredDouble(String key) {
        Double value = optionalDouble(key);
        if (value == null) {
            throw InvalidInputException.content(what + "." + key + " is required");
        }
        return value;
    }

    public boolean bool(String key, boolean fallback) {
        Object value = map.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean flag) {
            return flag;
        }
        throw wrongType(key, "a boolean");
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> map(String key) {
        Object value = map.get(key);
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> nested) {
            for (Object nestedKey : nested.keySet()) {
                if (!(nestedKey instanceof String)) {
                    throw wrongType(key, "an object with string keys");
                }
            }
            return ImmutableMaps.copyOf((Map<String, Object>) nested);
        }
        throw wrongType(key, "an object");
    }

    public Map<String, Object> requiredMap(String key) {
        if (!has(key)) {
            throw InvalidInputException.content(what + "." + key + " is required");
        }
        return map(key);
    }

    public List<Object> list(String key) {
        Object value = map.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return Collections.unmodifiableList(new java.util.ArrayList<>(list));
        }
        throw wrongType(key, "an array");
    }

    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> listOfMaps(String key) {
        List<Object> values = list(key);
        for (Object value : values) {
            if (!(value instanceof Map)) {
                throw wrongType(key, "an array of objects");
            }
        }
        return (List<Map<String, Object>>) (List<?>) values;
    }

    public List<String> listOfStrings(String key) {
        List<Object> values = list(key);
        for (Object value : values) {
            if (!(value instanceof String)) {
                throw wrongType(key, "an array of strings");
            }
        }
        return values.stream().map(String.class::cast).toList();
    }

    /**
     * An ISO-8601 timestamp; {@code null} when absent. The offset ({@code Z}, {@code +00:00}, …) is optional: a
     * timestamp without one is read as UTC, because Python's {@code datetime.isoformat()} of a naive datetime
     * writes none and the Python RoomKit accepts such events.
     */
    public Instant instant(String key) {
        String value = string(key);
        if (value == null) {
            return null;
        }
        try {
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parse(value);
            return parsed.isSupported(ChronoField.OFFSET_SECONDS) ? Instant.from(parsed)
                    : LocalDateTime.from(parsed).toInstant(ZoneOffset.UTC);
        }
        catch (DateTimeException ex) {
            throw InvalidInputException.content(what + "." + key + " is not an ISO-8601 timestamp: " + value);
        }
    }

    public <E extends Enum<E> & WireValue> E wireEnum(String key, Class<E> type, E fallback) {
        String value = string(key);
        if (value == null) {
            return fallback;
        }
        try {
            return WireValue.lookup(type, value);
        }
        catch (IllegalArgumentException ex) {
            throw InvalidInputException.content(what + "." + key + ": " + ex.getMessage());
        }
    }

    private InvalidInputException wrongType(String key, String expected) {
        return InvalidInputException.content(what + "." + key + " must be " + expected);
    }
}
