package io.roomkit;

/** No channel with that id was registered with the kit ({@code channel_not_registered}). */
public class ChannelNotRegisteredException extends RoomKitException {

    public ChannelNotRegisteredException(String channelId) {
        super(ErrorCodes.CHANNEL_NOT_REGISTERED, "Channel '" + channelId + "' is not registered");
    }
}
