package io.roomkit;

/**
 * Root of every failure RoomKit reports. Each exception carries a stable, machine-readable
 * {@link #code()} (for example {@code room_not_found}) that applications and clients can switch on;
 * the message is for humans and may change.
 */
public class RoomKitException extends RuntimeException {

    private final String code;

    public RoomKitException(String code, String message) {
        super(message);
        this.code = code;
    }

    public RoomKitException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The stable error code, lower-case snake case. */
    public String code() {
        return code;
    }
}
