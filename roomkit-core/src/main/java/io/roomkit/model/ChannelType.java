package io.roomkit.model;

/** Kind of a channel, copied onto bindings and event sources. {@code SYSTEM} channels may make system edits and deletes. */
public enum ChannelType implements WireValue {
    WEBSOCKET("websocket"),
    AI("ai"),
    SYSTEM("system"),
    WEBHOOK("webhook"),
    SMS("sms"),
    EMAIL("email"),
    PUSH("push"),
    CLI("cli"),
    CUSTOM("custom");

    private final String value;

    ChannelType(String value) {
        this.value = value;
    }

    @Override
    public String value() {
        return value;
    }

    /** The constant whose wire value is {@code value}; {@code IllegalArgumentException} for any other string. */
    public static ChannelType fromValue(String value) {
        return WireValue.lookup(ChannelType.class, value);
    }
}
