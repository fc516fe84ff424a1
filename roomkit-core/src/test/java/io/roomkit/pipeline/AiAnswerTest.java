package io.roomkit.pipeline;

import java.time.Duration;
import io.roomkit.ErrorCodes;
import io.roomkit.RoomKit;
import io.roomkit.hook.Hook;
import io.roomkit.hook.HookResult;
import io.roomkit.hook.HookTrigger;
import io.roomkit.model.ChannelAccess;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.ChannelType;
import io.roomkit.model.EditContent;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventSource;
import io.roomkit.model.EventStatus;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundResult;
import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.LongStream;

import static io.roomkit.pipeline.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

class AiAnswerTest {

    private static final String ROOM = "room-1";

    private RoomKit kit = new RoomKit();
    private final RecordingChannel alice = new RecordingChannel("ws-alice");
    private final FakeAiChannel bot = new FakeAiChannel("ai-bot");

    @AfterEach
    void close() {
        kit.close();
    }

    private void roomWith(FakeAiChannel... ais) {
        kit.registerChannel(alice);
        kit.createRoom(ROOM);
        kit.attachChannel(ROOM, "ws-alice");
        for (FakeAiChannel ai : ais) {
            kit.registerChannel(ai);
            kit.attachChannel(ROOM, ai.id());
        }
    }

    @Test
    void answerIsStoredOneHopDeeperAfterTheTrigger() {
        roomWith(bot);

        RoomEvent question = ask("hi").event();

        List<RoomEvent> timeline = timeline();
        assertThat(timeline).hasSize(2);
        RoomEvent answer = timeline.get(1);
        assertThat(answer.index()).isEqualTo(question.index() + 1);
        assertThat(answer.chainDepth()).isEqualTo(1);
        assertThat(answer.source().channelId()).isEqualTo("ai-bot");
        assertThat(answer.status()).isEqualTo(EventStatus.DELIVERED);
        assertThat(question.chainDepth()).isZero();
    }

    @Test
    void answerIsBroadcastToTheHumanButNotBackToTheAi() {
        roomWith(bot);

        RoomEvent question = ask("hi").event();

        RoomEvent answer = timeline().get(1);
        assertThat(alice.deliveredIds()).containsExactly(answer.id());
        assertThat(bot.seen()).extracting(RoomEvent::id).containsExactly(question.id());
    }

    @Test
    void aisAnsweringEachOtherStopAtTheChainDepthLimit() {
        FakeAiChannel other = new FakeAiChannel("ai-other");
        roomWith(bot, other);

        InboundResult result = ask("start");

        assertThat(result.blocked()).isFalse();
        List<RoomEvent> timeline = timeline();
        assertThat(timeline).extracting(RoomEvent::index)
                .containsExactlyElementsOf(LongStream.range(0, timeline.size()).boxed().toList());
        assertThat(timeline).allSatisfy(event -> assertThat(event.chainDepth())
                .isLessThanOrEqualTo(RoomKit.DEFAULT_MAX_CHAIN_DEPTH));
        assertThat(timeline).filteredOn(event -> event.status() == EventStatus.DELIVERED)
                .allSatisfy(event -> assertThat(event.chainDepth()).isLessThan(RoomKit.DEFAULT_MAX_CHAIN_DEPTH));
        assertThat(timeline).filteredOn(event -> event.status() == EventStatus.BLOCKED).isNotEmpty()
                .allSatisfy(event -> {
                    assertThat(event.blockedBy()).isEqualTo(ErrorCodes.CHAIN_DEPTH_LIMIT);
                    assertThat(event.chainDepth()).isEqualTo(RoomKit.DEFAULT_MAX_CHAIN_DEPTH);
                });
    }

    @Test
    void chainDepthLimitIsConfigurable() {
        kit.close();
        kit = RoomKit.builder().maxChainDepth(2).build();
        FakeAiChannel other = new FakeAiChannel("ai-other");
        roomWith(bot, other);

        ask("start");

        List<RoomEvent> timeline = timeline();
        assertThat(timeline).filteredOn(event -> event.status() == EventStatus.DELIVERED)
                .extracting(RoomEvent::chainDepth).containsOnly(0, 1);
        assertThat(timeline).filteredOn(event -> event.status() == EventStatus.BLOCKED)
                .extracting(RoomEvent::chainDepth).isNotEmpty().containsOnly(2);
        assertThat(alice.delivered()).allSatisfy(event -> assertThat(event.status()).isEqualTo(EventStatus.DELIVERED));
    }

    @Test
    void mutedAiIsShownEventsButItsAnswersAreStoredBlocked() {
        roomWith(bot);
        kit.muteChannel(ROOM, "ai-bot");

        RoomEvent question = ask("hi").event();

        assertThat(bot.seen()).extracting(RoomEvent::id).containsExactly(question.id());
        List<RoomEvent> timeline = timeline();
        assertThat(timeline).hasSize(2);
        assertThat(timeline.get(1).status()).isEqualTo(EventStatus.BLOCKED);
        assertThat(timeline.get(1).blockedBy()).isEqualTo(ErrorCodes.SOURCE_MUTED);
        assertThat(alice.delivered()).isEmpty();
    }

    @Test
    void readOnlyAiAnswerIsStoredBlocked() {
        roomWith(bot);
        kit.attachChannel(ROOM, "ai-bot", ChannelAccess.READ_ONLY);

        ask("hi");

        List<RoomEvent> timeline = timeline();
        assertThat(timeline).hasSize(2);
        assertThat(timeline.get(1).status()).isEqualTo(EventStatus.BLOCKED);
        assertThat(timeline.get(1).blockedBy()).isEqualTo(ErrorCodes.SOURCE_READ_ONLY);
        assertThat(alice.delivered()).isEmpty();
    }

    @Test
    void hookBlockedAnswerIsStoredBlockedWithTheHookName() {
        roomWith(bot);
        kit.addHook(Hook.of(HookTrigger.BEFORE_BROADCAST, "no-ai", 0, (event, context) ->
                event.chainDepth() > 0 ? HookResult.block("ai silenced") : HookResult.allow()));

        ask("hi");

        RoomEvent answer = timeline().get(1);
        assertThat(answer.status()).isEqualTo(EventStatus.BLOCKED);
        assertThat(answer.blockedBy()).isEqualTo("no-ai");
        assertThat(alice.delivered()).isEmpty();
    }

    @Test
    void blockedQuestionIsNotShownToTheAi() {
        roomWith(bot);
        kit.addHook(Hook.of(HookTrigger.BEFORE_BROADCAST, "blocker", 0, (event, context) -> HookResult.block("no")));

        ask("hi");

        assertThat(bot.seen()).isEmpty();
        assertThat(kit.store().countEvents(ROOM)).isEqualTo(1);
    }

    @Test
    void answersToAClosedRoomAreDropped() {
        kit.registerChannel(alice);
        kit.createRoom(ROOM);
        kit.attachChannel(ROOM, "ws-alice");
        kit.registerChannel(new FakeAiChannel("ai-closer") {
            @Override
            public List<RoomEvent> onEvent(RoomEvent event, ChannelBinding binding, RoomContext context) {
                kit.closeRoom(ROOM);
                return super.onEvent(event, binding, context);
            }
        });
        kit.attachChannel(ROOM, "ai-closer");

        ask("hi");

        assertThat(kit.store().countEvents(ROOM)).isEqualTo(1);
    }

    @Test
    void throwingAiDoesNotAffectTheQuestionOrOtherChannels() {
        RecordingChannel bob = new RecordingChannel("ws-bob");
        roomWith(new FakeAiChannel("ai-broken") {
            @Override
            public List<RoomEvent> onEvent(RoomEvent event, ChannelBinding binding, RoomContext context) {
                throw new IllegalStateException("model unavailable");
            }
        });
        kit.registerChannel(bob);
        kit.attachChannel(ROOM, "ws-bob");

        InboundResult result = ask("hi");

        assertThat(result.blocked()).isFalse();
        assertThat(bob.deliveredIds()).containsExactly(result.event().id());
        assertThat(kit.store().countEvents(ROOM)).isEqualTo(1);
    }

    @Test
    void aiCannotEditSomeoneElsesMessage() {
        roomWith(new FakeAiChannel("ai-editor") {
            @Override
            public List<RoomEvent> onEvent(RoomEvent event, ChannelBinding binding, RoomContext context) {
                return List.of(RoomEvent.builder().roomId(event.roomId()).type(EventType.EDIT)
                        .source(new EventSource(id(), ChannelType.AI, id()))
                        .content(new EditContent(event.id(), new TextContent("rewritten by ai"))).build());
            }
        });

        RoomEvent question = ask("hi").event();

        assertThat(kit.getEvent(ROOM, question.id())).contains(question);
        assertThat(kit.editHistory(ROOM, question.id())).isEmpty();
        assertThat(alice.delivered()).isEmpty();
    }

    @Test
    void aiAnswerMayEditTheAisOwnEarlierAnswer() {
        FakeAiChannel selfEditor = new FakeAiChannel("ai-self-editor") {
            private RoomEvent firstAnswer;

            @Override
            public synchronized List<RoomEvent> onEvent(RoomEvent event, ChannelBinding binding,
                    RoomContext context) {
                if (firstAnswer == null) {
                    firstAnswer = super.onEvent(event, binding, context).get(0);
                    return List.of(firstAnswer);
                }
                return List.of(RoomEvent.builder().roomId(event.roomId()).type(EventType.EDIT)
                        .source(new EventSource(id(), ChannelType.AI, id()))
                        .content(new EditContent(firstAnswer.id(), new TextContent("corrected"))).build());
            }
        };
        roomWith(selfEditor);
        ask("first");
        RoomEvent firstAnswer = timeline().get(1);

        ask("second");

        assertThat(kit.getEvent(ROOM, firstAnswer.id())).map(RoomEvent::content)
                .contains(new TextContent("corrected"));
        assertThat(kit.editHistory(ROOM, firstAnswer.id())).hasSize(1);
    }

    /** Asks, then waits for the answers, which AI channels produce on their own threads. */
    private InboundResult ask(String body) {
        InboundResult result = kit.processInbound(text("ws-alice", "alice", body), ROOM);
        assertThat(kit.awaitIdle(Duration.ofSeconds(10))).isTrue();
        return result;
    }

    private List<RoomEvent> timeline() {
        return kit.events(ROOM, EventQuery.latest(100));
    }
}
