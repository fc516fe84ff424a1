package io.roomkit.spring.jpa;

import io.roomkit.RoomKit;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.DeleteContent;
import io.roomkit.model.EditContent;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.InboundResult;
import io.roomkit.model.ReactionSummary;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.SystemContent;
import io.roomkit.model.TextContent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application on an H2 file database stops and starts again: what it stored is all there. Every test
 * starts from its own copy of one seeded database file.
 */
class RestartOnH2FileTest {

    private static final String ROOM = "restart-room";
    private static final String TARGET_INDEX = "ROOMKIT_EVENTS_TARGET_IX";

    @TempDir
    static Path seeded;

    private static Snapshot before;

    @BeforeAll
    static void seed() {
        try (ConfigurableApplicationContext context = JpaTestApplication.start(url(seeded))) {
            RoomKit kit = kit(context);
            RoomEvent first = send(kit, "alice", InboundMessage.text("ws-alice", "alice", "first"));
            RoomEvent second = send(kit, "bob", InboundMessage.builder().channelId("ws-bob").senderId("bob")
                    .content(new TextContent("second")).metadata(Map.of("client", "web", "attempt", 3)).build());
            RoomEvent third = send(kit, "alice", InboundMessage.text("ws-alice", "alice", "third"));
            send(kit, "alice", InboundMessage.builder().channelId("ws-alice").senderId("alice")
                    .eventType(EventType.EDIT).content(new EditContent(first.id(), new TextContent("first, edited")))
                    .build());
            send(kit, "bob", InboundMessage.builder().channelId("ws-bob").senderId("bob").eventType(EventType.DELETE)
                    .content(new DeleteContent(second.id())).build());
            send(kit, "alice", InboundMessage.builder().channelId("ws-alice").senderId("alice")
                    .content(new TextContent("sixth, in the thread of the third")).parentEventId(third.id()).build());
            kit.markRead(ROOM, "ws-bob", third.id());
            kit.addReaction(ROOM, "bob", third.id(), "👍");
            kit.addReaction(ROOM, "alice", third.id(), "👍");
            before = Snapshot.of(kit, first.id(), second.id());
        }
        assertThat(before.events()).hasSize(6);
        assertThat(before.unreadOfBob()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = { "validate", "none" })
    void eventsEditsDeletesAndReadStateSurviveRestart(String ddlAuto, @TempDir Path dir) throws IOException {
        try (ConfigurableApplicationContext context = JpaTestApplication.start(copyOfSeeded(dir),
                "spring.jpa.hibernate.ddl-auto=" + ddlAuto)) {
            RoomKit kit = kit(context);

            Snapshot after = Snapshot.of(kit, before.editedId(), before.deletedId());

            assertThat(after).isEqualTo(before);
            assertThat(kit.getEvent(ROOM, before.editedId())).hasValueSatisfying(edited -> {
                assertThat(edited.index()).isZero();
                assertThat(edited.content()).isEqualTo(new TextContent("first, edited"));
                assertThat(edited.isEdited()).isTrue();
            });
            assertThat(kit.getEvent(ROOM, before.deletedId())).hasValueSatisfying(deleted -> {
                assertThat(deleted.index()).isEqualTo(1);
                assertThat(deleted.content()).isInstanceOfSatisfying(SystemContent.class,
                        tombstone -> assertThat(tombstone.code()).isEqualTo("message_deleted"));
                assertThat(deleted.metadata()).containsEntry("client", "web").containsEntry("attempt", 3)
                        .containsEntry("deleted", true).containsEntry("delete_type", "sender")
                        .containsEntry("deleted_by", "bob").containsKey("deleted_at");
            });
            assertThat(after.editHistory()).singleElement().satisfies(edit -> {
                assertThat(edit.index()).isEqualTo(3);
                assertThat(((EditContent) edit.content()).previousContent()).isEqualTo(new TextContent("first"));
            });
            RoomEvent third = after.events().get(2);
            assertThat(third.reactions()).isEqualTo(Map.of("👍", new ReactionSummary(2, List.of("bob", "alice"))));
            assertThat(third.thread()).isNotNull();
            assertThat(third.thread().replyCount()).isEqualTo(1);
            assertThat(after.readMarkers()).isEqualTo(Map.of("ws-bob", 2L));
        }
    }

    @Test
    void nextMessageAfterRestartContinuesTheIndexSequence(@TempDir Path dir) throws IOException {
        try (ConfigurableApplicationContext context = JpaTestApplication.start(copyOfSeeded(dir))) {
            RoomKit kit = kit(context);

            RoomEvent next = send(kit, "bob", InboundMessage.text("ws-bob", "bob", "after the restart"));

            assertThat(next.index()).isEqualTo(before.events().size());
            assertThat(kit.events(ROOM, EventQuery.latest(100))).extracting(RoomEvent::index)
                    .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        }
    }

    @Test
    void embeddedInitializationRunsTheIdempotentScriptsOnAnH2FileDatabase(@TempDir Path dir)
            throws IOException, SQLException {
        String url = copyOfSeeded(dir);
        execute(url, "DROP INDEX " + TARGET_INDEX);
        assertThat(indexExists(url)).isFalse();

        try (ConfigurableApplicationContext context = JpaTestApplication.start(url,
                "roomkit.jdbc.initialize-schema=embedded")) {
            assertThat(Snapshot.of(kit(context), before.editedId(), before.deletedId())).isEqualTo(before);
        }

        assertThat(indexExists(url)).as("the scripts ran again over the existing tables and recreated the index")
                .isTrue();
    }

    private static RoomKit kit(ConfigurableApplicationContext context) {
        RoomKit kit = context.getBean(RoomKit.class);
        assertThat(kit.store()).isInstanceOf(JpaConversationStore.class);
        kit.registerChannelIfAbsent(new WebSocketChannel("ws-alice"));
        kit.registerChannelIfAbsent(new WebSocketChannel("ws-bob"));
        return kit;
    }

    private static RoomEvent send(RoomKit kit, String user, InboundMessage message) {
        InboundResult result = kit.processInbound(message, ROOM);
        assertThat(result.blocked()).as("%s's message was stored", user).isFalse();
        return result.event();
    }

    private static String url(Path dir) {
        return "jdbc:h2:file:" + dir.resolve("roomkit").toAbsolutePath();
    }

    private static String copyOfSeeded(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(seeded)) {
            for (Path file : files.filter(file -> file.getFileName().toString().endsWith(".mv.db")).toList()) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
        return url(dir);
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static boolean indexExists(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES "
                        + "WHERE INDEX_NAME = '" + TARGET_INDEX + "'")) {
            rows.next();
            return rows.getInt(1) == 1;
        }
    }

    /** What a restart must keep. */
    private record Snapshot(String editedId, String deletedId, List<RoomEvent> events, List<RoomEvent> editHistory,
            Map<String, Long> readMarkers, long unreadOfBob, long unreadOfAlice) {

        static Snapshot of(RoomKit kit, String editedId, String deletedId) {
            return new Snapshot(editedId, deletedId, kit.events(ROOM, EventQuery.latest(100)),
                    kit.editHistory(ROOM, editedId), kit.readMarkers(ROOM), kit.unreadCount(ROOM, "ws-bob"),
                    kit.unreadCount(ROOM, "ws-alice"));
        }
    }
}
