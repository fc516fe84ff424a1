package io.roomkit.pipeline;

import io.roomkit.ErrorCodes;
import io.roomkit.channel.Channel;
import io.roomkit.concurrent.KeyedSerialExecutor;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.ChannelCategory;
import io.roomkit.model.EventStatus;
import io.roomkit.model.InboundResult;
import io.roomkit.model.RoomEvent;
import io.roomkit.store.ConversationStore;
import io.roomkit.store.RoomWithBindings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.Executor;

/**
 * The last step of DESIGN §3: AI responses re-enter the pipeline. A delivered event is shown to the room's
 * intelligence channels, each on the intelligence executor, one event at a time per room and channel, so that
 * a model that takes seconds holds up neither the writer nor the room; their answers are written one hop
 * deeper, within the budget of answers of the call that started the chain.
 */
final class IntelligenceAnswers {

    /** The pipeline's category, so that its log settings keep covering this step. */
    private static final Logger log = LoggerFactory.getLogger(InboundPipeline.class);

    private final InboundPipeline pipeline;
    private final ConversationStore store;
    private final ChannelRegistry channels;
    private final RoomResolver rooms;
    private final Activity activity;
    private final KeyedSerialExecutor answers;

    IntelligenceAnswers(InboundPipeline pipeline, ConversationStore store, ChannelRegistry channels,
            RoomResolver rooms, Activity activity, Executor intelligence) {
        this.pipeline = pipeline;
        this.store = store;
        this.channels = channels;
        this.rooms = rooms;
        this.activity = activity;
        this.answers = new KeyedSerialExecutor(intelligence, this::answerRefused);
    }

    /** Shows a delivered event to the room's intelligence channels; returns at once. */
    void ask(DeliveryPlan plan) {
        for (ChannelBinding target : plan.targets()) {
            if (target.category() != ChannelCategory.INTELLIGENCE) {
                continue;
            }
            Channel channel = channels.find(target.channelId()).orElse(null);
            if (channel != null) {
                activity.begin();
                answers.execute(new AnswerKey(plan.event().roomId(), channel.id()),
                        new AnswerTask(plan, channel, target));
            }
        }
    }

    private void answerRefused(Runnable task) {
        AnswerTask refused = (AnswerTask) task;
        log.warn("Channel {} is too busy to answer event {} of room {}: the intelligence executor is full",
                refused.channel.id(), refused.plan.event().id(), refused.plan.event().roomId());
        activity.end();
    }

    private record AnswerKey(String roomId, String channelId) {
    }

    /** Asks one intelligence channel about one event and writes its answers. */
    private final class AnswerTask implements Runnable {

        private final DeliveryPlan plan;
        private final Channel channel;
        private final ChannelBinding binding;

        AnswerTask(DeliveryPlan plan, Channel channel, ChannelBinding binding) {
            this.plan = plan;
            this.channel = channel;
            this.binding = binding;
        }

        @Override
        public void run() {
            RoomEvent event = plan.event();
            try {
                DeliveryScope.of(pipeline, event, plan.budget(), Cascade.UNWATCHED, true).run(() -> {
                    List<RoomEvent> responses = channel.onEvent(event, binding, plan.context());
                    if (responses != null) { // a muted binding's answers are stored BLOCKED by the write gate
                        responses.forEach(response -> answer(response, channel.id(), plan));
                    }
                    return null;
                });
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            catch (Exception | LinkageError | AssertionError | StackOverflowError ex) {
                log.warn("Channel {} failed to answer event {} of room {}", channel.id(), event.id(),
                        event.roomId(), ex);
            }
            finally {
                activity.end();
            }
        }
    }

    /** An answer re-enters the pipeline one hop deeper than its trigger, in the trigger's thread. */
    private void answer(RoomEvent response, String channelId, DeliveryPlan trigger) {
        String roomId = trigger.event().roomId();
        try {
            RoomWithBindings state = store.getRoomWithBindings(roomId).orElse(null);
            if (state == null || state.room().refusesEvents()) {
                log.debug("Answer of channel {} dropped: room {} is gone or closed", channelId, roomId);
                return;
            }
            RoomEvent answer = response.toBuilder().roomId(roomId).chainDepth(trigger.event().chainDepth() + 1)
                    .status(EventStatus.PENDING)
                    .parentEventId(response.parentEventId() != null ? response.parentEventId()
                            : trigger.event().parentEventId())
                    .build();
            String limit = trigger.budget().take() ? null : ErrorCodes.REENTRY_LOOP_CAP;
            InboundResult result = pipeline.write(answer, rooms.contextOf(state.room(), state.bindings()),
                    new Writer(answer.chainDepth(), trigger.budget(), Cascade.UNWATCHED, false), limit);
            if (result.event() == null) {
                log.debug("Answer {} of channel {} refused: {}", answer.id(), channelId, result.reason());
            }
        }
        catch (RuntimeException ex) {
            log.warn("Answer of channel {} to event {} failed", channelId, trigger.event().id(), ex);
        }
    }
}
