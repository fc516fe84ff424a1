package io.roomkit.spring.jpa;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKit;
import io.roomkit.RoomKitException;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.DeleteContent;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.TextContent;
import io.roomkit.spring.test.TestServices;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Text no store can keep as it was sent is refused the same way on every store (in memory, H2, PostgreSQL):
 * a NUL character in an id or idempotency key is {@code invalid_argument} (PostgreSQL refuses NUL in text, H2
 * keeps it), and a lone UTF-16 surrogate in content or metadata is {@code invalid_content} (a database keeps it
 * as '?', so history would differ from the live delivery). Nothing is stored, and the room keeps working.
 */
class UnstorableTextTest {

    private static final List<AutoCloseable> opened = new ArrayList<>();

    private final String room = "text-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterAll
    static void close() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    private static RoomKit kit(String store) {
        if (store.equals("memory")) {
            RoomKit kit = new RoomKit();
            opened.add(kit);
            return kit;
        }
        String url = "jdbc:h2:mem:unstorable-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        if (store.equals("postgresql")) {
            TestServices.requirePostgres();
            PostgresSchemaAccess schema = PostgresSchemaAccess.create();
            opened.add(schema);
            url = schema.url();
        }
        ConfigurableApplicationContext context = JpaTestApplication.start(url);
        opened.add(0, context);
        return context.getBean(RoomKit.class);
    }

    @ParameterizedTest
    @ValueSource(strings = { "memory", "h2", "postgresql" })
    void nulInIdsAndLoneSurrogatesInTextAreRefusedAlikeAndNothingIsStored(String store) {
        RoomKit kit = kit(store);
        kit.registerChannelIfAbsent(new WebSocketChannel("ws-alice"));
        kit.createRoom(room);

        assertRefused(ErrorCodes.INVALID_ARGUMENT, () -> kit.processInbound(InboundMessage.builder()
                .channelId("ws-alice").senderId("alice").content(new TextContent("x")).idempotencyKey("a\0b")
                .build(), room));
        assertRefused(ErrorCodes.INVALID_ARGUMENT, () -> kit.processInbound(InboundMessage.builder()
                .channelId("ws-alice").senderId("al\0ice").content(new TextContent("x")).build(), room));
        assertRefused(ErrorCodes.INVALID_ARGUMENT, () -> kit.processInbound(InboundMessage.builder()
                .channelId("ws-alice").senderId("alice").eventType(EventType.DELETE)
                .content(new DeleteContent("e\0")).build(), room));
        assertRefused(ErrorCodes.INVALID_CONTENT,
                () -> kit.processInbound(InboundMessage.text("ws-alice", "alice", "half \ud83d a smiley"), room));
        assertRefused(ErrorCodes.INVALID_CONTENT, () -> kit.processInbound(InboundMessage.builder()
                .channelId("ws-alice").senderId("alice").content(new TextContent("x"))
                .metadata(Map.of("note", List.of("\udc00"))).build(), room));

        kit.processInbound(InboundMessage.text("ws-alice", "alice", "a whole smiley \ud83d\ude00, and a \0 in text"),
                room);
        assertThat(kit.events(room, EventQuery.latest(10))).singleElement()
                .satisfies(event -> assertThat(event.content().plainText())
                        .isEqualTo("a whole smiley \ud83d\ude00, and a \0 in text"));
    }

    private static void assertRefused(String code, ThrowingCallable call) {
        assertThatExceptionOfType(RoomKitException.class).isThrownBy(call)
                .satisfies(refused -> assertThat(refused.code()).isEqualTo(code));
    }
}
