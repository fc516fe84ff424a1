package io.roomkit.pipeline;

import io.roomkit.channel.Channel;
import io.roomkit.model.ChannelBinding;
import io.roomkit.realtime.ChannelPattern;
import io.roomkit.store.ConversationStore;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Channels that join every room whose id matches a pattern, when the room receives its first event after the
 * rule exists (an AI assistant for {@code support-*} rooms, say). Applied under the room lock, before the
 * pipeline reads the room's bindings, so the first message already reaches the channel.
 */
public final class AutoAttachRules {

    private final List<Rule> rules = new CopyOnWriteArrayList<>();

    public void add(String channelId, List<String> roomPatterns) {
        rules.add(new Rule(channelId, roomPatterns.stream().map(ChannelPattern::of).toList()));
    }

    /**
     * Binds the channels whose patterns match {@code roomId} and that are not among {@code bindings}, the room's
     * bindings as just read under its lock; true if it bound one.
     */
    boolean apply(String roomId, List<ChannelBinding> bindings, ConversationStore store, ChannelRegistry channels) {
        boolean bound = false;
        for (Rule rule : rules) {
            if (rule.matches(roomId)
                    && bindings.stream().noneMatch(binding -> binding.channelId().equals(rule.channelId()))) {
                Channel channel = channels.find(rule.channelId()).orElse(null);
                if (channel != null) {
                    store.saveBinding(InboundPipeline.bindingFor(roomId, channel));
                    bound = true;
                }
            }
        }
        return bound;
    }

    private record Rule(String channelId, List<ChannelPattern> patterns) {

        boolean matches(String roomId) {
            return patterns.stream().anyMatch(pattern -> pattern.matches(roomId));
        }
    }
}
