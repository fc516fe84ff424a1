package io.roomkit.realtime;

import io.roomkit.model.WireValue;

/** The 13 kinds of ephemeral events; {@link #value()} is the wire string shared with the Python RoomKit. */
public enum EphemeralEventType implements WireValue {
    TYPING_START("typing_start"),
    TYPING_STOP("typing_stop"),
    PRESENCE_ONLINE("presence_online"),
    PRESENCE_AWAY("presence_away"),
    PRESENCE_OFFLINE("presence_offline"),
    READ_RECEIPT("read_receipt"),
    REACTION("reaction"),
    TOOL_CALL_START("tool_call_start"),
    TOOL_CALL_END("tool_call_end"),
    THINKING_START("thinking_start"),
    THINKING_DELTA("thinking_delta"),
    THINKING_END("thinking_end"),
    CUSTOM("custom");

    private final String value;

    EphemeralEventType(String value) {
        this.value = value;
    }

    @Override
    public String value() {
        return value;
    }

    /** The constant whose wire value is {@code value}; {@code IllegalArgumentException} for any other string. */
    public static EphemeralEventType fromValue(String value) {
        return WireValue.lookup(EphemeralEventType.class, value);
    }
}
