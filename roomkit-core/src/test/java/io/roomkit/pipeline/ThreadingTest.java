package io.roomkit.pipeline;

import java.time.Duration;
import io.roomkit.RoomKit;
import io.roomkit.hook.HookResult;
import io.roomkit.model.EventQuery;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.RoomEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.roomkit.pipeline.Messages.reply;
import static io.roomkit.pipeline.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

class ThreadingTest {

    private static final String ROOM = "room-1";

    private final RoomKit kit = new RoomKit();
    private final FakeAiChannel bot = new FakeAiChannel("ai-bot");
    private RoomEvent root;

    @BeforeEach
    void setUp() {
        kit.registerChannel(new RecordingChannel("ws-alice"));
        kit.registerChannel(new RecordingChannel("ws-bob"));
        kit.registerChannel(bot);
        kit.createRoom(ROOM);
        kit.attachChannel(ROOM, "ws-alice");
        kit.attachChannel(ROOM, "ws-bob");
        root = send(text("ws-alice", "alice", "root"));
    }

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void replyToTheRootJoinsItsThread() {
        RoomEvent answer = send(reply("ws-bob", "bob", "reply", root.id()));

        assertThat(answer.parentEventId()).isEqualTo(root.id());
        assertThat(stored(answer.id()).parentEventId()).isEqualTo(root.id());
    }

    @Test
    void replyToAReplyIsNormalisedToTheRoot() {
        RoomEvent first = send(reply("ws-bob", "bob", "reply", root.id()));

        RoomEvent second = send(reply("ws-alice", "alice", "reply to reply", first.id()));

        assertThat(stored(second.id()).parentEventId()).isEqualTo(root.id());
    }

    @Test
    void replyToAnUnknownParentIsTopLevel() {
        RoomEvent dangling = send(reply("ws-bob", "bob", "reply", RoomEvent.newId()));

        assertThat(stored(dangling.id()).parentEventId()).isNull();
    }

    @Test
    void replyToAParentInAnotherRoomIsTopLevel() {
        RoomEvent elsewhere = kit.processInbound(text("ws-alice", "alice", "other"), "room-2").event();

        RoomEvent crossRoom = send(reply("ws-bob", "bob", "reply", elsewhere.id()));

        assertThat(stored(crossRoom.id()).parentEventId()).isNull();
    }

    @Test
    void aiAnswerToAThreadReplyInheritsTheRoot() {
        kit.attachChannel(ROOM, "ai-bot");

        RoomEvent question = send(reply("ws-bob", "bob", "question in thread", root.id()));

        assertThat(aiAnswerTo(question).parentEventId()).isEqualTo(root.id());
    }

    @Test
    void aiAnswerNamingAReplyAsParentIsNormalisedToTheRoot() {
        bot.replyParent(RoomEvent::id);
        kit.attachChannel(ROOM, "ai-bot");

        RoomEvent question = send(reply("ws-bob", "bob", "question in thread", root.id()));

        assertThat(aiAnswerTo(question).parentEventId()).isEqualTo(root.id());
    }

    @Test
    void aiAnswerNamingAnUnknownParentIsTopLevel() {
        bot.replyParent(trigger -> RoomEvent.newId());
        kit.attachChannel(ROOM, "ai-bot");

        RoomEvent question = send(text("ws-bob", "bob", "question"));

        assertThat(aiAnswerTo(question).parentEventId()).isNull();
    }

    @Test
    void hookMovingAnEventUnderAReplyIsNormalisedToTheRoot() {
        RoomEvent firstReply = send(reply("ws-bob", "bob", "reply", root.id()));
        kit.addHook((event, context) -> "file under the reply".equals(event.content().plainText())
                ? HookResult.modify(event.toBuilder().parentEventId(firstReply.id()).build())
                : HookResult.allow());

        RoomEvent moved = send(text("ws-alice", "alice", "file under the reply"));

        assertThat(stored(moved.id()).parentEventId()).isEqualTo(root.id());
    }

    @Test
    void aThreadListsItsRepliesAndItsRootCarriesTheirSummary() {
        RoomEvent first = send(reply("ws-bob", "bob", "first", root.id()));
        send(text("ws-alice", "alice", "top level"));
        RoomEvent second = send(reply("ws-alice", "alice", "reply to reply", first.id()));

        assertThat(kit.events(ROOM, EventQuery.thread(root.id(), 10))).extracting(RoomEvent::id)
                .containsExactly(first.id(), second.id());
        RoomEvent listedRoot = kit.events(ROOM, EventQuery.latest(10)).get(0);
        assertThat(listedRoot.id()).isEqualTo(root.id());
        assertThat(listedRoot.thread()).isNotNull();
        assertThat(listedRoot.thread().replyCount()).isEqualTo(2);
        assertThat(listedRoot.thread().participants()).containsExactly("bob", "alice");
        assertThat(listedRoot.thread().lastReplyAt()).isEqualTo(stored(second.id()).createdAt());
        assertThat(listedRoot.toMap()).containsKey("thread");
        assertThat(kit.events(ROOM, EventQuery.latest(10))).filteredOn(event -> !event.id().equals(root.id()))
                .allSatisfy(event -> assertThat(event.thread()).isNull());
    }

    private RoomEvent aiAnswerTo(RoomEvent question) {
        return kit.events(ROOM, EventQuery.after(question.index(), 10)).stream()
                .filter(event -> event.source().channelId().equals("ai-bot")).findFirst().orElseThrow();
    }

    /** Sends, then waits for any AI answer, which AI channels produce on their own threads. */
    private RoomEvent send(InboundMessage message) {
        RoomEvent event = kit.processInbound(message, ROOM).event();
        assertThat(kit.awaitIdle(Duration.ofSeconds(10))).isTrue();
        return event;
    }

    private RoomEvent stored(String eventId) {
        return kit.getEvent(ROOM, eventId).orElseThrow();
    }
}
