package io.roomkit.spring.listener;

import io.roomkit.RoomKit;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.RoomEvent;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.RealtimeStats;
import io.roomkit.realtime.EphemeralEventType;
import io.roomkit.spring.boot.RoomEventListenerAutoConfiguration;
import io.roomkit.spring.boot.RoomKitAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RoomEventListenerTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RoomKitAutoConfiguration.class,
                    RoomEventListenerAutoConfiguration.class));

    @Test
    void typeFilterSelectsEphemeralEvents() {
        runner.withBean(TypingOnly.class).run(context -> {
            RoomKit kit = context.getBean(RoomKit.class);
            kit.publishPresence("room-1", "alice", "online");
            kit.publishTyping("room-1", "alice", true);
            kit.publishTyping("room-2", "bob", true);

            TypingOnly listener = context.getBean(TypingOnly.class);
            await().atMost(WAIT).until(() -> !listener.received.isEmpty());
            kit.publishTyping("room-1", "carol", true);
            await().atMost(WAIT).until(() -> listener.received.size() == 2);
            assertThat(listener.received).extracting(EphemeralEvent::userId).containsExactly("alice", "carol");
            assertThat(listener.received).extracting(EphemeralEvent::type)
                    .containsOnly(EphemeralEventType.TYPING_START);
        });
    }

    @Test
    void placeholdersResolveToOneOrSeveralRooms() {
        runner.withPropertyValues("app.support-room=help", "app.rooms=a, b").withBean(Placeholders.class)
                .run(context -> {
                    RoomKit kit = context.getBean(RoomKit.class);
                    kit.publishTyping("help", "alice", true);
                    kit.publishTyping("b", "bob", true);
                    kit.publishTyping("c", "carol", true);
                    kit.publishTyping("a", "dave", true);

                    Placeholders listener = context.getBean(Placeholders.class);
                    await().atMost(WAIT).until(() -> listener.single.size() == 1 && listener.listed.size() == 2);
                    assertThat(listener.single).extracting(EphemeralEvent::roomId).containsExactly("help");
                    assertThat(listener.listed).extracting(EphemeralEvent::roomId).containsExactlyInAnyOrder("a", "b");
                });
    }

    @Test
    void patternsMatchRoomsCreatedAfterStartUp() {
        runner.withBean(Patterns.class).run(context -> {
            RoomKit kit = context.getBean(RoomKit.class);
            kit.registerChannel(new WebSocketChannel("ws-alice"));
            kit.createRoom("support-42");
            kit.publishTyping("support-42", "alice", true);
            kit.publishTyping("sales-1", "alice", true);
            kit.processInbound(InboundMessage.text("ws-alice", "alice", "help!"), "support-42");
            kit.processInbound(InboundMessage.text("ws-alice", "alice", "buy"), "sales-1");

            Patterns listener = context.getBean(Patterns.class);
            await().atMost(WAIT).until(() -> listener.ephemeral.size() == 1 && listener.persistent.size() == 1);
            assertThat(listener.ephemeral.get(0).roomId()).isEqualTo("support-42");
            assertThat(listener.persistent.get(0).roomId()).isEqualTo("support-42");
        });
    }

    @Test
    void persistentListenersReceiveStoredEventsAfterBroadcastFilteredByType() {
        runner.withBean(Persistent.class).run(context -> {
            RoomKit kit = context.getBean(RoomKit.class);
            kit.registerChannel(new WebSocketChannel("ws-alice"));
            RoomEvent stored = kit.processInbound(InboundMessage.text("ws-alice", "alice", "hello"), "room-1")
                    .event();
            kit.processInbound(InboundMessage.builder().channelId("ws-alice").senderId("alice")
                    .eventType(EventType.DELETE).content(new io.roomkit.model.DeleteContent(stored.id())).build(),
                    "room-1");

            Persistent listener = context.getBean(Persistent.class);
            assertThat(listener.messages).as("delivered synchronously, after broadcast").containsExactly(stored);
            assertThat(listener.all).extracting(RoomEvent::type).containsExactly(EventType.MESSAGE,
                    EventType.DELETE);
        });
    }

    @Test
    void jdkProxiedBeansAreServedThroughTheirInterface() {
        runner.withUserConfiguration(JdkProxyConfig.class).run(context -> {
            RoomKit kit = context.getBean(RoomKit.class);
            kit.publishTyping("room-1", "alice", true);
            ProxiedListenerImpl target = context.getBean(JdkProxyConfig.class).target;
            await().atMost(WAIT).until(() -> target.received.size() == 1);
            assertThat(context.getBean("proxied")).isNotInstanceOf(ProxiedListenerImpl.class);
        });
    }

    @Test
    void classProxiedBeansAreServed() {
        runner.withUserConfiguration(ClassProxyConfig.class).run(context -> {
            context.getBean(RoomKit.class).publishTyping("room-1", "alice", true);
            ProxiedListenerImpl proxy = context.getBean(ProxiedListenerImpl.class);
            assertThat(proxy.getClass()).isNotEqualTo(ProxiedListenerImpl.class);
            await().atMost(WAIT).until(() -> context.getBean(ClassProxyConfig.class).target.received.size() == 1);
        });
    }

    @Test
    void lazyBeansRegisterWhenTheyAreCreated() {
        runner.withUserConfiguration(LazyConfig.class).run(context -> {
            RoomEventListenerRegistry registry = context.getBean(RoomEventListenerRegistry.class);
            assertThat(registry.endpoints()).isEmpty();

            LazyListener listener = context.getBean(LazyListener.class);
            assertThat(registry.endpoints()).hasSize(1);
            context.getBean(RoomKit.class).publishTyping("room-1", "alice", true);
            await().atMost(WAIT).until(() -> listener.received.size() == 1);
        });
    }

    @Test
    void aThrowingListenerKeepsReceiving() {
        runner.withBean(Throwing.class).run(context -> {
            RoomKit kit = context.getBean(RoomKit.class);
            kit.publishTyping("room-1", "alice", true);
            kit.publishTyping("room-1", "bob", true);
            Throwing listener = context.getBean(Throwing.class);
            await().atMost(WAIT).until(() -> listener.calls.size() == 2);
            kit.registerChannel(new WebSocketChannel("ws-alice"));
            assertThat(kit.processInbound(InboundMessage.text("ws-alice", "alice", "hi"), "room-1").blocked())
                    .as("a throwing persistent listener does not fail the pipeline").isFalse();
            assertThat(listener.calls).contains("persistent");
        });
    }

    @Test
    void stoppingTheContextUnsubscribesAndStartingResubscribes() {
        runner.withBean(TypingOnly.class).run(context -> {
            RoomKit kit = context.getBean(RoomKit.class);
            RoomEventListenerRegistry registry = context.getBean(RoomEventListenerRegistry.class);
            RealtimeStats realtime = (RealtimeStats) kit.realtime();
            String id = registry.endpoints().iterator().next().id();
            assertThat(registry.isSubscribed(id)).isTrue();
            int whileStarted = realtime.subscriptionCount();

            context.stop();
            assertThat(registry.isSubscribed(id)).isFalse();
            assertThat(realtime.subscriptionCount()).as("subscriptions while stopped").isEqualTo(whileStarted - 1);
            kit.publishTyping("room-1", "alice", true);

            context.start();
            // one subscription again, not a kept one beside a new one: nothing can deliver "alice" later
            assertThat(realtime.subscriptionCount()).as("subscriptions after the restart").isEqualTo(whileStarted);
            kit.publishTyping("room-1", "bob", true);
            TypingOnly listener = context.getBean(TypingOnly.class);
            await().atMost(WAIT).until(() -> !listener.received.isEmpty());
            assertThat(listener.received).extracting(EphemeralEvent::userId).containsExactly("bob");
        });
    }

    @Test
    void aMethodWithAnUnservableSignatureFailsStartUp() {
        runner.withBean(BadSignature.class).run(context -> assertThat(context).hasFailed().getFailure()
                .rootCause().hasMessageContaining("@RoomEventListener method")
                .hasMessageContaining("BadSignature.onText")
                .hasMessageContaining("exactly one parameter, an EphemeralEvent or a RoomEvent"));
    }

    @Test
    void aMentionFilterSelectsTheMessagesThatMentionTheResolvedUser() {
        runner.withPropertyValues("app.on-call=bob").withBean(Mentions.class).run(context -> {
            RoomKit kit = context.getBean(RoomKit.class);
            kit.registerChannel(new WebSocketChannel("ws-alice"));
            kit.processInbound(InboundMessage.text("ws-alice", "alice", "nobody"), "room-1");
            RoomEvent forBob = kit.processInbound(InboundMessage.builder().channelId("ws-alice").senderId("alice")
                    .content(new io.roomkit.model.TextContent("@bob")).metadata(Map.of(RoomEvent.MENTIONS,
                            List.of("bob", "carol"))).build(), "room-1").event();
            kit.processInbound(InboundMessage.builder().channelId("ws-alice").senderId("alice")
                    .content(new io.roomkit.model.TextContent("@carol")).metadata(Map.of(RoomEvent.MENTIONS,
                            List.of("carol"))).build(), "room-1");

            assertThat(context.getBean(Mentions.class).received).extracting(RoomEvent::id)
                    .containsExactly(forBob.id());
        });
    }

    @Test
    void aMentionFilterOnAnEphemeralListenerFailsStartUp() {
        runner.withBean(EphemeralMentions.class).run(context -> assertThat(context).hasFailed().getFailure()
                .rootCause().hasMessageContaining("mentions filters persistent events"));
    }

    static class Mentions {

        final List<RoomEvent> received = new CopyOnWriteArrayList<>();

        @RoomEventListener(rooms = "room-*", mentions = "${app.on-call}")
        void onMention(RoomEvent event) {
            received.add(event);
        }
    }

    static class EphemeralMentions {

        @RoomEventListener(rooms = "room-1", mentions = "bob")
        void onTyping(EphemeralEvent event) {
        }
    }

    @Test
    void mismatchedFiltersFailStartUp() {
        runner.withBean(WrongFilter.class).run(context -> assertThat(context).hasFailed().getFailure()
                .rootCause().hasMessageContaining("use eventTypes for a RoomEvent listener"));
    }

    @Test
    void clusterScopeOnAnEphemeralListenerFailsStartUp() {
        runner.withBean(EphemeralClusterScope.class).run(context -> assertThat(context).hasFailed().getFailure()
                .rootCause().hasMessageContaining("EphemeralClusterScope.onTyping")
                .hasMessageContaining("scope CLUSTER is for RoomEvent listeners"));
    }

    /** On a single node (no cluster feed) every event is stored here: a NODE listener is served like the others. */
    @Test
    void theScopeIsReadAndANodeScopedListenerOnASingleNodeHearsEveryEvent() {
        runner.withBean(Scoped.class).run(context -> {
            RoomEventListenerRegistry registry = context.getBean(RoomEventListenerRegistry.class);
            assertThat(registry.endpoint("scoped#onEveryNode")).get().extracting(RoomListenerEndpoint::scope)
                    .isEqualTo(ListenerScope.NODE);
            assertThat(registry.endpoint("scoped#onTyping")).get().extracting(RoomListenerEndpoint::scope)
                    .isEqualTo(ListenerScope.DEFAULT);
            RoomKit kit = context.getBean(RoomKit.class);
            kit.registerChannel(new WebSocketChannel("ws-alice"));
            RoomEvent stored = kit.processInbound(InboundMessage.text("ws-alice", "alice", "hello"), "room-1")
                    .event();
            assertThat(context.getBean(Scoped.class).stored).containsExactly(stored);
        });
    }

    static class EphemeralClusterScope {

        @RoomEventListener(rooms = "room-1", scope = ListenerScope.CLUSTER)
        void onTyping(EphemeralEvent event) {
        }
    }

    static class Scoped {

        final List<RoomEvent> stored = new CopyOnWriteArrayList<>();

        @RoomEventListener(rooms = "room-1", scope = ListenerScope.NODE, id = "scoped#onEveryNode")
        void onStored(RoomEvent event) {
            stored.add(event);
        }

        @RoomEventListener(rooms = "room-1", id = "scoped#onTyping")
        void onTyping(EphemeralEvent event) {
        }
    }

    @Test
    void invalidRoomNamesFailStartUp() {
        runner.withBean(BadRoom.class).run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                .hasMessageContaining("'rooms.general' is neither a room id nor a room pattern"));
    }

    static class TypingOnly {

        final List<EphemeralEvent> received = new CopyOnWriteArrayList<>();

        @RoomEventListener(rooms = "room-1", types = EphemeralEventType.TYPING_START)
        void onTyping(EphemeralEvent event) {
            received.add(event);
        }
    }

    static class Placeholders {

        final List<EphemeralEvent> single = new CopyOnWriteArrayList<>();
        final List<EphemeralEvent> listed = new CopyOnWriteArrayList<>();

        @RoomEventListener(rooms = "${app.support-room}")
        void onSupport(EphemeralEvent event) {
            single.add(event);
        }

        @RoomEventListener(rooms = "${app.rooms}")
        void onListed(EphemeralEvent event) {
            listed.add(event);
        }
    }

    static class Patterns {

        final List<EphemeralEvent> ephemeral = new CopyOnWriteArrayList<>();
        final List<RoomEvent> persistent = new CopyOnWriteArrayList<>();

        @RoomEventListener(rooms = "support-*")
        void onEphemeral(EphemeralEvent event) {
            ephemeral.add(event);
        }

        @RoomEventListener(rooms = "support-*")
        void onMessage(RoomEvent event) {
            persistent.add(event);
        }
    }

    static class Persistent {

        final List<RoomEvent> messages = new CopyOnWriteArrayList<>();
        final List<RoomEvent> all = new CopyOnWriteArrayList<>();

        @RoomEventListener(rooms = "room-1", eventTypes = EventType.MESSAGE)
        void onMessage(RoomEvent event) {
            messages.add(event);
        }

        @RoomEventListener(rooms = "room-*")
        void onAnything(RoomEvent event) {
            all.add(event);
        }
    }

    interface ProxiedListener {

        void onEvent(EphemeralEvent event);
    }

    static class ProxiedListenerImpl implements ProxiedListener {

        final List<EphemeralEvent> received = new CopyOnWriteArrayList<>();

        @Override
        @RoomEventListener(rooms = "room-1")
        public void onEvent(EphemeralEvent event) {
            received.add(event);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class JdkProxyConfig {

        final ProxiedListenerImpl target = new ProxiedListenerImpl();

        @Bean
        ProxiedListener proxied() {
            ProxyFactory factory = new ProxyFactory(target);
            factory.addInterface(ProxiedListener.class);
            return (ProxiedListener) factory.getProxy();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ClassProxyConfig {

        final ProxiedListenerImpl target = new ProxiedListenerImpl();

        @Bean
        ProxiedListenerImpl classProxied() {
            ProxyFactory factory = new ProxyFactory(target);
            factory.setProxyTargetClass(true);
            return (ProxiedListenerImpl) factory.getProxy();
        }
    }

    static class LazyListener {

        final List<EphemeralEvent> received = new CopyOnWriteArrayList<>();

        @RoomEventListener(rooms = "room-1")
        void onEvent(EphemeralEvent event) {
            received.add(event);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class LazyConfig {

        @Bean
        @Lazy
        LazyListener lazyListener() {
            return new LazyListener();
        }
    }

    static class Throwing {

        final List<String> calls = new CopyOnWriteArrayList<>();

        @RoomEventListener(rooms = "room-1")
        void onEvent(EphemeralEvent event) {
            calls.add(event.userId());
            throw new IllegalStateException("listener bug");
        }

        @RoomEventListener(rooms = "room-1")
        void onStored(RoomEvent event) {
            calls.add("persistent");
            throw new IllegalStateException("listener bug");
        }
    }

    static class BadSignature {

        @RoomEventListener(rooms = "room-1")
        void onText(String text) {
        }
    }

    static class WrongFilter {

        @RoomEventListener(rooms = "room-1", types = EphemeralEventType.TYPING_START)
        void onStored(RoomEvent event) {
        }
    }

    static class BadRoom {

        @RoomEventListener(rooms = "rooms.general")
        void onEvent(EphemeralEvent event) {
        }
    }
}
