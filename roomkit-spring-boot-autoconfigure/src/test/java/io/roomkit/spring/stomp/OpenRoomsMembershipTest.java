package io.roomkit.spring.stomp;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.BlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;

/** With open rooms, a kicked user may come back by subscribing again; a banned one may not, until unbanned. */
class OpenRoomsMembershipTest extends OpenRoomsStompTestSupport {

    @Test
    void aKickedUserMayRejoinAnOpenRoom() throws Exception {
        StompTestClient bob = connect(user("bob"));
        bob.subscribe(events());
        sync(bob);
        assertThat(kit.getParticipant(room, user("bob"))).isPresent();

        kit.removeParticipant(room, user("bob"));
        assertThat(bob.nextError()).containsEntry("code", "not_authorized").containsEntry("destination", events());

        BlockingQueue<Map<String, Object>> again = bob.subscribe(events());
        sync(bob);
        post(bob, again, "I am back");
        assertThat(kit.getParticipant(room, user("bob"))).isPresent();
    }

    @Test
    void aBannedUserCannotRejoinAnOpenRoomUntilUnbanned() throws Exception {
        StompTestClient bob = connect(user("bob"));
        bob.subscribe(events());
        sync(bob);

        kit.banParticipant(room, user("bob"), "spam");
        assertThat(bob.nextError()).containsEntry("code", "banned").containsEntry("destination", events());

        bob.subscribe(events());
        assertThat(bob.nextError()).containsEntry("code", "banned");
        bob.send(app("messages"), Map.of("content", "let me in"));
        assertThat(bob.nextError()).containsEntry("code", "banned");
        assertThat(kit.getParticipant(room, user("bob"))).isEmpty();
        assertThat(stored()).noneMatch(event -> event.content().plainText().equals("let me in"));

        kit.unbanParticipant(room, user("bob"));
        BlockingQueue<Map<String, Object>> again = bob.subscribe(events());
        sync(bob);
        post(bob, again, "thanks");
    }

    @Test
    void aBannedUserCannotCreateTheRoomAgainEither() throws Exception {
        kit.createRoom(room);
        kit.banParticipant(room, user("mallory"), null);
        StompTestClient mallory = connect(user("mallory"));

        mallory.subscribe(ephemeral());

        assertThat(mallory.nextError()).containsEntry("code", "banned");
        assertThat(kit.participants(room)).isEmpty();
    }
}
