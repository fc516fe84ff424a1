package io.roomkit.spring.boot;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** Combinations the STOMP auto-configuration refuses, reported with the fix by the failure analyzer. */
class RoomKitStompAutoConfigurationTests {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RoomKitStompAutoConfiguration.class,
                    RoomKitAutoConfiguration.class));

    @Test
    void aRelayWithTheRedisRealtimeBackendIsRefusedWithTheFix() {
        runner.withPropertyValues("roomkit.websocket.relay.enabled=true", "roomkit.realtime.type=redis")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new RoomKitConfigurationFailureAnalyzer()
                            .analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).contains("roomkit.websocket.relay.enabled=true")
                            .contains("roomkit.realtime.type=redis");
                    assertThat(analysis.getAction()).contains("use roomkit.realtime.type=stomp");
                });
    }
}
