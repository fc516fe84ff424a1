package io.roomkit.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where an event came from: the channel it entered through and the participant who sent it. Edit and
 * delete authorization compares {@link #participantId()}s, so channels must set it from a trusted identity.
 */
public record EventSource(String channelId, ChannelType channelType, String participantId, String externalId) {

    public EventSource {
        ContentRules.requireNonBlank(channelId, "source.channel_id");
        channelType = channelType == null ? ChannelType.CUSTOM : channelType;
    }

    public EventSource(String channelId, ChannelType channelType, String participantId) {
        this(channelId, channelType, participantId, null);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("channel_id", channelId);
        map.put("channel_type", channelType.value());
        map.put("participant_id", participantId);
        map.put("external_id", externalId);
        return map;
    }

    public static EventSource fromMap(Map<String, ?> map) {
        MapReader in = MapReader.of(map, "source");
        return new EventSource(in.requiredString("channel_id"),
                in.wireEnum("channel_type", ChannelType.class, ChannelType.CUSTOM), in.string("participant_id"),
                in.string("external_id"));
    }
}
