package io.roomkit.model;

/** Role of a participant in a room. Only {@code OWNER} matters to the core: owners may delete anyone's message as {@code ADMIN}. */
public enum ParticipantRole implements WireValue {
    OWNER("owner"),
    MEMBER("member"),
    OBSERVER("observer"),
    AGENT("agent"),
    BOT("bot");

    private final String value;

    ParticipantRole(String value) {
        this.value = value;
    }

    @Override
    public String value() {
        return value;
    }

    /** The constant whose wire value is {@code value}; {@code IllegalArgumentException} for any other string. */
    public static ParticipantRole fromValue(String value) {
        return WireValue.lookup(ParticipantRole.class, value);
    }
}
