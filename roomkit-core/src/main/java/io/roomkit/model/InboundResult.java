package io.roomkit.model;

/**
 * What {@code processInbound} did with a message.
 * <ul>
 * <li>stored and broadcast: {@code event} set, {@code blocked=false};</li>
 * <li>a repeated idempotency key: the original {@code event}, {@code blocked=false};</li>
 * <li>blocked by a hook or the source write gate: the stored {@code BLOCKED} event, {@code blocked=true},
 * {@code reason} the hook's reason or the gate's code;</li>
 * <li>refused (closed room, invalid edit or delete): {@code event=null}, {@code blocked=true}, {@code reason}
 * one of the codes of {@link io.roomkit.ErrorCodes}; nothing was stored.</li>
 * </ul>
 *
 * @param event   the stored event, or {@code null} when nothing was stored
 * @param blocked whether the message was blocked or refused
 * @param reason  why, or {@code null}
 */
public record InboundResult(RoomEvent event, boolean blocked, String reason) {

    /** The message was stored (or had been stored before, under the same idempotency key). */
    public static InboundResult stored(RoomEvent event) {
        return new InboundResult(event, false, null);
    }

    /** The message was stored as a {@code BLOCKED} event. */
    public static InboundResult blocked(RoomEvent event, String reason) {
        return new InboundResult(event, true, reason);
    }

    /** The message was refused and nothing was stored. */
    public static InboundResult refused(String reason) {
        return new InboundResult(null, true, reason);
    }
}
