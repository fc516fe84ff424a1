package io.roomkit.spring.listener;

import io.roomkit.model.RoomEvent;
import io.roomkit.realtime.EphemeralEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds {@link RoomEventListener} methods on singleton beans and hands them, resolved and validated, to the
 * {@link RoomEventListenerRegistry}. Endpoints found while the context starts are buffered until every
 * singleton exists; beans created later ({@code @Lazy}) register when they are created.
 */
public class RoomEventListenerAnnotationBeanPostProcessor
        implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton, Ordered {

    private static final Logger log = LoggerFactory.getLogger(RoomEventListenerAnnotationBeanPostProcessor.class);

    /** Name of the registry bean this processor hands endpoints to. */
    public static final String REGISTRY_BEAN_NAME = "roomEventListenerRegistry";

    private final Set<Class<?>> nonAnnotatedClasses = ConcurrentHashMap.newKeySet();
    private final List<RoomListenerEndpoint> pending = new ArrayList<>();
    private ConfigurableBeanFactory beanFactory;
    private RoomEventListenerRegistry registry;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        if (beanFactory instanceof ConfigurableBeanFactory configurable) {
            this.beanFactory = configurable;
        }
    }

    @Override
    public int getOrder() {
        return LOWEST_PRECEDENCE;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        Class<?> targetClass = AopUtils.getTargetClass(bean);
        if (nonAnnotatedClasses.contains(targetClass)) {
            return bean;
        }
        Map<Method, RoomEventListener> annotated = MethodIntrospector.selectMethods(targetClass,
                (MethodIntrospector.MetadataLookup<RoomEventListener>) method -> AnnotatedElementUtils
                        .findMergedAnnotation(method, RoomEventListener.class));
        if (annotated.isEmpty()) {
            nonAnnotatedClasses.add(targetClass);
            return bean;
        }
        if (!isSingleton(beanName)) {
            log.warn("@RoomEventListener methods of non-singleton bean '{}' are ignored", beanName);
            return bean;
        }
        annotated.forEach((method, annotation) -> register(endpoint(bean, beanName, method, annotation)));
        return bean;
    }

    @Override
    public synchronized void afterSingletonsInstantiated() {
        registry = beanFactory.getBean(REGISTRY_BEAN_NAME, RoomEventListenerRegistry.class);
        pending.forEach(registry::register);
        pending.clear();
    }

    private synchronized void register(RoomListenerEndpoint endpoint) {
        if (registry != null) {
            registry.register(endpoint);
        }
        else {
            pending.add(endpoint);
        }
    }

    /** Reads the bean definition only: asking the factory would create FactoryBeans too early. */
    private boolean isSingleton(String beanName) {
        if (!(beanFactory instanceof ConfigurableListableBeanFactory listable)
                || !listable.containsBeanDefinition(beanName)) {
            return true;
        }
        try {
            return listable.getMergedBeanDefinition(beanName).isSingleton();
        }
        catch (NoSuchBeanDefinitionException ex) {
            return true;
        }
    }

    private RoomListenerEndpoint endpoint(Object bean, String beanName, Method method, RoomEventListener annotation) {
        String where = method.getDeclaringClass().getName() + "." + method.getName();
        RoomListenerEndpoint.Kind kind = kindOf(method, where);
        if (kind == RoomListenerEndpoint.Kind.EPHEMERAL && annotation.eventTypes().length > 0) {
            throw invalid(where, "eventTypes filters persistent events; use types for an EphemeralEvent listener");
        }
        if (kind == RoomListenerEndpoint.Kind.EPHEMERAL && StringUtils.hasText(annotation.mentions())) {
            throw invalid(where, "mentions filters persistent events; ephemeral events mention nobody");
        }
        if (kind == RoomListenerEndpoint.Kind.PERSISTENT && annotation.types().length > 0) {
            throw invalid(where, "types filters ephemeral events; use eventTypes for a RoomEvent listener");
        }
        if (kind == RoomListenerEndpoint.Kind.EPHEMERAL && annotation.scope() == ListenerScope.CLUSTER) {
            throw invalid(where, "scope CLUSTER is for RoomEvent listeners: ephemeral events carry no origin node, "
                    + "so an EphemeralEvent listener fires on every node");
        }
        Method invocable;
        try {
            invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
        }
        catch (IllegalStateException ex) {
            throw invalid(where, "the bean is a JDK proxy that does not expose this method; declare it on an "
                    + "interface of the bean or proxy the target class");
        }
        RoomPatterns rooms;
        try {
            rooms = new RoomPatterns(resolveRooms(annotation.rooms()));
        }
        catch (IllegalArgumentException ex) {
            throw invalid(where, ex.getMessage());
        }
        if (rooms.patterns().isEmpty()) {
            throw invalid(where, "rooms is empty after resolving placeholders");
        }
        String id = StringUtils.hasText(annotation.id()) ? resolve(annotation.id()) : beanName + "#" + method.getName();
        String mentions = StringUtils.hasText(annotation.mentions()) ? resolve(annotation.mentions()).trim() : null;
        return new RoomListenerEndpoint(id, bean, invocable, kind, rooms, Set.of(annotation.types()),
                Set.of(annotation.eventTypes()), annotation.scope(), mentions == null || mentions.isEmpty() ? null
                        : mentions);
    }

    private static RoomListenerEndpoint.Kind kindOf(Method method, String where) {
        Class<?>[] parameters = method.getParameterTypes();
        if (parameters.length == 1 && parameters[0] == EphemeralEvent.class) {
            return RoomListenerEndpoint.Kind.EPHEMERAL;
        }
        if (parameters.length == 1 && parameters[0] == RoomEvent.class) {
            return RoomListenerEndpoint.Kind.PERSISTENT;
        }
        throw invalid(where, "it must take exactly one parameter, an EphemeralEvent or a RoomEvent, but takes "
                + Arrays.toString(parameters));
    }

    private List<String> resolveRooms(String[] rooms) {
        List<String> resolved = new ArrayList<>();
        for (String room : rooms) {
            for (String part : StringUtils.commaDelimitedListToStringArray(resolve(room))) {
                if (StringUtils.hasText(part)) {
                    resolved.add(part.trim());
                }
            }
        }
        return resolved;
    }

    private String resolve(String value) {
        return beanFactory == null ? value : beanFactory.resolveEmbeddedValue(value);
    }

    private static BeanInitializationException invalid(String where, String why) {
        return new BeanInitializationException("@RoomEventListener method " + where + " cannot be served: " + why);
    }
}
