package io.roomkit.model;

/** What a channel bound to a room may do: read (receive broadcasts), write (send events), both or neither. */
public enum ChannelAccess implements WireValue {
    READ_WRITE("read_write"),
    READ_ONLY("read_only"),
    WRITE_ONLY("write_only"),
    NONE("none");

    private final String value;

    ChannelAccess(String value) {
        this.value = value;
    }

    @Override
    public String value() {
        return value;
    }

    /** The constant whose wire value is {@code value}; {@code IllegalArgumentException} for any other string. */
    public static ChannelAccess fromValue(String value) {
        return WireValue.lookup(ChannelAccess.class, value);
    }
}
