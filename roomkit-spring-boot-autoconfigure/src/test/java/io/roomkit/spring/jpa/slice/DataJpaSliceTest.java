package io.roomkit.spring.jpa.slice;

import io.roomkit.model.ChannelType;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventSource;
import io.roomkit.model.EventStatus;
import io.roomkit.model.Room;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;
import io.roomkit.spring.jpa.JpaConversationStore;
import io.roomkit.store.ConversationStore;
import io.roomkit.store.EventCommit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;

import static org.assertj.core.api.Assertions.assertThat;

/** A user's {@code @DataJpaTest} sees the RoomKit store through the slice's imports file. */
@DataJpaTest(showSql = false, properties = { "spring.main.banner-mode=off", "logging.level.root=warn" })
class DataJpaSliceTest {

    @Autowired
    private ConversationStore store;

    @Test
    void sliceProvidesTheJpaStore() {
        assertThat(store).isInstanceOf(JpaConversationStore.class);
    }

    @Test
    void storeCreatesARoomAndCommitsAnEvent() {
        store.createRoom(Room.create("slice-room"));
        RoomEvent draft = RoomEvent.builder().roomId("slice-room").status(EventStatus.DELIVERED)
                .source(new EventSource("ws-alice", ChannelType.WEBSOCKET, "alice"))
                .content(new TextContent("in a slice")).build();

        RoomEvent stored = store.commit(EventCommit.of(draft));

        assertThat(stored.index()).isZero();
        assertThat(store.listEvents("slice-room", EventQuery.latest(10))).extracting(RoomEvent::id)
                .containsExactly(draft.id());
    }
}
