package io.roomkit.spring.jpa;

import io.roomkit.RoomKit;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.ChannelType;
import io.roomkit.model.EventSource;
import io.roomkit.model.EventStatus;
import io.roomkit.model.EventType;
import io.roomkit.model.InboundResult;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;
import io.roomkit.store.CommitOutcome;
import io.roomkit.store.EventCommit;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a message costs the database: each statement is a round trip, and on PostgreSQL the round trips are most
 * of the time of {@code processInbound}. The figures here are the ones the benchmarks' README explains.
 */
class WriteStatementsTest {

    private static final String ROOM = "statements";

    private static ConfigurableApplicationContext context;
    private static RoomKit kit;
    private static Statistics statistics;

    @BeforeAll
    static void start() {
        context = JpaTestApplication.start("jdbc:h2:mem:write-statements;DB_CLOSE_DELAY=-1",
                "spring.jpa.properties.hibernate.generate_statistics=true");
        kit = context.getBean(RoomKit.class);
        statistics = context.getBean(EntityManagerFactory.class).unwrap(SessionFactory.class).getStatistics();
        kit.registerChannel(new WebSocketChannel("ws-alice"));
        kit.registerChannel(new WebSocketChannel("ws-bob"));
        kit.createRoom(ROOM);
        kit.attachChannel(ROOM, "ws-alice");
        kit.attachChannel(ROOM, "ws-bob");
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    @Test
    void aMessageToABoundRoomCostsThreeStatementsAndOneTransaction() {
        InboundResult first = measured(() -> kit.processInbound(InboundMessage.text("ws-alice", "alice", "one"), ROOM));
        InboundResult second = measured(() -> kit.processInbound(InboundMessage.text("ws-alice", "alice", "two"), ROOM));

        assertThat(second.event().index()).isEqualTo(first.event().index() + 1);
        assertThat(statistics.getPrepareStatementCount())
                .as("the room with its bindings, the index (one UPDATE ... RETURNING) and the event row").isEqualTo(3);
        assertThat(statistics.getTransactionCount()).as("only the commit is a transaction").isEqualTo(1);
    }

    @Test
    void theFirstMessageOfAChannelJoinsTheRoomWithinTheSameReads() {
        kit.registerChannel(new WebSocketChannel("ws-carol"));

        InboundResult result = measured(() -> kit.processInbound(InboundMessage.text("ws-carol", "carol", "hi"), ROOM));

        assertThat(result.blocked()).isFalse();
        assertThat(kit.store().getBinding(ROOM, "ws-carol")).isPresent();
        assertThat(statistics.getPrepareStatementCount())
                .as("the three, the binding's own write (room lock, look-up, insert) and the bindings again")
                .isLessThanOrEqualTo(8);
    }

    @Test
    void writersQueuedOnOneRoomShareOneTransaction() {
        List<EventCommit> queued = List.of("one", "two", "three").stream().map(body -> EventCommit.of(
                RoomEvent.builder().roomId(ROOM).type(EventType.MESSAGE)
                        .source(new EventSource("ws-alice", ChannelType.WEBSOCKET, "alice"))
                        .content(new TextContent(body)).status(EventStatus.DELIVERED).build())).toList();
        long before = kit.store().latestIndex(ROOM).orElse(-1);

        List<CommitOutcome> outcomes = measured(() -> kit.store().commitAll(queued));

        assertThat(outcomes).extracting(CommitOutcome::orThrow).extracting(RoomEvent::index)
                .containsExactly(before + 1, before + 2, before + 3);
        assertThat(statistics.getTransactionCount()).as("one transaction for the three").isEqualTo(1);
        assertThat(statistics.getPrepareStatementCount())
                .as("the indices (one UPDATE ... RETURNING) and the rows (one batched INSERT)").isEqualTo(2);
    }

    @Test
    void aWriterInsideAnApplicationTransactionCommitsOnlyForItself() {
        TransactionTemplate application = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
        Boolean insideTransaction = application.execute(status -> kit.store().mayCommitForOthers());

        assertThat(kit.store().mayCommitForOthers()).isTrue();
        assertThat(insideTransaction).as("other writers' events must not be undone with the application's transaction")
                .isFalse();
    }

    private static <T> T measured(Supplier<T> work) {
        statistics.clear();
        return work.get();
    }
}
