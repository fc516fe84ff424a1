package io.roomkit.spring.boot;

import io.roomkit.spring.stomp.StompRealtimeBackend;
import io.roomkit.spring.stomp.app.StompTestApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import java.util.List;

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
     * Through a real start of a web application, as a user sees it: the combination is refused before any bean
     * is made (the Redis backend this application lacks would otherwise fail first), with RoomKit's description
     * and fix.
     */
    @Test
    void aRealStartWithTheCombinationPrintsTheFix(CapturedOutput output) {
        SpringApplication application = new SpringApplicationBuilder(StompTestApplication.class)
                .properties("spring.main.banner-mode=off", "server.port=0", "roomkit.websocket.relay.enabled=true",
                        "roomkit.realtime.type=redis")
                .build();

        assertThatThrownBy(application::run).isInstanceOf(RoomKitConfigurationException.class);

        assertThat(output).contains("would deliver every ephemeral event once per node")
                .contains("use roomkit.realtime.type=stomp").doesNotContain("backend is not available");
    }

    /** The relay switch is read as the properties' binder reads it, so a backend is chosen for every spelling. */
    @Test
    void theRelaySwitchIsReadAsTheBinderReadsIt() {
        for (String on : List.of("true", "on", "YES", "1")) {
            runner.withPropertyValues("roomkit.websocket.relay.enabled=" + on)
                    .run(context -> assertThat(context.getBean(StompRealtimeBackend.class).isRelayed())
                            .as("relayed with enabled=%s", on).isTrue());
        }
        for (String off : List.of("false", "off", "no", "0")) {
            runner.withPropertyValues("roomkit.websocket.relay.enabled=" + off)
                    .run(context -> assertThat(context.getBean(StompRealtimeBackend.class).isRelayed())
                            .as("relayed with enabled=%s", off).isFalse());
        }
    }
}
