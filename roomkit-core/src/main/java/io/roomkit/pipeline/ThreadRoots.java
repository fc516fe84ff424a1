package io.roomkit.pipeline;

import io.roomkit.model.RoomEvent;
import io.roomkit.store.ConversationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Threads are flat: a reply to a reply joins the root's thread; an unknown parent makes a top-level event.
 * Applied to every write before its checks, and again when a hook changed the parent.
 */
final class ThreadRoots {

    /** The pipeline's category, so that its log settings keep covering this step. */
    private static final Logger log = LoggerFactory.getLogger(InboundPipeline.class);

    private final ConversationStore store;

    ThreadRoots(ConversationStore store) {
        this.store = store;
    }

    /** {@code event} with its parent replaced by the parent's thread root, or by none when it is unknown. */
    RoomEvent withThreadRoot(RoomEvent event) {
        if (event.parentEventId() == null) {
            return event;
        }
        Optional<RoomEvent> parent = store.getEvent(event.roomId(), event.parentEventId());
        String root = parent.map(found -> found.parentEventId() != null ? found.parentEventId() : found.id())
                .orElse(null);
        if (root == null) {
            log.debug("Event {} names unknown parent {}; stored at top level", event.id(), event.parentEventId());
        }
        return event.toBuilder().parentEventId(root).build();
    }
}
