package io.roomkit;

/** The named event does not exist in the named room ({@code event_not_found}). */
public class EventNotFoundException extends RoomKitException {

    public EventNotFoundException(String roomId, String eventId) {
        super(ErrorCodes.EVENT_NOT_FOUND, "Event '" + eventId + "' does not exist in room '" + roomId + "'");
    }
}
