package io.roomkit.spring.boot;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code roomkit.websocket.limits.*}: the defaults, binding, and values that would refuse every frame. */
class RateLimitPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RoomKitAutoConfiguration.class));

    @Test
    void defaultsAreOnAndGenerous() {
        runner.run(context -> assertThat(context.getBean(RoomKitProperties.class).websocket().limits())
                .isEqualTo(new RoomKitProperties.Limits(true, 10, 500, 20, 200, 5, 100, 100, 30)));
    }

    @Test
    void everyLimitBindsFromItsProperty() {
        runner.withPropertyValues("roomkit.websocket.limits.enabled=false",
                "roomkit.websocket.limits.messages-per-second=0.5", "roomkit.websocket.limits.messages-burst=3",
                "roomkit.websocket.limits.ephemeral-per-second=4", "roomkit.websocket.limits.ephemeral-burst=5",
                "roomkit.websocket.limits.history-per-second=6", "roomkit.websocket.limits.history-burst=7",
                "roomkit.websocket.limits.subscriptions-per-session=8", "roomkit.websocket.limits.rooms-per-minute=9")
                .run(context -> assertThat(context.getBean(RoomKitProperties.class).websocket().limits())
                        .isEqualTo(new RoomKitProperties.Limits(false, 0.5, 3, 4, 5, 6, 7, 8, 9)));
    }

    @Test
    void aLimitOfZeroFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("roomkit.websocket.limits.ephemeral-burst=0")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasRootCauseMessage("roomkit.websocket.limits.ephemeral-burst must be a positive number, was "
                                + "0.0 (to switch the limits off, set roomkit.websocket.limits.enabled=false)"));
    }
}
