package io.roomkit;

/**
 * The stable codes of {@link RoomKitException}s and of refusals reported in
 * {@link io.roomkit.model.InboundResult#reason()}. Clients may rely on these strings.
 */
public final class ErrorCodes {

    /** A room with that id does not exist. */
    public static final String ROOM_NOT_FOUND = "room_not_found";
    /** {@code createRoom} was given an id that is taken. */
    public static final String ROOM_EXISTS = "room_exists";
    /** A room id that is blank, too long or has characters outside {@code [A-Za-z0-9_:@-]}. */
    public static final String INVALID_ROOM_ID = "invalid_room_id";
    /** An event id that does not name an event of the given room. */
    public static final String EVENT_NOT_FOUND = "event_not_found";
    /** A store was asked to commit an event whose id is already stored. */
    public static final String EVENT_EXISTS = "event_exists";
    /** {@code processInbound} or {@code attachChannel} named a channel nobody registered. */
    public static final String CHANNEL_NOT_REGISTERED = "channel_not_registered";
    /** The channel is registered but not attached to the room. */
    public static final String CHANNEL_NOT_ATTACHED = "channel_not_attached";
    /** {@code registerChannel} was given a channel whose id is taken. */
    public static final String CHANNEL_EXISTS = "channel_exists";
    /** Content that breaks its own rules (empty body, out-of-range latitude, bad URL scheme, ...). */
    public static final String INVALID_CONTENT = "invalid_content";
    /** Content larger than the store or transport accepts. */
    public static final String CONTENT_TOO_LARGE = "content_too_large";
    /** An argument that is missing or out of range (negative limit, blank user id, ...). */
    public static final String INVALID_ARGUMENT = "invalid_argument";
    /** The realtime backend has been closed and accepts no new subscriptions. */
    public static final String REALTIME_CLOSED = "realtime_closed";
    /**
     * The database or Redis could not be reached in time; the frame may be sent again (with the same
     * idempotency key, a message that was stored after all is not stored twice).
     */
    public static final String UNAVAILABLE = "unavailable";
    /**
     * A client sent more than its limit allows (messages, ephemeral frames, history requests, subscriptions or
     * new rooms); nothing was done. Over STOMP the error adds {@code retry_after_ms}, the wait after which the
     * same frame would be accepted ({@code null} when waiting does not help: the subscription cap).
     */
    public static final String RATE_LIMITED = "rate_limited";
    /** The user is banned from the room: they may neither read it nor write to it, nor join it again. */
    public static final String BANNED = "banned";
    /** A moderation action named a user who is not a participant of the room. */
    public static final String PARTICIPANT_NOT_FOUND = "participant_not_found";
    /** The store refused a write because of a concurrent write with the same idempotency key. */
    public static final String DUPLICATE_IDEMPOTENCY_KEY = "duplicate_idempotency_key";

    // Refusals: InboundResult(blocked=true, reason=code), nothing stored.

    /** The room is closed or archived and accepts no new events. */
    public static final String ROOM_CLOSED = "room_closed";
    /** The edit or delete names an event that does not exist in this room. */
    public static final String TARGET_EVENT_NOT_FOUND = "target_event_not_found";
    /** Only the sender of a message may edit it or delete it as {@code SENDER}. */
    public static final String NOT_ORIGINAL_AUTHOR = "not_original_author";
    /** The sender lacks the authority the edit or delete claims (admin or system). */
    public static final String NOT_AUTHORIZED = "not_authorized";
    /** The edit targets a message that has been deleted. */
    public static final String TARGET_DELETED = "target_deleted";
    /** The edit or delete targets an event that is not a {@code MESSAGE}. */
    public static final String TARGET_NOT_EDITABLE = "target_not_editable";
    /** The delete targets a message that is already deleted: a no-op. */
    public static final String ALREADY_DELETED = "already_deleted";
    /** An edit or delete without a sender, or of a message without one. */
    public static final String IDENTITY_REQUIRED = "identity_required_for_edit";
    /** An EDIT without {@code EditContent} or a DELETE without {@code DeleteContent}. */
    public static final String CONTENT_TYPE_MISMATCH = "content_type_mismatch";

    // Blocks: a BLOCKED event is stored with this reason.

    /** The source binding is muted. */
    public static final String SOURCE_MUTED = "source_muted";
    /** The source binding may not write (access read_only or none). */
    public static final String SOURCE_READ_ONLY = "source_read_only";
    /** An AI response chain reached the maximum depth. */
    public static final String CHAIN_DEPTH_LIMIT = "event_chain_depth_limit";
    /** One call provoked more AI answers than its budget (ten times the maximum chain depth). */
    public static final String REENTRY_LOOP_CAP = "reentry_loop_cap";

    private ErrorCodes() {
    }
}
