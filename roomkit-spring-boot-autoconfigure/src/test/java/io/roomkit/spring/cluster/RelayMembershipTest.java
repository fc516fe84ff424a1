package io.roomkit.spring.cluster;

import io.roomkit.model.ParticipantRole;
import io.roomkit.spring.stomp.StompTestClient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.roomkit.spring.stomp.StompTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Membership is enforced on every node of a RabbitMQ-relay cluster: the owner on node A kicks or bans Bob, who
 * reads the room on node B; node B ends Bob's subscription, and Bob no longer receives the room.
 * <p>
 * The check is by events: Bob's session is told its subscription ended; then a message is posted to the room,
 * Carol (on node B, still a member) receives it, and a marker is posted to a lobby Bob still reads. RabbitMQ
 * routes each message to every bound queue when it is published, so by the time Bob has the lobby marker the
 * room's message would long have been in his queue, had his subscription still been there.
 */
class RelayMembershipTest extends TwoRelayNodes {


    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String room = "members-" + suffix;
    private final String lobby = "lobby-" + suffix;
    private final String ownerName = "owner-" + suffix;
    private final String bobName = "bob-" + suffix;
    private final String carolName = "carol-" + suffix;

    @Test
    void aUserBannedOnOneNodeStopsReceivingOnTheOther() throws Exception {
        Cast cast = assemble();

        cast.owner().send(app("moderate"), Map.of("action", "ban", "user_id", bobName, "reason", "spam"));

        assertThat(cast.bob().nextError()).containsEntry("code", "banned").containsEntry("destination",
                topic(room));
        assertNoLongerReceives(cast, "after the ban");
        cast.bob().subscribe(topic(room));
        assertThat(cast.bob().nextError()).as("node B refuses the banned user").containsEntry("code", "banned");
    }

    @Test
    void aUserRemovedThroughTheApiOnOneNodeStopsReceivingOnTheOther() throws Exception {
        Cast cast = assemble();

        nodeA.kit().removeParticipant(room, bobName);

        assertThat(cast.bob().nextError()).containsEntry("code", "not_authorized").containsEntry("destination",
                topic(room));
        assertNoLongerReceives(cast, "after the removal");
    }

    /** The owner reads the room on node A; Bob (room and lobby) and Carol (room) on node B. */
    private Cast assemble() throws Exception {
        nodeA.kit().createRoom(room);
        nodeA.kit().addParticipant(room, ownerName, ParticipantRole.OWNER);
        StompTestClient owner = connect(nodeA, ownerName);
        BlockingQueue<Map<String, Object>> ownerEvents = owner.subscribe(topic(room));
        StompTestClient bob = connect(nodeB, bobName);
        BlockingQueue<Map<String, Object>> bobEvents = bob.subscribe(topic(room));
        BlockingQueue<Map<String, Object>> bobLobby = bob.subscribe(topic(lobby));
        StompTestClient carol = connect(nodeB, carolName);
        BlockingQueue<Map<String, Object>> carolEvents = carol.subscribe(topic(room));
        awaitBindings(owner, List.of(ownerEvents, bobEvents, carolEvents), "/app/rooms." + room + ".messages");
        awaitBindings(bob, List.of(bobLobby), "/app/rooms." + lobby + ".messages");
        return new Cast(owner, bob, bobEvents, bobLobby, carol, carolEvents);
    }

    private void assertNoLongerReceives(Cast cast, String text) throws InterruptedException {
        cast.bobEvents().clear();
        cast.owner().send(app("messages"), Map.of("content", text));
        await(cast.carolEvents(), message(text));
        cast.owner().send("/app/rooms." + lobby + ".messages", Map.of("content", "marker " + text));
        await(cast.bobLobby(), message("marker " + text));
        assertThat(cast.bobEvents()).noneMatch(message(text));
        assertThat(cast.carol().isConnected()).isTrue();
    }

    /**
     * Posts until every queue has had a message: RabbitMQ binds a new topic subscription asynchronously, so a
     * message published just after the SUBSCRIBE may find no binding yet.
     */
    private static void awaitBindings(StompTestClient sender, List<BlockingQueue<Map<String, Object>>> queues,
            String destination) throws InterruptedException {
        List<BlockingQueue<Map<String, Object>>> waiting = new ArrayList<>(queues);
        for (int attempt = 0; attempt < 100 && !waiting.isEmpty(); attempt++) {
            sender.send(destination, Map.of("content", "binding check " + attempt));
            for (BlockingQueue<Map<String, Object>> queue : List.copyOf(waiting)) {
                if (queue.poll(100, TimeUnit.MILLISECONDS) != null) {
                    waiting.remove(queue);
                }
            }
        }
        assertThat(waiting).as("subscriptions that never received a message").isEmpty();
        queues.forEach(BlockingQueue::clear);
    }

    private static Predicate<Map<String, Object>> message(String body) {
        return event -> "message".equals(event.get("type")) && event.get("content") instanceof Map<?, ?> content
                && body.equals(content.get("body"));
    }

    private StompTestClient connect(ClusterNode node, String user) throws Exception {
        StompTestClient client = StompTestClient.connect(node.port(), user);
        clients.add(client);
        return client;
    }

    private static String topic(String roomId) {
        return "/topic/rooms." + roomId + ".events";
    }

    private String app(String action) {
        return "/app/rooms." + room + "." + action;
    }

    private record Cast(StompTestClient owner, StompTestClient bob, BlockingQueue<Map<String, Object>> bobEvents,
            BlockingQueue<Map<String, Object>> bobLobby, StompTestClient carol,
            BlockingQueue<Map<String, Object>> carolEvents) {
    }
}
