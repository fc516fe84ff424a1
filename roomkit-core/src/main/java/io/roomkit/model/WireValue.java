package io.roomkit.model;

import java.util.Arrays;

/** An enum whose constants travel as lower-case strings in JSON and in the store. */
public interface WireValue {

    /** The wire string, for example {@code message} or {@code read_only}. */
    String value();

    /** Finds the constant of {@code type} with the given wire value. */
    static <E extends Enum<E> & WireValue> E lookup(Class<E> type, String value) {
        if (value != null) {
            for (E constant : type.getEnumConstants()) {
                if (constant.value().equals(value)) {
                    return constant;
                }
            }
        }
        throw new IllegalArgumentException("Unknown " + type.getSimpleName() + " '" + value + "'; expected one of "
                + Arrays.stream(type.getEnumConstants()).map(WireValue::value).toList());
    }
}
