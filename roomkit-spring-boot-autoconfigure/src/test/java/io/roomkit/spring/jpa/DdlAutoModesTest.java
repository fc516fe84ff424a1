package io.roomkit.spring.jpa;

import io.roomkit.RoomKit;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.EditContent;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.InboundResult;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The store works whatever Hibernate is told to do with the schema the scripts created. */
class DdlAutoModesTest {

    @ParameterizedTest(name = "ddl-auto={0}, initialize-schema={1}")
    @CsvSource({ "none, always", "validate, always", "update, always", "create-drop, always",
            "create-drop, never" })
    void storeWorksUnderDdlAutoMode(String ddlAuto, String initializeSchema) {
        String url = "jdbc:h2:mem:ddl-" + ddlAuto + "-" + initializeSchema + ";DB_CLOSE_DELAY=-1";
        try (ConfigurableApplicationContext context = JpaTestApplication.start(url,
                "spring.jpa.hibernate.ddl-auto=" + ddlAuto, "roomkit.jdbc.initialize-schema=" + initializeSchema)) {
            RoomKit kit = context.getBean(RoomKit.class);
            assertThat(kit.store()).isInstanceOf(JpaConversationStore.class);
            kit.registerChannelIfAbsent(new WebSocketChannel("ws-alice"));
            kit.registerChannelIfAbsent(new WebSocketChannel("ws-bob"));
            String room = kit.createRoom("ddl-room").id();

            RoomEvent message = kit.processInbound(InboundMessage.text("ws-alice", "alice", "hello"), room).event();
            InboundResult edit = kit.processInbound(InboundMessage.builder().channelId("ws-alice").senderId("alice")
                    .eventType(EventType.EDIT).content(new EditContent(message.id(), new TextContent("hello!")))
                    .build(), room);
            RoomEvent reply = kit.processInbound(InboundMessage.text("ws-alice", "alice", "anyone?"), room).event();
            kit.markRead(room, "ws-bob", message.id());

            assertThat(edit.blocked()).isFalse();
            assertThat(kit.events(room, EventQuery.latest(10))).extracting(RoomEvent::index).containsExactly(0L, 1L,
                    2L);
            assertThat(kit.getEvent(room, message.id()).orElseThrow().content()).isEqualTo(new TextContent("hello!"));
            assertThat(kit.editHistory(room, message.id())).extracting(RoomEvent::id).containsExactly(edit.event().id());
            assertThat(kit.readMarkers(room)).containsEntry("ws-bob", 0L);
            assertThat(kit.unreadCount(room, "ws-bob")).isOne();
            assertThat(reply.index()).isEqualTo(2);
        }
    }
}
