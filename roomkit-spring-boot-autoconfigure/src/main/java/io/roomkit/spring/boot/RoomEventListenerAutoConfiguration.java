package io.roomkit.spring.boot;

import io.roomkit.RoomKit;
import io.roomkit.spring.listener.ClusterEventFeed;
import io.roomkit.spring.listener.RoomEventListenerAnnotationBeanPostProcessor;
import io.roomkit.spring.listener.RoomEventListenerRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/** The infrastructure behind {@link io.roomkit.spring.listener.RoomEventListener} methods. */
@AutoConfiguration(after = RoomKitAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "roomkit.enabled", matchIfMissing = true)
public final class RoomEventListenerAutoConfiguration {

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    static RoomEventListenerAnnotationBeanPostProcessor roomEventListenerAnnotationBeanPostProcessor() {
        return new RoomEventListenerAnnotationBeanPostProcessor();
    }

    @Bean(name = RoomEventListenerAnnotationBeanPostProcessor.REGISTRY_BEAN_NAME)
    @ConditionalOnMissingBean
    RoomEventListenerRegistry roomEventListenerRegistry(ObjectProvider<RoomKit> kit,
            ObjectProvider<ClusterEventFeed> feed) {
        return new RoomEventListenerRegistry(kit, feed);
    }
}
