package io.roomkit.sample;

import io.roomkit.RoomKit;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.EditContent;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.TextContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The sample's REST API over an in-memory RoomKit. */
class ChatApiTest {

    private final RoomKit kit = new RoomKit();
    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new ChatApiController(kit))
            .setControllerAdvice(new ChatApiErrors()).build();

    @AfterEach
    void close() {
        kit.close();
    }

    private String say(String user, String room, String text) {
        kit.registerChannelIfAbsent(new WebSocketChannel("ws-" + user));
        return kit.processInbound(InboundMessage.builder().channelId("ws-" + user).senderId(user)
                .content(new TextContent(text)).build(), room).event().id();
    }

    private ResultActions createRoom(String json) throws Exception {
        return mvc.perform(post("/api/rooms").contentType(MediaType.APPLICATION_JSON).content(json));
    }

    @Test
    void roomListCountsEachUsersUnreadMessages() throws Exception {
        say("alice", "lobby", "one");
        String last = say("alice", "lobby", "two");
        kit.createRoom("quiet");
        kit.markRead("lobby", "ws-carol", last);

        mvc.perform(get("/api/rooms").param("user", "bob")).andExpect(status().isOk())
                .andExpect(jsonPath("$.rooms[0].id").value("lobby"))
                .andExpect(jsonPath("$.rooms[0].status").value("active"))
                .andExpect(jsonPath("$.rooms[0].unread").value(2))
                .andExpect(jsonPath("$.rooms[1].id").value("quiet"))
                .andExpect(jsonPath("$.rooms[1].unread").value(0));
        mvc.perform(get("/api/rooms").param("user", "alice")).andExpect(jsonPath("$.rooms[0].unread").value(0));
        mvc.perform(get("/api/rooms").param("user", "carol")).andExpect(jsonPath("$.rooms[0].unread").value(0));
    }

    @Test
    void roomListNeedsAValidUser() throws Exception {
        mvc.perform(get("/api/rooms")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("invalid_user"));
        mvc.perform(get("/api/rooms").param("user", "bob smith")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("invalid_user"))
                .andExpect(jsonPath("$.message").value(startsWith("user must be")));
    }

    @Test
    void createsARoom() throws Exception {
        createRoom("{\"id\": \"design-review\"}").andExpect(status().isCreated())
                .andExpect(jsonPath("$.id").value("design-review")).andExpect(jsonPath("$.unread").value(0));

        assertThat(kit.getRoom("design-review")).isPresent();
    }

    @Test
    void creatingAnExistingRoomIsAConflict() throws Exception {
        kit.createRoom("lobby");

        createRoom("{\"id\": \"lobby\"}").andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("room_exists"));
    }

    @Test
    void refusesInvalidRoomIds() throws Exception {
        createRoom("{\"id\": \"no.dots\"}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("invalid_room_id"));
        createRoom("{\"id\": 42}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("invalid_room_id"));
        createRoom("{}").andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("invalid_room_id"));
    }

    @Test
    void refusesABodyThatIsNotJson() throws Exception {
        createRoom("lobby").andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("invalid_json"));
    }

    @Test
    void editHistoryListsTheEditsOldestFirst() throws Exception {
        String id = say("alice", "lobby", "helo");
        for (String text : new String[] { "hello", "hello!" }) {
            kit.processInbound(InboundMessage.builder().channelId("ws-alice").senderId("alice")
                    .eventType(EventType.EDIT).content(new EditContent(id, new TextContent(text))).build(), "lobby");
        }

        mvc.perform(get("/api/rooms/lobby/events/{id}/edits", id)).andExpect(status().isOk())
                .andExpect(jsonPath("$.event_id").value(id))
                .andExpect(jsonPath("$.edits.length()").value(2))
                .andExpect(jsonPath("$.edits[0].previous_content.body").value("helo"))
                .andExpect(jsonPath("$.edits[0].new_content.body").value("hello"))
                .andExpect(jsonPath("$.edits[0].user_id").value("alice"))
                .andExpect(jsonPath("$.edits[1].previous_content.body").value("hello"))
                .andExpect(jsonPath("$.edits[1].new_content.body").value("hello!"));
    }

    @Test
    void editHistoryOfAnUnknownEventOrRoomIsNotFound() throws Exception {
        kit.createRoom("lobby");

        mvc.perform(get("/api/rooms/lobby/events/nope/edits")).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("event_not_found"));
        mvc.perform(get("/api/rooms/elsewhere/events/nope/edits")).andExpect(status().isNotFound());
        mvc.perform(get("/api/rooms/bad.room/events/nope/edits")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("invalid_room_id"));
    }

    @Test
    void readMarkersAreByUser() throws Exception {
        say("alice", "lobby", "one");
        String second = say("alice", "lobby", "two");
        kit.markRead("lobby", "ws-bob", second);

        mvc.perform(get("/api/rooms/lobby/read-markers")).andExpect(status().isOk())
                .andExpect(jsonPath("$.markers.bob").value(1));
        mvc.perform(get("/api/rooms/not-yet/read-markers")).andExpect(status().isOk())
                .andExpect(jsonPath("$.markers").isEmpty());
    }
}
