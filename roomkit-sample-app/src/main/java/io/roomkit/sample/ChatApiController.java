package io.roomkit.sample;

import io.roomkit.ErrorCodes;
import io.roomkit.InvalidInputException;
import io.roomkit.RoomKit;
import io.roomkit.model.EditContent;
import io.roomkit.model.ParticipantRole;
import io.roomkit.model.Room;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.RoomIds;
import io.roomkit.model.Timestamps;
import io.roomkit.spring.stomp.ReadReceipts;
import io.roomkit.spring.stomp.UserChannel;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the browser needs besides the STOMP protocol: who is signed in, the room list with the signed-in user's
 * unread counts and role, creating a room (its creator, when named, becomes its owner), the edit history of a
 * message, and the read markers behind "seen by". With the {@code secure} profile the user is the one signed in
 * with Spring Security; otherwise it is the name the browser chose (the sample trusts it, like
 * {@code roomkit.websocket.trust-client-login}).
 */
@RestController
@RequestMapping("/api")
class ChatApiController {

    /** The user names the STOMP endpoint accepts as a CONNECT login. */
    static final Pattern USER_NAME = Pattern.compile("[\\p{L}\\p{N}_.@-]{1,64}");
    static final int MAX_ROOMS = 200;
    private static final int MAX_EVENT_ID = 128;

    private final RoomKit kit;

    ChatApiController(RoomKit kit) {
        this.kit = kit;
    }

    /**
     * The signed-in user and the CSRF token the page must send with state-changing requests and with the STOMP
     * CONNECT frame ({@code secure} profile); both null when the browser chooses its name.
     */
    @GetMapping("/session")
    Map<String, Object> session(Principal principal, HttpServletRequest request) {
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("user", principal == null ? null : principal.getName());
        Object token = request.getAttribute(CsrfToken.class.getName());
        session.put("csrf", token instanceof CsrfToken csrf
                ? Map.of("header_name", csrf.getHeaderName(), "token", csrf.getToken()) : null);
        return session;
    }

    @GetMapping("/rooms")
    Map<String, Object> rooms(@RequestParam(name = "user", required = false) String user, Principal principal) {
        // a signed-in user reads their own counts and roles only
        String me = principal != null ? principal.getName() : requireUser(user);
        String channelId = UserChannel.idOf(me);
        List<Map<String, Object>> rooms = new ArrayList<>();
        for (Room room : kit.listRooms(0, MAX_ROOMS)) {
            Map<String, Object> json = roomJson(room, kit.unreadCount(room.id(), channelId));
            // the browser offers moderation (removing a member) in the rooms the user owns
            json.put("role", kit.getParticipant(room.id(), me).map(member -> member.role().value()).orElse(null));
            rooms.add(json);
        }
        return Map.of("rooms", rooms);
    }

    @PostMapping("/rooms")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> createRoom(@RequestBody(required = false) Map<String, Object> body, Principal principal) {
        Object id = body == null ? null : body.get("id");
        if (!(id instanceof String roomId)) {
            throw new InvalidInputException(ErrorCodes.INVALID_ROOM_ID, "Send {\"id\": \"<room id>\"}");
        }
        Room room = kit.createRoom(RoomIds.requireValid(roomId));
        // signed in (secure profile), the creator is the signed-in user whatever the body says
        Object user = principal != null ? principal.getName() : body.get("user");
        if (user instanceof String owner && USER_NAME.matcher(owner).matches()) {
            // whoever creates a room owns it, and may remove its members
            kit.joinRoom(room.id(), owner, ParticipantRole.OWNER);
        }
        return roomJson(room, 0);
    }

    @GetMapping("/rooms/{roomId}/events/{eventId}/edits")
    Map<String, Object> editHistory(@PathVariable String roomId, @PathVariable String eventId) {
        RoomIds.requireValid(roomId);
        if (eventId.isBlank() || eventId.length() > MAX_EVENT_ID) {
            throw InvalidInputException.argument("Invalid event id");
        }
        List<Map<String, Object>> edits = new ArrayList<>();
        for (RoomEvent edit : kit.editHistory(roomId, eventId)) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", edit.id());
            json.put("index", edit.index());
            json.put("created_at", Timestamps.format(edit.createdAt()));
            json.put("user_id", edit.source().participantId());
            EditContent content = edit.content() instanceof EditContent known ? known : null;
            json.put("new_content", content == null ? null : content.newContent().toMap());
            // the version this edit replaced: the first edit's is the original message
            json.put("previous_content", content == null || content.previousContent() == null ? null
                    : content.previousContent().toMap());
            edits.add(json);
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("room_id", roomId);
        reply.put("event_id", eventId);
        reply.put("edits", edits);
        return reply;
    }

    /** The index up to which each user has read the room; none for a room that does not exist yet. */
    @GetMapping("/rooms/{roomId}/read-markers")
    Map<String, Object> readMarkers(@PathVariable String roomId) {
        RoomIds.requireValid(roomId);
        // what others may see: private reads and the application's own channels are left out
        Map<String, Long> markers = kit.getRoom(roomId).isPresent() ? ReadReceipts.byUser(kit, roomId) : Map.of();
        return Map.of("room_id", roomId, "markers", markers);
    }

    private static String requireUser(String user) {
        if (user == null || !USER_NAME.matcher(user).matches()) {
            throw new InvalidInputException(ChatApiErrors.INVALID_USER,
                    "user must be 1 to 64 letters, digits, '_', '.', '@' or '-'");
        }
        return user;
    }

    private static Map<String, Object> roomJson(Room room, long unread) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", room.id());
        json.put("status", room.status().name().toLowerCase(Locale.ROOT));
        json.put("created_at", Timestamps.format(room.createdAt()));
        json.put("unread", unread);
        return json;
    }
}
