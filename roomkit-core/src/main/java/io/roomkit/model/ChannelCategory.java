package io.roomkit.model;

/** Transport channels carry events to people; intelligence channels (AI) observe events and may answer. */
public enum ChannelCategory implements WireValue {
    TRANSPORT("transport"),
    INTELLIGENCE("intelligence");

    private final String value;

    ChannelCategory(String value) {
        this.value = value;
    }

    @Override
    public String value() {
        return value;
    }

    /** The constant whose wire value is {@code value}; {@code IllegalArgumentException} for any other string. */
    public static ChannelCategory fromValue(String value) {
        return WireValue.lookup(ChannelCategory.class, value);
    }
}
