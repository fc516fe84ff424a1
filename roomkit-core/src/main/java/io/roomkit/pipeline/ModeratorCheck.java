package io.roomkit.pipeline;

import io.roomkit.model.RoomContext;

/**
 * Decides, besides room ownership, who may delete other people's messages as {@code ADMIN}. Set one with
 * {@code RoomKit.builder().moderatorCheck(...)}; the default allows nobody but owners.
 */
@FunctionalInterface
public interface ModeratorCheck {

    boolean isModerator(String participantId, RoomContext context);

    /** Nobody besides room owners. */
    static ModeratorCheck ownersOnly() {
        return (participantId, context) -> false;
    }
}
