package io.roomkit.spring.ai;

import io.roomkit.RoomKit;
import io.roomkit.channel.ai.AIChannel;
import io.roomkit.channel.ai.AIProvider;
import io.roomkit.channel.ai.AITool;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

import java.util.List;
import java.util.function.Supplier;

/**
 * Registers the AI channels of {@code roomkit.ai.channels} with the kit, once every singleton exists, and
 * attaches each to the rooms its patterns match. A channel's provider is the named {@link AIProvider} bean,
 * else the only one, else the Spring AI {@code ChatModel} adapter; its tools are every {@link AITool} bean
 * and every Spring AI {@code ToolCallback} bean.
 */
public class AiChannelRegistrar implements SmartInitializingSingleton {

    private final RoomKit kit;
    private final List<? extends AiChannelSettings> channels;
    private final BeanFactory beanFactory;
    private final ObjectProvider<AIProvider> providers;
    private final Supplier<AIProvider> chatModelProvider;
    private final Supplier<List<AITool>> tools;

    public AiChannelRegistrar(RoomKit kit, List<? extends AiChannelSettings> channels, BeanFactory beanFactory,
            ObjectProvider<AIProvider> providers, Supplier<AIProvider> chatModelProvider,
            Supplier<List<AITool>> tools) {
        this.kit = kit;
        this.channels = List.copyOf(channels);
        this.beanFactory = beanFactory;
        this.providers = providers;
        this.chatModelProvider = chatModelProvider;
        this.tools = tools;
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (AiChannelSettings channel : channels) {
            if (channel.id() == null || channel.id().isBlank()) {
                throw new IllegalStateException("roomkit.ai.channels entries need an id");
            }
            AIChannel ai = AIChannel.builder(channel.id(), provider(channel)).systemPrompt(channel.systemPrompt())
                    .tools(tools.get()).maxRounds(channel.maxRounds()).historyLimit(channel.historyLimit())
                    .thinkingWindow(channel.thinkingWindow().toMillis()).timeout(channel.timeout())
                    .toolTimeout(channel.toolTimeout()).build();
            kit.registerChannel(ai);
            if (!channel.rooms().isEmpty()) {
                kit.autoAttach(ai.id(), channel.rooms().toArray(String[]::new));
            }
        }
    }

    private AIProvider provider(AiChannelSettings channel) {
        if (channel.provider() != null && !channel.provider().isBlank()) {
            return beanFactory.getBean(channel.provider(), AIProvider.class);
        }
        AIProvider unique = providers.getIfUnique();
        if (unique != null) {
            return unique;
        }
        AIProvider chatModel = chatModelProvider.get();
        if (chatModel == null) {
            throw new IllegalStateException("AI channel '" + channel.id() + "' has no provider: define a Spring AI "
                    + "ChatModel (a model starter), an AIProvider bean, or name one with roomkit.ai.channels[].provider");
        }
        return chatModel;
    }
}
