package io.roomkit.spring.boot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Combinations the STOMP auto-configuration refuses, reported with the fix by the failure analyzer. */
@ExtendWith(OutputCaptureExtension.class)
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

    /**
     * Through a real start, as a user sees it: the combination is refused while the properties are bound, and
     * the report is RoomKit's description and fix rather than Boot's generic binding failure.
     */
    @Test
    void aRealStartWithTheCombinationPrintsTheFix(CapturedOutput output) {
        SpringApplication application = new SpringApplicationBuilder(BindsProperties.class)
                .web(WebApplicationType.NONE).properties("spring.main.banner-mode=off",
                        "roomkit.websocket.relay.enabled=true", "roomkit.realtime.type=redis")
                .build();

        assertThatThrownBy(application::run).hasRootCauseInstanceOf(RoomKitConfigurationException.class);

        assertThat(output).contains("would deliver every ephemeral event once per node")
                .contains("use roomkit.realtime.type=stomp").doesNotContain("Failed to bind properties");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(RoomKitProperties.class)
    static class BindsProperties {
    }
}
