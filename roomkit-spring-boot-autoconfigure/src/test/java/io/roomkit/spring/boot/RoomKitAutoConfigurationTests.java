package io.roomkit.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.roomkit.RoomKit;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.hook.Hook;
import io.roomkit.hook.HookResult;
import io.roomkit.model.DeleteContent;
import io.roomkit.model.DeleteType;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.InboundResult;
import io.roomkit.pipeline.ModeratorCheck;
import io.roomkit.realtime.InMemoryRealtime;
import io.roomkit.realtime.RealtimeBackend;
import io.roomkit.store.ConversationStore;
import io.roomkit.store.InMemoryConversationStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class RoomKitAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(RoomKitMetricsAutoConfiguration.class, RoomKitAutoConfiguration.class,
                    RoomEventListenerAutoConfiguration.class, RoomKitHealthAutoConfiguration.class));

    @Test
    void defaultsToTheInMemoryStoreAndBackend() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(RoomKit.class);
            assertThat(context).getBean(ConversationStore.class).isInstanceOf(InMemoryConversationStore.class);
            assertThat(context).getBean(RealtimeBackend.class).isInstanceOf(InMemoryRealtime.class);
            assertThat(context.getBean(InMemoryRealtime.class).maxQueueSize()).isEqualTo(100);
            RoomKit kit = context.getBean(RoomKit.class);
            assertThat(kit.store()).isSameAs(context.getBean(ConversationStore.class));
            assertThat(kit.realtime()).isSameAs(context.getBean(RealtimeBackend.class));
            RoomKitProperties properties = context.getBean(RoomKitProperties.class);
            assertThat(properties.websocket().endpoint()).isEqualTo("/roomkit/ws");
            assertThat(properties.typing().timeout()).hasSeconds(10);
            assertThat(properties.websocket().relay().virtualHost()).isEqualTo("/");
        });
    }

    @Test
    void maxQueueSizeComesFromProperties() {
        runner.withPropertyValues("roomkit.realtime.max-queue-size=7")
                .run(context -> assertThat(context.getBean(InMemoryRealtime.class).maxQueueSize()).isEqualTo(7));
    }

    @Test
    void memoryTypesAreAccepted() {
        runner.withPropertyValues("roomkit.store.type=memory", "roomkit.realtime.type=memory")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(RoomKit.class));
    }

    @Test
    void jpaStoreWithoutJpaFailsWithAClearMessage() {
        runner.withPropertyValues("roomkit.store.type=jpa").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("roomkit.store.type=jpa")
                .hasMessageContaining("roomkit.store.type=memory"));
    }

    @Test
    void unavailableRealtimeBackendsFailWithAClearMessage() {
        runner.withPropertyValues("roomkit.realtime.type=redis").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("roomkit.realtime.type=redis")
                .hasMessageContaining("spring-boot-starter-data-redis"));
    }

    @Test
    void theFailureAnalyzerSaysWhatIsWrongAndWhatToChange() {
        runner.withPropertyValues("roomkit.store.type=jpa").run(context -> {
            FailureAnalysis analysis = new RoomKitConfigurationFailureAnalyzer()
                    .analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).isEqualTo("roomkit.store.type=jpa, but no JPA "
                    + "EntityManagerFactory is configured");
            assertThat(analysis.getAction()).isEqualTo("add spring-boot-starter-data-jpa and a DataSource, or set "
                    + "roomkit.store.type=memory");
        });
        runner.withPropertyValues("roomkit.realtime.type=stomp").run(context -> assertThat(
                new RoomKitConfigurationFailureAnalyzer().analyze(context.getStartupFailure()).getAction())
                .isEqualTo("add spring-boot-starter-websocket, or set roomkit.realtime.type=memory"));
    }

    @Test
    void theFailureAnalyzerIsRegisteredForSpringBoot() throws Exception {
        assertThat(org.springframework.core.io.support.SpringFactoriesLoader.loadFactoryNames(
                org.springframework.boot.diagnostics.FailureAnalyzer.class, getClass().getClassLoader()))
                .contains(RoomKitConfigurationFailureAnalyzer.class.getName());
    }

    @Test
    void invalidPropertyValuesFailBinding() {
        runner.withPropertyValues("roomkit.store.type=mongo").run(context -> assertThat(context).hasFailed()
                .getFailure().hasStackTraceContaining("Failed to bind properties under 'roomkit.store.type'"));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnBeans() {
        runner.withUserConfiguration(OwnBeans.class).run(context -> {
            assertThat(context).getBean(ConversationStore.class).isSameAs(OwnBeans.STORE);
            assertThat(context).getBean(RealtimeBackend.class).isSameAs(OwnBeans.REALTIME);
            assertThat(context.getBean(RoomKit.class).store()).isSameAs(OwnBeans.STORE);
        });
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnKit() {
        runner.withUserConfiguration(OwnKit.class).run(context -> assertThat(context.getBean(RoomKit.class))
                .isSameAs(context.getBean(OwnKit.class).kit));
    }

    @Test
    void disabledMeansNoBeans() {
        runner.withPropertyValues("roomkit.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(RoomKit.class).doesNotHaveBean(ConversationStore.class)
                .doesNotHaveBean(RoomKitMetrics.class).doesNotHaveBean(RoomKitHealthIndicator.class));
    }

    @Test
    void registersChannelAndHookBeansAndAppliesCustomizers() {
        runner.withUserConfiguration(Extensions.class).run(context -> {
            RoomKit kit = context.getBean(RoomKit.class);
            assertThat(kit.channel("ws-bot")).isPresent();
            kit.registerChannel(new WebSocketChannel("ws-alice"));
            InboundResult spam = kit.processInbound(InboundMessage.text("ws-alice", "alice", "buy spam"), "room-1");
            assertThat(spam.reason()).isEqualTo("no spam");
            String messageId = kit.processInbound(InboundMessage.text("ws-alice", "alice", "hello"), "room-1")
                    .event().id();
            InboundResult moderated = kit.processInbound(InboundMessage.builder().channelId("ws-bot")
                    .senderId("moderator").eventType(EventType.DELETE)
                    .content(new DeleteContent(messageId, DeleteType.ADMIN, "policy")).build(), "room-1");
            assertThat(moderated.blocked()).as("the ModeratorCheck bean lets 'moderator' delete").isFalse();
            assertThat(context.getBean(Extensions.class).customized).hasValue(true);
        });
    }

    @Test
    void closesTheKitWhenTheContextCloses() {
        AtomicReference<InMemoryRealtime> realtime = new AtomicReference<>();
        runner.run(context -> realtime.set(context.getBean(InMemoryRealtime.class)));
        assertThat(realtime.get().isClosed()).isTrue();
    }

    @Test
    void healthIsUpWhileTheBackendIsOpenAndDownAfterwards() {
        runner.run(context -> {
            HealthIndicator indicator = context.getBean("roomkitHealthIndicator", HealthIndicator.class);
            Health health = indicator.health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("store", "InMemoryConversationStore")
                    .containsEntry("realtime", "InMemoryRealtime");
            context.getBean(RoomKit.class).realtime().close();
            assertThat(indicator.health(true).getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void healthIndicatorCanBeSwitchedOffOrBeAbsent() {
        runner.withPropertyValues("management.health.roomkit.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(RoomKitHealthIndicator.class));
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RoomKitHealthIndicator.class));
    }

    @Test
    void metricsCountInboundOutcomesAndRealtimeTraffic() {
        runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class)).run(context -> {
                    RoomKit kit = context.getBean(RoomKit.class);
                    kit.registerChannel(new WebSocketChannel("ws-alice"));
                    kit.processInbound(InboundMessage.text("ws-alice", "alice", "hi"), "room-1");
                    kit.closeRoom("room-1");
                    kit.processInbound(InboundMessage.text("ws-alice", "alice", "hi"), "room-1");
                    kit.subscribeRoom("room-1", event -> { });
                    kit.publishTyping("room-1", "alice", true);

                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("roomkit.inbound").tag("outcome", "stored").timer().count()).isEqualTo(1);
                    assertThat(registry.get("roomkit.inbound").tag("outcome", "refused").tag("reason", "room_closed")
                            .timer().count()).isEqualTo(1);
                    assertThat(registry.get("roomkit.ephemeral.published").functionCounter().count()).isEqualTo(1);
                    assertThat(registry.get("roomkit.realtime.subscriptions").gauge().value()).isEqualTo(1);
                    assertThat(registry.get("roomkit.ephemeral.dropped").functionCounter().count()).isZero();
                    kit.reopenRoom("room-1");
                    kit.addHook((event, ctx) -> HookResult.block("too long: " + event.content().plainText().length()));
                    kit.processInbound(InboundMessage.text("ws-alice", "alice", "x"), "room-1");
                    kit.processInbound(InboundMessage.text("ws-alice", "alice", "xx"), "room-1");
                    assertThat(registry.get("roomkit.inbound").tag("outcome", "blocked").tag("reason", "hook").timer()
                            .count()).as("free-text hook reasons share one tag value").isEqualTo(2);
                });
    }

    @Test
    void noMetricsWithoutMicrometer() {
        runner.withClassLoader(new FilteredClassLoader(MeterBinder.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RoomKitMetrics.class)
                        .hasSingleBean(RoomKit.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {

        static final ConversationStore STORE = new InMemoryConversationStore();
        static final RealtimeBackend REALTIME = new InMemoryRealtime(3);

        @Bean
        ConversationStore myStore() {
            return STORE;
        }

        @Bean
        RealtimeBackend myRealtime() {
            return REALTIME;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnKit {

        final RoomKit kit = new RoomKit();

        @Bean
        RoomKit myKit() {
            return kit;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Extensions {

        final AtomicReference<Boolean> customized = new AtomicReference<>(false);

        @Bean
        WebSocketChannel botChannel() {
            return new WebSocketChannel("ws-bot");
        }

        @Bean
        Hook spamFilter() {
            return (event, context) -> event.content().plainText().contains("spam") ? HookResult.block("no spam")
                    : HookResult.allow();
        }

        @Bean
        ModeratorCheck moderators() {
            return (participantId, context) -> participantId.equals("moderator");
        }

        @Bean
        RoomKitCustomizer chainDepth() {
            return builder -> {
                builder.maxChainDepth(3);
                customized.set(true);
            };
        }
    }
}
