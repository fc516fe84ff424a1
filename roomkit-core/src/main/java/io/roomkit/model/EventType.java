package io.roomkit.model;

/** Type of a persistent room event. Only {@code EDIT} and {@code DELETE} have special pipeline semantics; the others are stored and broadcast as they are. */
public enum EventType implements WireValue {
    MESSAGE("message"),
    SYSTEM("system"),
    TYPING("typing"),
    READ_RECEIPT("read_receipt"),
    DELIVERY_RECEIPT("delivery_receipt"),
    PRESENCE("presence"),
    REACTION("reaction"),
    EDIT("edit"),
    DELETE("delete"),
    PARTICIPANT_JOINED("participant_joined"),
    PARTICIPANT_LEFT("participant_left"),
    PARTICIPANT_IDENTIFIED("participant_identified"),
    PARTICIPANT_UPDATED("participant_updated"),
    CHANNEL_ATTACHED("channel_attached"),
    CHANNEL_DETACHED("channel_detached"),
    CHANNEL_MUTED("channel_muted"),
    CHANNEL_UNMUTED("channel_unmuted"),
    CHANNEL_UPDATED("channel_updated"),
    TASK_CREATED("task_created"),
    TASK_DELEGATED("task_delegated"),
    TASK_COMPLETED("task_completed"),
    OBSERVATION("observation"),
    TOOL_CALL_START("tool_call_start"),
    TOOL_CALL_END("tool_call_end"),
    DTMF("dtmf"),
    RECORDING_STARTED("recording_started"),
    RECORDING_STOPPED("recording_stopped");

    private final String value;

    EventType(String value) {
        this.value = value;
    }

    @Override
    public String value() {
        return value;
    }

    /** The constant whose wire value is {@code value}; {@code IllegalArgumentException} for any other string. */
    public static EventType fromValue(String value) {
        return WireValue.lookup(EventType.class, value);
    }
}
