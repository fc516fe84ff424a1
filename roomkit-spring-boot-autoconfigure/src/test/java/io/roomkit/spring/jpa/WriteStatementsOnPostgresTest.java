package io.roomkit.spring.jpa;

import io.roomkit.RoomKit;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.InboundResult;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a message costs PostgreSQL, where every statement is a network round trip: the room with its bindings,
 * then one statement that takes the index and inserts the row, then the commit. Plain JDBC's baseline
 * ({@code JdbcInsertBenchmark.insertAndCount*}) needs an {@code UPDATE ... RETURNING} and an {@code INSERT}.
 */
class WriteStatementsOnPostgresTest {

    private static final String ROOM = "statements";

    private static PostgresSchema schema;
    private static ConfigurableApplicationContext context;
    private static RoomKit kit;
    private static Statistics statistics;

    @BeforeAll
    static void start() {
        schema = new PostgresSchema();
        context = JpaTestApplication.start(schema.url(), "spring.jpa.properties.hibernate.generate_statistics=true");
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
        if (context != null) {
            context.close();
        }
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void aMessageCostsTwoStatementsAndOneTransaction() {
        InboundResult first = measured(() -> kit.processInbound(InboundMessage.text("ws-alice", "alice", "one"), ROOM));
        InboundResult second = measured(() -> kit.processInbound(InboundMessage.text("ws-alice", "alice", "two"), ROOM));

        assertThat(second.event().index()).isEqualTo(first.event().index() + 1);
        assertThat(statistics.getPrepareStatementCount())
                .as("the room with its bindings, and the index with the event row in one statement").isEqualTo(2);
        assertThat(statistics.getTransactionCount()).as("only the commit is a transaction").isEqualTo(1);
        assertThat(kit.store().getEvent(ROOM, second.event().id())).contains(second.event());
    }

    private static <T> T measured(Supplier<T> work) {
        statistics.clear();
        return work.get();
    }
}
