package io.roomkit.pipeline;

import io.roomkit.ChannelNotRegisteredException;
import io.roomkit.ErrorCodes;
import io.roomkit.RoomKitException;
import io.roomkit.channel.Channel;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The channels registered with a kit, by id. */
public final class ChannelRegistry {

    private final Map<String, Channel> channels = new ConcurrentHashMap<>();

    /** Registers {@code channel}; {@code channel_exists} if another channel has its id. */
    public void register(Channel channel) {
        Channel existing = channels.putIfAbsent(channel.id(), channel);
        if (existing != null && existing != channel) {
            throw new RoomKitException(ErrorCodes.CHANNEL_EXISTS,
                    "A channel with id '" + channel.id() + "' is already registered");
        }
    }

    /** Registers {@code channel} unless one with its id exists; returns the registered one. */
    public Channel registerIfAbsent(Channel channel) {
        Channel existing = channels.putIfAbsent(channel.id(), channel);
        return existing == null ? channel : existing;
    }

    public Optional<Channel> unregister(String channelId) {
        return Optional.ofNullable(channels.remove(channelId));
    }

    public Optional<Channel> find(String channelId) {
        return Optional.ofNullable(channels.get(channelId));
    }

    public Channel require(String channelId) {
        Channel channel = channelId == null ? null : channels.get(channelId);
        if (channel == null) {
            throw new ChannelNotRegisteredException(channelId);
        }
        return channel;
    }

    public Collection<Channel> all() {
        return List.copyOf(channels.values());
    }
}
