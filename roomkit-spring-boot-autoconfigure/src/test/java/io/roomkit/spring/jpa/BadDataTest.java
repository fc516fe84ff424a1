package io.roomkit.spring.jpa;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKit;
import io.roomkit.RoomKitException;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.ChannelCategory;
import io.roomkit.model.ChannelType;
import io.roomkit.model.EditContent;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventSource;
import io.roomkit.model.EventStatus;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.Participant;
import io.roomkit.model.ParticipantRole;
import io.roomkit.model.Room;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;
import io.roomkit.store.ConversationStore;
import io.roomkit.store.EventCommit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Data the JPA store cannot keep is refused with a {@link RoomKitException} before anything is written:
 * JSON documents (content, metadata) hold at most 256 Ki characters, room ids 128, event ids 64 and every
 * other id 255.
 */
class BadDataTest {

    private static final int MAX_JSON_CHARS = 256 * 1024;

    private static ConfigurableApplicationContext h2;

    @BeforeAll
    static void start() {
        h2 = JpaTestApplication.start("jdbc:h2:mem:bad-data;DB_CLOSE_DELAY=-1");
    }

    @AfterAll
    static void stop() {
        h2.close();
    }

    // ---- content Jackson cannot write ----------------------------------------------------------------

    @Test
    void metadataWhoseGetterThrowsIsInvalidContentAndNothingIsStored() {
        assertMetadataRefused(Map.of("exploding", new Exploding()));
    }

    @Test
    void metadataWithAnObjectThatHasNoPropertiesIsInvalidContentRatherThanSilentlyEmpty() {
        assertMetadataRefused(Map.of("opaque", new Object()));
    }

    @Test
    void selfReferencingMetadataIsInvalidContentAndNothingIsStored() {
        Map<String, Object> loop = new LinkedHashMap<>();
        loop.put("self", loop);
        assertMetadataRefused(Map.of("loop", loop));
    }

    @Test
    void unwritableMetadataThroughProcessInboundSurfacesTheCodeAndTheRoomStaysUsable() {
        RoomKit kit = kit(h2, "alice");
        String room = newRoom(kit);
        InboundMessage bad = InboundMessage.builder().channelId("ws-alice").senderId("alice")
                .content(new TextContent("hi")).metadata(Map.of("exploding", new Exploding())).build();

        assertCode(() -> kit.processInbound(bad, room), ErrorCodes.INVALID_CONTENT);

        assertThat(kit.store().countEvents(room)).isZero();
        assertThat(send(kit, room, "alice", "hello").index()).isZero();
    }

    // ---- oversize JSON -------------------------------------------------------------------------------

    @Test
    void largestTextThatFitsIsStoredAndReadBack() {
        assertLargestTextFits(h2);
    }

    @Test
    void oversizeTextThroughProcessInboundIsContentTooLargeAndTheRoomStaysUsable() {
        assertOversizeTextRefused(h2);
    }

    @Test
    void oversizeEditIsRefusedAndLeavesItsTargetUnchanged() {
        assertOversizeEditRefused(h2);
    }

    @Test
    void oversizeMetadataIsContentTooLarge() {
        ConversationStore store = store(h2);
        String room = newRoom(kit(h2));
        RoomEvent event = draft(room).metadata(Map.of("blob", "m".repeat(MAX_JSON_CHARS))).build();

        assertCode(() -> store.commit(EventCommit.of(event)), ErrorCodes.CONTENT_TOO_LARGE);

        assertThat(store.countEvents(room)).isZero();
    }

    // ---- ids longer than their columns ---------------------------------------------------------------

    @Test
    void roomIdOf128CharactersIsKeptAndOneMoreIsInvalidArgument() {
        ConversationStore store = store(h2);
        String longest = "r".repeat(127) + UUID.randomUUID().toString().charAt(0);

        assertThat(store.createRoom(Room.create(longest)).id()).hasSize(128);
        assertCode(() -> store.createRoom(Room.create(longest + "x")), ErrorCodes.INVALID_ARGUMENT,
                "room ids are at most 128 characters");

        assertThat(store.getRoom(longest + "x")).isEmpty();
        assertThat(store.getRoom(longest)).isPresent();
    }

    @Test
    void bindingWithAChannelIdOver255CharactersIsInvalidArgument() {
        ConversationStore store = store(h2);
        String room = newRoom(kit(h2));
        store.saveBinding(binding(room, "c".repeat(255)));

        assertCode(() -> store.saveBinding(binding(room, "c".repeat(256))), ErrorCodes.INVALID_ARGUMENT,
                "channel ids are at most 255 characters");

        assertThat(store.listBindings(room)).extracting(ChannelBinding::channelId).containsExactly("c".repeat(255));
    }

    @Test
    void participantIdOver255CharactersIsInvalidArgument() {
        ConversationStore store = store(h2);
        String room = newRoom(kit(h2));
        Participant participant = Participant.of(room, "p".repeat(256), ParticipantRole.MEMBER);

        assertCode(() -> store.saveParticipant(participant), ErrorCodes.INVALID_ARGUMENT,
                "participant ids are at most 255 characters");

        assertThat(store.listParticipants(room)).isEmpty();
    }

    @Test
    void eventSourceChannelIdOver255CharactersIsInvalidArgumentAndTakesNoIndex() {
        ConversationStore store = store(h2);
        String room = newRoom(kit(h2));
        RoomEvent event = draft(room).source(new EventSource("c".repeat(256), ChannelType.WEBSOCKET, "alice"))
                .build();

        assertCode(() -> store.commit(EventCommit.of(event)), ErrorCodes.INVALID_ARGUMENT,
                "source channel ids are at most 255 characters");

        assertThat(store.countEvents(room)).isZero();
        assertThat(store.commit(EventCommit.of(draft(room).build())).index()).isZero();
    }

    @Test
    void eventIdOver64CharactersIsInvalidArgument() {
        ConversationStore store = store(h2);
        String room = newRoom(kit(h2));
        store.commit(EventCommit.of(draft(room).id("e".repeat(64)).build()));

        assertCode(() -> store.commit(EventCommit.of(draft(room).id("f".repeat(65)).build())),
                ErrorCodes.INVALID_ARGUMENT, "event ids are at most 64 characters");

        assertThat(store.countEvents(room)).isOne();
    }

    @Test
    void channelIdOver255CharactersThroughProcessInboundIsInvalidArgumentAndBindsNothing() {
        String longUser = "u".repeat(253);
        RoomKit kit = kit(h2, longUser, "alice");
        String room = newRoom(kit);

        assertCode(() -> kit.processInbound(InboundMessage.text("ws-" + longUser, "someone", "hi"), room),
                ErrorCodes.INVALID_ARGUMENT, "channel ids are at most 255 characters");

        assertThat(kit.bindings(room)).isEmpty();
        assertThat(kit.store().countEvents(room)).isZero();
        assertThat(send(kit, room, "alice", "still open").index()).isZero();
    }

    @Test
    void senderIdOver255CharactersThroughProcessInboundIsInvalidArgumentAndTakesNoIndex() {
        RoomKit kit = kit(h2, "alice");
        String room = newRoom(kit);
        send(kit, room, "alice", "before");

        assertCode(() -> kit.processInbound(InboundMessage.text("ws-alice", "s".repeat(256), "hi"), room),
                ErrorCodes.INVALID_ARGUMENT, "participant ids are at most 255 characters");

        assertThat(kit.store().countEvents(room)).isOne();
        assertThat(send(kit, room, "alice", "after").index()).isOne();
    }

    /** The oversize cases again on PostgreSQL, whose columns are {@code TEXT}. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OnPostgres {

        private PostgresSchema schema;
        private ConfigurableApplicationContext postgres;

        @BeforeAll
        void start() {
            schema = new PostgresSchema();
            postgres = JpaTestApplication.start(schema.url());
        }

        @AfterAll
        void stop() {
            if (postgres != null) {
                postgres.close();
            }
            if (schema != null) {
                schema.close();
            }
        }

        @Test
        void largestTextThatFitsIsStoredAndReadBack() {
            assertLargestTextFits(postgres);
        }

        @Test
        void oversizeTextThroughProcessInboundIsContentTooLargeAndTheRoomStaysUsable() {
            assertOversizeTextRefused(postgres);
        }

        @Test
        void oversizeEditIsRefusedAndLeavesItsTargetUnchanged() {
            assertOversizeEditRefused(postgres);
        }
    }

    // ---- shared checks ---------------------------------------------------------------------------------

    private static void assertMetadataRefused(Map<String, Object> metadata) {
        ConversationStore store = store(h2);
        String room = newRoom(kit(h2));
        store.commit(EventCommit.of(draft(room).build()));

        assertCode(() -> store.commit(EventCommit.of(draft(room).metadata(metadata).build())),
                ErrorCodes.INVALID_CONTENT);

        assertThat(store.countEvents(room)).isOne();
        assertThat(store.commit(EventCommit.of(draft(room).build())).index()).as("no index was used up")
                .isOne();
    }

    private static void assertLargestTextFits(ConfigurableApplicationContext context) {
        RoomKit kit = kit(context, "alice");
        String room = newRoom(kit);
        String body = "a".repeat(MAX_JSON_CHARS - textOverhead());

        RoomEvent stored = send(kit, room, "alice", body);

        assertThat(kit.getEvent(room, stored.id())).hasValueSatisfying(
                event -> assertThat(event.content()).as("a text of exactly 256 Ki JSON characters is kept")
                        .isEqualTo(new TextContent(body)));
    }

    private static void assertOversizeTextRefused(ConfigurableApplicationContext context) {
        RoomKit kit = kit(context, "alice");
        String room = newRoom(kit);
        send(kit, room, "alice", "small");
        String body = "a".repeat(MAX_JSON_CHARS - textOverhead() + 1);

        assertCode(() -> kit.processInbound(InboundMessage.text("ws-alice", "alice", body), room),
                ErrorCodes.CONTENT_TOO_LARGE, "content is at most 256 Ki characters of JSON");

        assertThat(kit.store().countEvents(room)).isOne();
        assertThat(send(kit, room, "alice", "next").index()).isOne();
    }

    private static void assertOversizeEditRefused(ConfigurableApplicationContext context) {
        RoomKit kit = kit(context, "alice");
        String room = newRoom(kit);
        RoomEvent target = send(kit, room, "alice", "original");
        RoomEvent before = kit.getEvent(room, target.id()).orElseThrow();
        String body = "a".repeat(MAX_JSON_CHARS - textOverhead());
        InboundMessage edit = InboundMessage.builder().channelId("ws-alice").senderId("alice")
                .eventType(EventType.EDIT).content(new EditContent(target.id(), new TextContent(body))).build();

        assertCode(() -> kit.processInbound(edit, room), ErrorCodes.CONTENT_TOO_LARGE,
                "the EDIT event carries the new content and exceeds 256 Ki characters of JSON, though the "
                        + "new content alone fits");

        assertThat(kit.getEvent(room, target.id())).as("no half-applied replacement").contains(before);
        assertThat(kit.editHistory(room, target.id())).isEmpty();
        assertThat(kit.store().countEvents(room)).isOne();
        RoomEvent smallEdit = kit.processInbound(InboundMessage.builder().channelId("ws-alice").senderId("alice")
                .eventType(EventType.EDIT).content(new EditContent(target.id(), new TextContent("edited"))).build(),
                room).event();
        assertThat(smallEdit.index()).isOne();
        assertThat(kit.getEvent(room, target.id()).orElseThrow().content()).isEqualTo(new TextContent("edited"));
    }

    private static void assertCode(ThrowingCallable call, String code, String... limit) {
        assertThatExceptionOfType(RoomKitException.class).as(String.join("; ", limit)).isThrownBy(call)
                .satisfies(ex -> assertThat(ex.code()).isEqualTo(code));
    }

    /** JSON characters of a text content around its body. */
    private static int textOverhead() {
        return JsonMapper.builder().build().writeValueAsString(new TextContent("").toMap()).length();
    }

    private static RoomKit kit(ConfigurableApplicationContext context, String... users) {
        RoomKit kit = context.getBean(RoomKit.class);
        for (String user : users) {
            kit.registerChannelIfAbsent(new WebSocketChannel("ws-" + user));
        }
        return kit;
    }

    private static ConversationStore store(ConfigurableApplicationContext context) {
        return kit(context).store();
    }

    private static String newRoom(RoomKit kit) {
        return kit.createRoom().id();
    }

    private static RoomEvent send(RoomKit kit, String room, String user, String body) {
        return kit.processInbound(InboundMessage.text("ws-" + user, user, body), room).event();
    }

    private static RoomEvent.Builder draft(String room) {
        return RoomEvent.builder().roomId(room).type(EventType.MESSAGE).status(EventStatus.DELIVERED)
                .source(new EventSource("ws-alice", ChannelType.WEBSOCKET, "alice"))
                .content(new TextContent("fine"));
    }

    private static ChannelBinding binding(String room, String channelId) {
        return ChannelBinding.of(room, channelId, ChannelType.WEBSOCKET, ChannelCategory.TRANSPORT);
    }

    /** A bean Jackson fails on while writing it. */
    public static final class Exploding {

        public String getValue() {
            throw new IllegalStateException("cannot be read");
        }
    }
}
