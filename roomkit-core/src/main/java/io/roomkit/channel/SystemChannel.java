package io.roomkit.channel;

import io.roomkit.model.ChannelType;

/**
 * A channel for the application itself. Only system channels may make system deletes
 * ({@code DeleteType.SYSTEM}) and system edits ({@code editSource = "system"}).
 */
public class SystemChannel implements Channel {

    private final String id;

    public SystemChannel(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ChannelType type() {
        return ChannelType.SYSTEM;
    }
}
