package io.roomkit.model;

/** Membership status of a participant. */
public enum ParticipantStatus implements WireValue {
    ACTIVE("active"),
    INACTIVE("inactive"),
    LEFT("left"),
    BANNED("banned");

    private final String value;

    ParticipantStatus(String value) {
        this.value = value;
    }

    @Override
    public String value() {
        return value;
    }

    /** The constant whose wire value is {@code value}; {@code IllegalArgumentException} for any other string. */
    public static ParticipantStatus fromValue(String value) {
        return WireValue.lookup(ParticipantStatus.class, value);
    }
}
