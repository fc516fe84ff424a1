package io.roomkit.spring.stomp;

import io.roomkit.ErrorCodes;
import io.roomkit.InvalidInputException;
import io.roomkit.RoomKit;
import io.roomkit.RoomKitException;
import io.roomkit.channel.Channel;
import io.roomkit.model.DeleteContent;
import io.roomkit.model.DeleteType;
import io.roomkit.model.EditContent;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.InboundResult;
import io.roomkit.model.MapReader;
import io.roomkit.model.RoomEvent;
import io.roomkit.spring.presence.PresenceTracker;
import io.roomkit.spring.presence.TypingTracker;
import io.roomkit.spring.support.BoundedCalls;
import io.roomkit.spring.support.Infrastructure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.annotation.DestinationVariable;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.MessageExceptionHandler;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.annotation.support.MethodArgumentNotValidException;
import org.springframework.messaging.simp.SimpAttributes;
import org.springframework.messaging.simp.SimpAttributesContextHolder;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.annotation.SubscribeMapping;
import org.springframework.stereotype.Controller;
import org.springframework.web.util.UriComponentsBuilder;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client-to-server half of the STOMP protocol (DESIGN §4). The user is always the session's principal:
 * {@code user_id} or {@code sender_id} fields in a payload are ignored. User {@code alice} writes through her
 * {@link UserChannel} {@code ws-alice}, registered and attached on first use; when another kind of channel holds
 * that id, her writes are refused ({@code not_authorized}). Refusals go to {@code /user/queue/errors}.
 */
@Controller
public class RoomKitStompController {

    private static final Logger log = LoggerFactory.getLogger(RoomKitStompController.class);

    /** Largest history page. */
    public static final int MAX_PAGE = 200;
    private static final int DEFAULT_PAGE = 50;

    private final RoomKit kit;
    private final PresenceTracker presence;
    private final TypingTracker typing;
    private final StompErrors errors;
    private final BoundedCalls store;
    private final StompModeration moderation;
    private volatile UserRoomUpdates roomUpdates;

    public RoomKitStompController(RoomKit kit, PresenceTracker presence, TypingTracker typing, StompErrors errors) {
        this(kit, presence, typing, errors, BoundedCalls.direct());
    }

    /** With {@code store}, every frame's store work is waited for at most its timeout ({@code unavailable}). */
    public RoomKitStompController(RoomKit kit, PresenceTracker presence, TypingTracker typing, StompErrors errors,
            BoundedCalls store) {
        this.kit = kit;
        this.presence = presence;
        this.typing = typing;
        this.errors = errors;
        this.store = store;
        this.moderation = new StompModeration(kit);
    }

    /** Tells {@code updates} when a user's read marker moves, so the user's room badge follows. */
    public void setRoomUpdates(UserRoomUpdates updates) {
        this.roomUpdates = updates;
    }

    /** The id of the channel a user writes through ({@link UserChannel#idOf}). */
    public static String channelId(String userId) {
        return UserChannel.idOf(userId);
    }

    @MessageMapping("rooms.{roomId}.messages")
    public void message(@DestinationVariable String roomId, @Payload Map<String, Object> payload, Principal user) {
        MapReader in = ClientPayloads.read(payload, "message");
        List<String> mentions = ClientPayloads.mentions(in);
        InboundMessage message = InboundMessage.builder().channelId(channelOf(user)).senderId(user.getName())
                .content(ClientPayloads.content(in, "content")).idempotencyKey(in.string("idempotency_key"))
                .parentEventId(in.string("parent_event_id"))
                .metadata(mentions.isEmpty() ? Map.of() : Map.of(RoomEvent.MENTIONS, mentions)).build();
        report(store.call("message", () -> kit.processInbound(message, roomId)), user, roomId, "messages");
    }

    @MessageMapping("rooms.{roomId}.edit")
    public void edit(@DestinationVariable String roomId, @Payload Map<String, Object> payload, Principal user) {
        MapReader in = ClientPayloads.read(payload, "edit");
        EditContent edit = new EditContent(in.requiredString("target_event_id"),
                ClientPayloads.content(in, "new_content"));
        InboundMessage message = InboundMessage.builder().channelId(channelOf(user)).senderId(user.getName())
                .eventType(EventType.EDIT).content(edit).build();
        report(store.call("edit", () -> kit.processInbound(message, roomId)), user, roomId, "edit");
    }

    @MessageMapping("rooms.{roomId}.delete")
    public void delete(@DestinationVariable String roomId, @Payload Map<String, Object> payload, Principal user) {
        MapReader in = ClientPayloads.read(payload, "delete");
        DeleteContent delete = new DeleteContent(in.requiredString("target_event_id"),
                in.wireEnum("delete_type", DeleteType.class, DeleteType.SENDER), in.string("reason"));
        InboundMessage message = InboundMessage.builder().channelId(channelOf(user)).senderId(user.getName())
                .eventType(EventType.DELETE).content(delete).build();
        report(store.call("delete", () -> kit.processInbound(message, roomId)), user, roomId, "delete");
    }

    /** Kick, ban, unban, mute or unmute a user: {@code {action, user_id, reason?}} (see {@link StompModeration}). */
    @MessageMapping("rooms.{roomId}.moderate")
    public void moderate(@DestinationVariable String roomId, @Payload Map<String, Object> payload, Principal user) {
        MapReader in = ClientPayloads.read(payload, "moderate");
        store.run("moderate", () -> moderation.apply(roomId, user.getName(), in));
    }

    @MessageMapping("rooms.{roomId}.typing")
    public void typing(@DestinationVariable String roomId, @Payload Map<String, Object> payload, Principal user) {
        MapReader in = ClientPayloads.read(payload, "typing");
        if (!(in.rawValue("typing") instanceof Boolean)) {
            throw InvalidInputException.content("typing must be true or false");
        }
        if (in.bool("typing", false)) {
            typing.start(roomId, user.getName());
        }
        else {
            typing.stop(roomId, user.getName());
        }
    }

    @MessageMapping("rooms.{roomId}.presence")
    public void presence(@DestinationVariable String roomId, @Payload Map<String, Object> payload, Principal user) {
        String status = ClientPayloads.requiredShort(ClientPayloads.read(payload, "presence"), "status", 32);
        presence.status(user.getName(), roomId, status);
    }

    @MessageMapping("rooms.{roomId}.reactions")
    public void reaction(@DestinationVariable String roomId, @Payload Map<String, Object> payload, Principal user) {
        MapReader in = ClientPayloads.read(payload, "reaction");
        String target = ClientPayloads.eventId(in, "target_event_id");
        String emoji = ClientPayloads.requiredShort(in, "emoji", 64);
        String action = in.string("action") == null ? "add" : in.string("action");
        if (!action.equals("add") && !action.equals("remove")) {
            throw InvalidInputException.content("action must be add or remove");
        }
        // stored once per user, emoji and message; the live reaction event goes out only when something changed
        if (action.equals("add")) {
            store.call("reaction", () -> kit.addReaction(roomId, user.getName(), target, emoji));
        }
        else {
            store.call("reaction", () -> kit.removeReaction(roomId, user.getName(), target, emoji));
        }
    }

    /**
     * Moves the user's durable read marker and tells the room with a read receipt, unless the frame says
     * {@code private: true}: then only the marker moves, and nobody learns how far the user has read, neither
     * live nor from the history's {@code read_markers} ({@link ReadReceipts}).
     */
    @MessageMapping("rooms.{roomId}.read")
    public void read(@DestinationVariable String roomId, @Payload Map<String, Object> payload, Principal user) {
        MapReader in = ClientPayloads.read(payload, "read");
        String eventId = ClientPayloads.eventId(in, "event_id");
        boolean privately = in.bool("private", false);
        String channelId = channelOf(user);
        store.run("read", () -> {
            if (privately) {
                ReadReceipts.readPrivately(kit, roomId, channelId, eventId);
            }
            else {
                ReadReceipts.readPublicly(kit, roomId, channelId, eventId);
            }
        });
        UserRoomUpdates updates = roomUpdates;
        if (updates != null) {
            updates.readMoved(user.getName(), roomId);
        }
        if (!privately) {
            kit.publishReadReceipt(roomId, user.getName(), eventId);
        }
    }

    /**
     * The history reply: a page of persistent events (the newest by default; {@code after_index} to catch up,
     * {@code before_index} to scroll back, {@code limit} up to {@value #MAX_PAGE}; {@code thread=<rootEventId>}
     * for the replies of one thread, with the same cursors), who is present, the user's unread count, and every
     * user's read marker ({@code read_markers}: user id to index). Thread roots carry their {@code thread}
     * summary.
     */
    @SubscribeMapping("rooms.{roomId}.history*")
    public Map<String, Object> history(@DestinationVariable String roomId,
            @Header(SimpMessageHeaderAccessor.DESTINATION_HEADER) String destination, Principal user) {
        return store.call("history", () -> historyReply(roomId, destination, user));
    }

    private Map<String, Object> historyReply(String roomId, String destination, Principal user) {
        Map<String, List<String>> query = UriComponentsBuilder.fromUriString(destination).build().getQueryParams();
        int limit = Math.min(MAX_PAGE, (int) number(query, "limit", DEFAULT_PAGE));
        EventQuery page = query.containsKey("after_index") ? EventQuery.after(number(query, "after_index", -1), limit)
                : query.containsKey("before_index") ? EventQuery.before(number(query, "before_index", 0), limit)
                        : EventQuery.latest(limit);
        String threadRoot = threadRoot(query);
        if (threadRoot != null) {
            page = page.inThread(threadRoot);
        }
        boolean exists = kit.getRoom(roomId).isPresent();
        List<RoomEvent> events = exists ? kit.events(roomId, page) : List.of();
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("room_id", roomId);
        if (threadRoot != null) {
            reply.put("thread", threadRoot);
        }
        reply.put("events", events.stream().map(RoomEvent::toMap).toList());
        reply.put("presence", presence.snapshot(roomId));
        reply.put("latest_index", exists
                ? kit.store().latestIndex(roomId).stream().boxed().findFirst().orElse(null) : null);
        // not the count of an application channel that holds the id of this user's channel
        boolean ownChannel = kit.channel(channelId(user.getName()))
                .map(channel -> UserChannel.belongsTo(channel, user.getName())).orElse(true);
        reply.put("unread", exists && ownChannel
                ? kit.unreadCount(roomId, channelId(user.getName())) : 0);
        reply.put("mentions", exists && ownChannel
                ? kit.unreadMentionCount(roomId, channelId(user.getName()), user.getName()) : 0);
        reply.put("read_markers", exists ? ReadReceipts.byUser(kit, roomId) : Map.of());
        return reply;
    }

    @MessageExceptionHandler
    public void onError(Exception error, Principal user,
            @Header(name = SimpMessageHeaderAccessor.DESTINATION_HEADER, required = false) String destination,
            @Header(name = SimpMessageHeaderAccessor.SESSION_ID_HEADER, required = false) String sessionId) {
        if (error instanceof RoomKitException roomKit) {
            errors.send(user, sessionId, roomKit.code(), roomKit.getMessage(), destination);
        }
        else if (Infrastructure.isUnreachable(error)) {
            errors.send(user, sessionId, ErrorCodes.UNAVAILABLE, "The database or Redis could not be reached; "
                    + "send the frame again", destination);
            log.warn("STOMP frame to {} failed: {}", destination, error.toString());
        }
        else if (error instanceof MessageConversionException || error instanceof MethodArgumentNotValidException) {
            errors.send(user, sessionId, StompErrors.INVALID_JSON, "The payload is not a JSON object", destination);
        }
        else {
            errors.send(user, sessionId, StompErrors.INTERNAL_ERROR, "The server could not process this frame",
                    destination);
            log.error("STOMP frame to {} failed", destination, error);
        }
    }

    private void report(InboundResult result, Principal user, String roomId, String action) {
        if (result.blocked()) {
            errors.send(user, currentSessionId(), result.reason(),
                    "The room refused the " + action + " frame: " + result.reason(),
                    "/app/rooms." + roomId + "." + action);
        }
    }

    /** The session whose frame is being handled (Spring sets it around every handler method). */
    private static String currentSessionId() {
        SimpAttributes attributes = SimpAttributesContextHolder.getAttributes();
        return attributes == null ? null : attributes.getSessionId();
    }

    /** The user's own channel, registered on first use; refused when another kind of channel holds its id. */
    private String channelOf(Principal user) {
        Channel channel = kit.registerChannelIfAbsent(new UserChannel(user.getName()));
        if (!UserChannel.belongsTo(channel, user.getName())) {
            throw new RoomKitException(ErrorCodes.NOT_AUTHORIZED, "The channel " + channel.id() + " is not yours: "
                    + "the application uses it, so the user '" + user.getName() + "' cannot write");
        }
        return channel.id();
    }

    /** The {@code thread} parameter: a thread root's event id, or null for the room's timeline. */
    private static String threadRoot(Map<String, List<String>> query) {
        List<String> values = query.get("thread");
        if (values == null || values.isEmpty()) {
            return null;
        }
        String root = values.get(0);
        if (root == null || root.isBlank() || root.length() > 64 || root.indexOf('\0') >= 0) {
            throw InvalidInputException.argument("thread must be the id of a thread's root event");
        }
        return root;
    }

    private static long number(Map<String, List<String>> query, String key, long fallback) {
        List<String> values = query.get(key);
        if (values == null || values.isEmpty() || values.get(0) == null) {
            return fallback;
        }
        try {
            long value = Long.parseLong(values.get(0));
            if (value < -1) {
                throw new NumberFormatException();
            }
            return key.equals("limit") ? Math.max(1, value) : value;
        }
        catch (NumberFormatException ex) {
            throw InvalidInputException.argument(key + " must be a whole number, was '" + values.get(0) + "'");
        }
    }
}
