package io.roomkit.sample;

import io.roomkit.RoomKit;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.DeleteContent;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample keeps its conversations in an H2 file: they are all there after the application restarts. */
class RestartTest {

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(SampleApplication.class).run("--server.port=0",
                "--sample.data-dir=" + dataDir);
    }

    @Test
    void messagesEditsDeletesAndReadMarkersSurviveARestart() {
        String kept;
        String deleted;
        try (ConfigurableApplicationContext first = start()) {
            RoomKit kit = first.getBean(RoomKit.class);
            kit.registerChannelIfAbsent(new WebSocketChannel("ws-alice"));
            kept = say(kit, "Still here after a restart");
            deleted = say(kit, "Gone for good");
            kit.processInbound(InboundMessage.builder().channelId("ws-alice").senderId("alice")
                    .eventType(EventType.DELETE).content(new DeleteContent(deleted)).build(), "lobby");
            say(kit, "Unread by Bob");
            kit.markRead("lobby", "ws-bob", kept);
        }
        assertThat(dataDir.resolve("roomkit.mv.db")).isNotEmptyFile();

        try (ConfigurableApplicationContext second = start()) {
            RoomKit kit = second.getBean(RoomKit.class);
            List<RoomEvent> events = kit.events("lobby", EventQuery.latest(10));
            assertThat(events).extracting(RoomEvent::id).startsWith(kept, deleted);
            assertThat(events.get(0).content()).isEqualTo(new TextContent("Still here after a restart"));
            assertThat(events.get(1).metadata()).containsEntry("deleted", true);
            assertThat(kit.unreadCount("lobby", "ws-bob")).isEqualTo(1);
            assertThat(roomsOf(second, "bob")).containsExactly(Map.of("id", "general", "unread", 0),
                    Map.of("id", "assistant", "unread", 0), Map.of("id", "lobby", "unread", 1));
        }
    }

    private static String say(RoomKit kit, String text) {
        return kit.processInbound(InboundMessage.builder().channelId("ws-alice").senderId("alice")
                .content(new TextContent(text)).build(), "lobby").event().id();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> roomsOf(ConfigurableApplicationContext context, String user) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        Map<String, Object> reply = RestClient.create("http://localhost:" + port).get()
                .uri("/api/rooms?user={user}", user).retrieve().body(Map.class);
        return ((List<Map<String, Object>>) reply.get("rooms")).stream()
                .map(room -> Map.of("id", room.get("id"), "unread", room.get("unread"))).toList();
    }
}
