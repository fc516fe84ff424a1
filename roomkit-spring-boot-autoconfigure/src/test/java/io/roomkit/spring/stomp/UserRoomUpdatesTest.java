package io.roomkit.spring.stomp;

import io.roomkit.model.ParticipantRole;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;

import static io.roomkit.spring.stomp.StompTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /user/queue/rooms}: a user sees the unread and mention counts of every room they belong to change, and
 * rooms they leave go, without subscribing to those rooms.
 */
class UserRoomUpdatesTest extends OpenRoomsStompTestSupport {

    private String aliceName;
    private String bobName;
    private String otherRoom;
    private StompTestClient alice;
    private StompTestClient bob;
    private BlockingQueue<Map<String, Object>> bobsRooms;

    @BeforeEach
    void bobBelongsToTwoRoomsAndWatchesHisRoomList() throws Exception {
        aliceName = user("alice");
        bobName = user("bob");
        otherRoom = room + "-b";
        for (String roomId : List.of(room, otherRoom)) {
            kit.createRoom(roomId);
            kit.joinRoom(roomId, aliceName, ParticipantRole.MEMBER);
            kit.joinRoom(roomId, bobName, ParticipantRole.MEMBER);
        }
        alice = connect(aliceName);
        bob = connect(bobName);
        bobsRooms = bob.subscribe(UserRoomUpdates.USER_DESTINATION);
    }

    @Test
    void subscribingSendsTheCountsOfEveryRoomTheUserBelongsTo() throws Exception {
        Map<String, Object> first = await(bobsRooms, update -> true);
        Map<String, Object> second = await(bobsRooms, update -> true);

        assertThat(List.of(first.get("room_id"), second.get("room_id"))).containsExactlyInAnyOrder(room, otherRoom);
        assertThat(first).containsEntry("unread", 0).containsEntry("mentions", 0).containsKey("latest_index");
    }

    @Test
    void aMessageInARoomTheUserDoesNotWatchRaisesItsBadgeAndItsMentions() throws Exception {
        awaitSnapshot();
        alice.send("/app/rooms." + otherRoom + ".messages", Map.of("content", "hello"));
        Map<String, Object> unread = await(bobsRooms, update -> otherRoom.equals(update.get("room_id")));
        assertThat(unread).containsEntry("unread", 1).containsEntry("mentions", 0);

        alice.send("/app/rooms." + otherRoom + ".messages", Map.of("content", "@bob look", "mentions",
                List.of(bobName)));

        Map<String, Object> mentioned = await(bobsRooms, update -> otherRoom.equals(update.get("room_id")));
        assertThat(mentioned).containsEntry("unread", 2).containsEntry("mentions", 1);
        assertThat(((Number) mentioned.get("latest_index")).longValue())
                .isEqualTo(kit.store().latestIndex(otherRoom).orElseThrow());
    }

    @Test
    void readingTheRoomPrivatelyBringsTheBadgeBackToZero() throws Exception {
        awaitSnapshot();
        alice.send("/app/rooms." + otherRoom + ".messages", Map.of("content", "@bob read me", "mentions",
                List.of(bobName)));
        Map<String, Object> raised = await(bobsRooms, update -> otherRoom.equals(update.get("room_id")));
        assertThat(raised).containsEntry("mentions", 1);
        String latest = kit.events(otherRoom, io.roomkit.model.EventQuery.latest(1)).get(0).id();

        bob.send("/app/rooms." + otherRoom + ".read", Map.of("event_id", latest, "private", true));

        Map<String, Object> read = await(bobsRooms, update -> otherRoom.equals(update.get("room_id")));
        assertThat(read).containsEntry("unread", 0).containsEntry("mentions", 0);
    }

    @Test
    void aRoomTheUserIsRemovedFromIsRemovedFromTheList() throws Exception {
        awaitSnapshot();

        kit.removeParticipant(otherRoom, bobName, "testing", aliceName);

        assertThat(await(bobsRooms, update -> otherRoom.equals(update.get("room_id"))))
                .isEqualTo(Map.of("room_id", otherRoom, "removed", true));
        alice.send("/app/rooms." + room + ".messages", Map.of("content", "still here"));
        assertThat(await(bobsRooms, update -> true)).containsEntry("room_id", room).containsEntry("unread", 1);
    }

    @Test
    void mentionsThatAreNotAListOfUserIdsAreRefusedAndNothingIsStored() throws Exception {
        alice.send("/app/rooms." + room + ".messages", Map.of("content", "hi", "mentions", "bob"));
        assertThat(alice.nextError()).containsEntry("code", "invalid_content");
        alice.send("/app/rooms." + room + ".messages", Map.of("content", "hi", "mentions", List.of(1, 2)));
        assertThat(alice.nextError()).containsEntry("code", "invalid_content");

        assertThat(stored()).filteredOn(event -> event.type() == io.roomkit.model.EventType.MESSAGE).isEmpty();
    }

    private void awaitSnapshot() throws InterruptedException {
        await(bobsRooms, update -> true);
        await(bobsRooms, update -> true);
    }
}
