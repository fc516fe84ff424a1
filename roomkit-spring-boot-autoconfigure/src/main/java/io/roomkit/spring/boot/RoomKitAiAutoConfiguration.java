package io.roomkit.spring.boot;

import io.roomkit.RoomKit;
import io.roomkit.channel.ai.AIProvider;
import io.roomkit.channel.ai.AITool;
import io.roomkit.spring.ai.AiChannelRegistrar;
import io.roomkit.spring.ai.SpringAiProvider;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * AI assistants in rooms: the channels of {@code roomkit.ai.channels}, answering with an {@link AIProvider}
 * bean or, when Spring AI is present, the application's {@code ChatModel}.
 */
@AutoConfiguration(after = RoomKitAutoConfiguration.class)
@ConditionalOnBean(RoomKit.class)
@ConditionalOnBooleanProperty(name = "roomkit.enabled", matchIfMissing = true)
public final class RoomKitAiAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AiChannelRegistrar roomKitAiChannels(RoomKit kit, RoomKitProperties properties, BeanFactory beanFactory,
            ObjectProvider<AIProvider> providers, ObjectProvider<AITool> tools,
            ObjectProvider<SpringAiSupport> springAi) {
        Supplier<AIProvider> chatModel = () -> springAi.stream().map(SpringAiSupport::provider)
                .filter(provider -> provider != null).findFirst().orElse(null);
        Supplier<List<AITool>> allTools = () -> {
            List<AITool> all = new ArrayList<>(tools.orderedStream().toList());
            springAi.ifAvailable(support -> all.addAll(support.tools()));
            return all;
        };
        return new AiChannelRegistrar(kit, properties.ai().channels(), beanFactory, providers, chatModel, allTools);
    }

    /** The bridge to Spring AI, only when it is on the classpath. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ChatModel.class)
    static class SpringAiConfiguration {

        @Bean
        SpringAiSupport roomKitSpringAiSupport(ObjectProvider<ChatModel> chatModels,
                ObjectProvider<ToolCallback> callbacks) {
            return new SpringAiSupport(chatModels, callbacks);
        }
    }

    /** Makes providers and tools from the application's Spring AI beans, when it has them. */
    static final class SpringAiSupport {

        private final ObjectProvider<ChatModel> chatModels;
        private final ObjectProvider<ToolCallback> callbacks;

        SpringAiSupport(ObjectProvider<ChatModel> chatModels, ObjectProvider<ToolCallback> callbacks) {
            this.chatModels = chatModels;
            this.callbacks = callbacks;
        }

        AIProvider provider() {
            ChatModel model = chatModels.getIfUnique();
            return model == null ? null : new SpringAiProvider(model);
        }

        List<AITool> tools() {
            return callbacks.orderedStream().map(SpringAiProvider::tool).toList();
        }
    }
}
