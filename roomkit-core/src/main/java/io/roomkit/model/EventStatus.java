package io.roomkit.model;

/** Delivery status of a stored event: the pipeline stores {@code DELIVERED} or {@code BLOCKED}. */
public enum EventStatus implements WireValue {
    PENDING("pending"),
    DELIVERED("delivered"),
    READ("read"),
    FAILED("failed"),
    BLOCKED("blocked");

    private final String value;

    EventStatus(String value) {
        this.value = value;
    }

    @Override
    public String value() {
        return value;
    }

    /** The constant whose wire value is {@code value}; {@code IllegalArgumentException} for any other string. */
    public static EventStatus fromValue(String value) {
        return WireValue.lookup(EventStatus.class, value);
    }
}
