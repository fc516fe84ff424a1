package io.roomkit.spring.boot;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Whether {@code roomkit.websocket.relay.enabled} is on, read as the binder reads it into {@link RoomKitProperties}
 * ({@code true}, {@code on}, {@code yes}, {@code 1}, any case), so that the conditions choosing the backend agree
 * with the properties every bean sees. {@link Off} is its negation.
 */
class RelayEnabled extends SpringBootCondition {

    static final String PROPERTY = "roomkit.websocket.relay.enabled";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return relayEnabled(context) ? ConditionOutcome.match(PROPERTY + " is on")
                : ConditionOutcome.noMatch(PROPERTY + " is off or unset");
    }

    static boolean relayEnabled(ConditionContext context) {
        return Binder.get(context.getEnvironment()).bind(PROPERTY, Boolean.class).orElse(false);
    }

    /** {@code roomkit.websocket.relay.enabled} is off or unset. */
    static final class Off extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return relayEnabled(context) ? ConditionOutcome.noMatch(PROPERTY + " is on")
                    : ConditionOutcome.match(PROPERTY + " is off or unset");
        }
    }
}
