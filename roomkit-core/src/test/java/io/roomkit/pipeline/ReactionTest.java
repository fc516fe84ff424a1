package io.roomkit.pipeline;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKit;
import io.roomkit.RoomKitException;
import io.roomkit.model.EventQuery;
import io.roomkit.model.ReactionSummary;
import io.roomkit.model.RoomEvent;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.roomkit.pipeline.Messages.delete;
import static io.roomkit.pipeline.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReactionTest {

    private static final String ROOM = "room-1";

    private final RoomKit kit = new RoomKit();
    private final BlockingQueue<EphemeralEvent> live = new LinkedBlockingQueue<>();
    private RoomEvent message;

    @BeforeEach
    void setUp() {
        kit.registerChannel(new RecordingChannel("ws-alice"));
        kit.createRoom(ROOM);
        kit.attachChannel(ROOM, "ws-alice");
        message = kit.processInbound(text("ws-alice", "alice", "react to me"), ROOM).event();
        kit.subscribeRoom(ROOM, live::add);
    }

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void aReactionIsStoredOnceAndPublishedWhenItChangesSomething() throws Exception {
        assertThat(kit.addReaction(ROOM, "bob", message.id(), "👍")).isTrue();
        assertThat(kit.addReaction(ROOM, "bob", message.id(), "👍")).isFalse();
        assertThat(kit.removeReaction(ROOM, "carol", message.id(), "👍")).isFalse();
        assertThat(kit.removeReaction(ROOM, "bob", message.id(), "👍")).isTrue();
        kit.publishTyping(ROOM, "bob", true);

        List<String> seen = new ArrayList<>();
        for (EphemeralEvent event = next(); event.type() != EphemeralEventType.TYPING_START; event = next()) {
            seen.add(event.userId() + " " + event.data().get("emoji") + " " + event.data().get("action"));
        }
        assertThat(seen).containsExactly("bob 👍 add", "bob 👍 remove");
    }

    @Test
    void aPageOfEventsCarriesEachMessagesReactions() {
        kit.addReaction(ROOM, "bob", message.id(), "👍");
        kit.addReaction(ROOM, "carol", message.id(), "👍");
        kit.addReaction(ROOM, "carol", message.id(), "🎉");

        RoomEvent listed = kit.events(ROOM, EventQuery.latest(10)).get(0);

        assertThat(listed.reactions()).isEqualTo(Map.of("👍", new ReactionSummary(2, List.of("bob", "carol")),
                "🎉", new ReactionSummary(1, List.of("carol"))));
        assertThat(listed.toMap().get("reactions")).isEqualTo(Map.of(
                "👍", Map.of("count", 2L, "users", List.of("bob", "carol")),
                "🎉", Map.of("count", 1L, "users", List.of("carol"))));
        assertThat(kit.getEvent(ROOM, message.id()).orElseThrow().toMap()).doesNotContainKey("reactions");
    }

    @Test
    void onlyStoredMessagesThatAreNotDeletedTakeReactions() {
        RoomEvent deleteEvent = kit.processInbound(delete("ws-alice", "alice", message.id()), ROOM).event();

        assertThatThrownBy(() -> kit.addReaction(ROOM, "bob", message.id(), "👍"))
                .isInstanceOfSatisfying(RoomKitException.class,
                        refused -> assertThat(refused.code()).isEqualTo(ErrorCodes.TARGET_DELETED));
        assertThatThrownBy(() -> kit.addReaction(ROOM, "bob", deleteEvent.id(), "👍"))
                .isInstanceOfSatisfying(RoomKitException.class,
                        refused -> assertThat(refused.code()).isEqualTo(ErrorCodes.INVALID_ARGUMENT));
        assertThatThrownBy(() -> kit.addReaction(ROOM, "bob", RoomEvent.newId(), "👍"))
                .isInstanceOfSatisfying(RoomKitException.class,
                        refused -> assertThat(refused.code()).isEqualTo(ErrorCodes.EVENT_NOT_FOUND));
        assertThatThrownBy(() -> kit.addReaction(ROOM, "bob", message.id(), "x".repeat(65)))
                .isInstanceOfSatisfying(RoomKitException.class,
                        refused -> assertThat(refused.code()).isEqualTo(ErrorCodes.INVALID_CONTENT));
        assertThat(kit.store().reactionSummaries(ROOM, List.of(message.id(), deleteEvent.id()))).isEmpty();
    }

    private EphemeralEvent next() throws InterruptedException {
        EphemeralEvent event = live.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("a live event within 10 s").isNotNull();
        return event;
    }
}
