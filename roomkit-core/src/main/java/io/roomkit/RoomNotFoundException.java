package io.roomkit;

/** The named room does not exist ({@code room_not_found}). */
public class RoomNotFoundException extends RoomKitException {

    public RoomNotFoundException(String roomId) {
        super(ErrorCodes.ROOM_NOT_FOUND, "Room '" + roomId + "' does not exist");
    }
}
