package io.roomkit.spring.cluster;

import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.RoomEvent;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import io.roomkit.spring.listener.ListenerScope;
import io.roomkit.spring.listener.RoomEventListenerRegistry;
import io.roomkit.spring.listener.RoomListenerEndpoint;
import io.roomkit.spring.listener.RoomPatterns;
import io.roomkit.testing.HangWatchdog;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule for server-side listeners on a cluster, checked the same way on both topologies: a persistent
 * {@code @RoomEventListener} fires once per cluster, on the node that stored the event (scope DEFAULT or
 * CLUSTER), or on every node in index order (scope NODE); an ephemeral one fires on every node, once.
 */
final class ListenerRule {

    private ListenerRule() {
    }

    /** A listener bean: what its methods heard, in order. */
    public static final class Recorder {

        final BlockingQueue<Object> heard = new LinkedBlockingQueue<>();

        public void persistent(RoomEvent event) {
            heard.add(event);
        }

        public void ephemeral(EphemeralEvent event) {
            heard.add(event);
        }
    }

    /** The listeners of one node. */
    private record Listeners(Recorder byDefault, Recorder cluster, Recorder node, Recorder ephemeral) {
    }

    private static Listeners register(ClusterNode node, String room) throws NoSuchMethodException {
        RoomEventListenerRegistry registry = node.bean(RoomEventListenerRegistry.class);
        Listeners listeners = new Listeners(new Recorder(), new Recorder(), new Recorder(), new Recorder());
        RoomPatterns rooms = new RoomPatterns(List.of(room));
        var persistent = Recorder.class.getMethod("persistent", RoomEvent.class);
        var ephemeral = Recorder.class.getMethod("ephemeral", EphemeralEvent.class);
        registry.register(new RoomListenerEndpoint(room + "#default", listeners.byDefault(), persistent,
                RoomListenerEndpoint.Kind.PERSISTENT, rooms, Set.of(), Set.of(), ListenerScope.DEFAULT));
        registry.register(new RoomListenerEndpoint(room + "#cluster", listeners.cluster(), persistent,
                RoomListenerEndpoint.Kind.PERSISTENT, rooms, Set.of(), Set.of(), ListenerScope.CLUSTER));
        registry.register(new RoomListenerEndpoint(room + "#node", listeners.node(), persistent,
                RoomListenerEndpoint.Kind.PERSISTENT, rooms, Set.of(), Set.of(), ListenerScope.NODE));
        registry.register(new RoomListenerEndpoint(room + "#ephemeral", listeners.ephemeral(), ephemeral,
                RoomListenerEndpoint.Kind.EPHEMERAL, rooms, Set.of(), Set.of()));
        return listeners;
    }

    private static RoomEvent write(ClusterNode node, String room, String text) {
        node.kit().registerChannelIfAbsent(new WebSocketChannel("ws-writer"));
        return node.kit().processInbound(InboundMessage.text("ws-writer", "writer", text), room).event();
    }

    private static long index(Object heard) {
        return ((RoomEvent) heard).index();
    }

    static void check(ClusterNode nodeA, ClusterNode nodeB, String room) throws Exception {
        nodeA.kit().createRoom(room);
        Listeners onA = register(nodeA, room);
        Listeners onB = register(nodeB, room);

        // processInbound returns once the writing node's persistent listeners have taken the event
        RoomEvent first = write(nodeA, room, "stored on A");
        RoomEvent second = write(nodeB, room, "stored on B");
        for (boolean cluster : new boolean[] { false, true }) {
            Recorder a = cluster ? onA.cluster() : onA.byDefault();
            Recorder b = cluster ? onB.cluster() : onB.byDefault();
            assertThat(a.heard).as("once per cluster: on the node that stored it").containsExactly(first);
            assertThat(b.heard).as("once per cluster: on the node that stored it").containsExactly(second);
        }

        HangWatchdog.within(Duration.ofSeconds(120), "listeners of both nodes", () -> {
            for (Listeners node : List.of(onA, onB)) {
                assertThat(index(node.node().heard.take())).isEqualTo(first.index());
                assertThat(index(node.node().heard.take())).isEqualTo(second.index());
            }
            RoomEvent third = write(nodeB, room, "after the others");
            for (Listeners node : List.of(onA, onB)) {
                assertThat(index(node.node().heard.take())).as("every node, each event once, in index order")
                        .isEqualTo(third.index());
            }

            EphemeralEvent typing = EphemeralEvent.of(room, EphemeralEventType.TYPING_START, "alice", Map.of());
            EphemeralEvent after = EphemeralEvent.of(room, EphemeralEventType.TYPING_STOP, "alice", Map.of());
            nodeA.kit().realtime().publishToRoom(room, typing);
            nodeA.kit().realtime().publishToRoom(room, after);
            for (Listeners node : List.of(onA, onB)) {
                assertThat(((EphemeralEvent) node.ephemeral().heard.take()).id()).as("every node")
                        .isEqualTo(typing.id());
                assertThat(((EphemeralEvent) node.ephemeral().heard.take()).id()).as("once")
                        .isEqualTo(after.id());
            }
            return null;
        });
        assertThat(onA.byDefault().heard).containsExactly(first);
        assertThat(onB.byDefault().heard).hasSize(2).contains(second).doesNotContain(first);
    }
}
