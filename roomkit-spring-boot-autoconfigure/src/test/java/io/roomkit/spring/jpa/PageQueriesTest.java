package io.roomkit.spring.jpa;

import io.roomkit.RoomKit;
import io.roomkit.model.ChannelType;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventSource;
import io.roomkit.model.EventStatus;
import io.roomkit.model.EventType;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;
import io.roomkit.store.ConversationStore;
import io.roomkit.store.EventCommit;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading a page of a large room costs a few statements and loads only the page: no N+1, no whole-room load. */
class PageQueriesTest {

    private static final String ROOM = "big-room";
    private static final int EVENTS = 1000;
    private static final int PAGE = 50;
    private static final int MAX_STATEMENTS = 3;
    /**
     * A page read through the kit also reads what is read with it: one statement for the page's reactions and one
     * for its thread counts (a third, the repliers, only when a root of the page has replies; none here).
     */
    private static final int MAX_KIT_STATEMENTS = MAX_STATEMENTS + 2;

    private static ConfigurableApplicationContext context;
    private static ConversationStore store;
    private static Statistics statistics;

    @BeforeAll
    static void seed() {
        context = JpaTestApplication.start("jdbc:h2:mem:page-queries;DB_CLOSE_DELAY=-1",
                "spring.jpa.properties.hibernate.generate_statistics=true");
        store = context.getBean(RoomKit.class).store();
        assertThat(store).isInstanceOf(JpaConversationStore.class);
        statistics = context.getBean(EntityManagerFactory.class).unwrap(SessionFactory.class).getStatistics();
        store.createRoom(io.roomkit.model.Room.create(ROOM));
        for (int i = 0; i < EVENTS; i++) {
            String sender = i % 10 == 0 ? "bob" : "alice";
            store.commit(EventCommit.of(RoomEvent.builder().roomId(ROOM).type(EventType.MESSAGE)
                    .status(EventStatus.DELIVERED).source(new EventSource("ws-" + sender, ChannelType.WEBSOCKET,
                            sender)).content(new TextContent("message " + i)).build()));
        }
        store.advanceReadMarker(ROOM, "ws-bob", 899);
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    static Stream<Arguments> pages() {
        return Stream.of(Arguments.of("latest", EventQuery.latest(PAGE), 950L),
                Arguments.of("after", EventQuery.after(499, PAGE), 500L),
                Arguments.of("before", EventQuery.before(500, PAGE), 450L),
                Arguments.of("latest messages", EventQuery.latest(PAGE).ofTypes(EventType.MESSAGE), 950L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pages")
    void pageOfFiftyCostsAFewStatementsAndLoadsOnlyThePage(String name, EventQuery query, long firstIndex) {
        List<RoomEvent> page = measured(() -> store.listEvents(ROOM, query));

        assertThat(page).hasSize(PAGE);
        assertThat(page.get(0).index()).isEqualTo(firstIndex);
        assertThat(statistics.getPrepareStatementCount())
                .as("statements for a page of %d of %d events", PAGE, EVENTS).isLessThanOrEqualTo(MAX_STATEMENTS);
        assertThat(statistics.getEntityLoadCount()).as("entities loaded for a page of %d", PAGE).isEqualTo(PAGE);
    }

    @Test
    void largerPageCostsTheSameNumberOfStatements() {
        measured(() -> store.listEvents(ROOM, EventQuery.latest(PAGE)));
        long small = statistics.getPrepareStatementCount();

        measured(() -> store.listEvents(ROOM, EventQuery.latest(10 * PAGE)));

        assertThat(statistics.getPrepareStatementCount()).isEqualTo(small);
        assertThat(statistics.getEntityLoadCount()).isEqualTo(10 * PAGE);
    }

    @Test
    void unreadCountIsCountedByTheDatabase() {
        long unread = measured(() -> store.countUnread(ROOM, "ws-bob"));

        assertThat(unread).as("alice's messages after index 899").isEqualTo(90);
        assertThat(statistics.getPrepareStatementCount()).as("statements for countUnread in a room of %d", EVENTS)
                .isLessThanOrEqualTo(MAX_STATEMENTS);
        assertThat(statistics.getEntityLoadCount()).as("only the read marker is loaded").isLessThanOrEqualTo(1);
    }

    @Test
    void pageThroughTheKitCostsAFewStatements() {
        RoomKit kit = context.getBean(RoomKit.class);

        List<RoomEvent> page = measured(() -> kit.events(ROOM, EventQuery.before(100, PAGE)));

        assertThat(page).extracting(RoomEvent::index).startsWith(50L).endsWith(99L);
        assertThat(statistics.getPrepareStatementCount()).isLessThanOrEqualTo(MAX_KIT_STATEMENTS);
        assertThat(statistics.getEntityLoadCount()).as("the room and the page").isEqualTo(PAGE + 1);
    }

    private static <T> T measured(Supplier<T> read) {
        statistics.clear();
        return read.get();
    }
}
