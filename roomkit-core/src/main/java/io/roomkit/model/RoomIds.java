package io.roomkit.model;

import io.roomkit.ErrorCodes;
import io.roomkit.InvalidInputException;

import java.util.regex.Pattern;

/**
 * The rules for room ids. Ids travel inside STOMP destinations ({@code /topic/rooms.<id>.events}) and
 * broker routing keys, so dots, slashes, wildcards and white space are refused.
 */
public final class RoomIds {

    /** Longest accepted room id. */
    public static final int MAX_LENGTH = 128;

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_@:-]{1," + MAX_LENGTH + "}");

    private RoomIds() {
    }

    public static boolean isValid(String roomId) {
        return roomId != null && VALID.matcher(roomId).matches();
    }

    /** Returns {@code roomId}, or throws {@code invalid_room_id}. */
    public static String requireValid(String roomId) {
        if (!isValid(roomId)) {
            throw new InvalidInputException(ErrorCodes.INVALID_ROOM_ID, "Invalid room id '" + roomId
                    + "': use 1 to " + MAX_LENGTH + " characters from A-Z, a-z, 0-9, '_', '-', ':' and '@'");
        }
        return roomId;
    }

    /** A new random room id: 32 lower-case hex characters. */
    public static String random() {
        return RandomIds.next();
    }
}
