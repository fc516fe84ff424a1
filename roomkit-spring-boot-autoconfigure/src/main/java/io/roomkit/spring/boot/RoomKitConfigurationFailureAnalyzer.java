package io.roomkit.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Reports a {@link RoomKitConfigurationException} the way Spring Boot reports a configuration it cannot start
 * with: a "Description" of the properties in conflict and an "Action" that says what to change, instead of a
 * stack trace through the bean factory. Ordered first, so that no analyzer of a wrapping exception speaks
 * instead of it.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RoomKitConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<RoomKitConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RoomKitConfigurationException cause) {
        return new FailureAnalysis(cause.description(), cause.action(), cause);
    }
}
