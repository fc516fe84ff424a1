package io.roomkit.model;

/** Who deletes a message: its {@code SENDER}, the {@code SYSTEM} (system channels only) or an {@code ADMIN} (room owners or a host-configured moderator check). */
public enum DeleteType implements WireValue {
    SENDER("sender"),
    SYSTEM("system"),
    ADMIN("admin");

    private final String value;

    DeleteType(String value) {
        this.value = value;
    }

    @Override
    public String value() {
        return value;
    }

    /** The constant whose wire value is {@code value}; {@code IllegalArgumentException} for any other string. */
    public static DeleteType fromValue(String value) {
        return WireValue.lookup(DeleteType.class, value);
    }
}
