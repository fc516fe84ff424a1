package io.roomkit;

/**
 * An argument or a piece of content was refused before anything was stored: {@code invalid_room_id},
 * {@code invalid_content} or {@code invalid_argument}.
 */
public class InvalidInputException extends RoomKitException {

    public InvalidInputException(String code, String message) {
        super(code, message);
    }

    /** An {@code invalid_argument} failure. */
    public static InvalidInputException argument(String message) {
        return new InvalidInputException(ErrorCodes.INVALID_ARGUMENT, message);
    }

    /** An {@code invalid_content} failure. */
    public static InvalidInputException content(String message) {
        return new InvalidInputException(ErrorCodes.INVALID_CONTENT, message);
    }
}
