package io.roomkit.model;

/** Lifecycle of a room. {@code CLOSED} and {@code ARCHIVED} rooms refuse new events; {@code PAUSED} rooms accept them. */
public enum RoomStatus implements WireValue {
    ACTIVE("active"),
    PAUSED("paused"),
    CLOSED("closed"),
    ARCHIVED("archived");

    private final String value;

    RoomStatus(String value) {
        this.value = value;
    }

    @Override
    public String value() {
        return value;
    }

    /** The constant whose wire value is {@code value}; {@code IllegalArgumentException} for any other string. */
    public static RoomStatus fromValue(String value) {
        return WireValue.lookup(RoomStatus.class, value);
    }
}
