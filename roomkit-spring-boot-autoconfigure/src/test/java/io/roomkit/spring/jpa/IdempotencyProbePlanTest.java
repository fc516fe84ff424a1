package io.roomkit.spring.jpa;

import io.roomkit.RoomKit;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.InboundMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plan PostgreSQL runs for the statement that stores a message ({@link IndexReservation#POSTGRESQL_INSERT})
 * once the driver has switched to a generic plan, in a busy room: the idempotency probe must not read the room's
 * events one by one. It did (through the target index, filtering on the key), so each message cost more as its
 * room grew: one room with one writer fell from 0.69 to 0.30 messages/ms within a benchmark run. The table is
 * not analyzed first, as a busy room's table often is not: the statistics must not matter.
 */
class IdempotencyProbePlanTest {

    private static final String ROOM = "busy";
    private static final int EVENTS = 500;

    private static PostgresSchema schema;
    private static ConfigurableApplicationContext context;

    @BeforeAll
    static void fillABusyRoom() {
        schema = new PostgresSchema();
        context = JpaTestApplication.start(schema.url());
        RoomKit kit = context.getBean(RoomKit.class);
        kit.registerChannel(new WebSocketChannel("ws-alice"));
        kit.createRoom(ROOM);
        for (int i = 0; i < EVENTS; i++) {
            kit.processInbound(InboundMessage.text("ws-alice", "alice", "message " + i), ROOM);
        }
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
    void aMessageWithoutAKeyReadsNoEventRow() throws SQLException {
        String plan = genericPlan("NULL");

        assertThat(plan).as(plan).doesNotContain("Rows Removed by Filter");
        assertThat(plan).as(plan).containsPattern("on roomkit_events\\b.*\\(never executed\\)");
    }

    @Test
    void aMessageWithAKeyProbesTheKeyIndex() throws SQLException {
        String plan = genericPlan("'key-1'");

        assertThat(plan).as(plan).doesNotContain("Rows Removed by Filter");
        assertThat(plan).as(plan).contains("roomkit_events_room_key_uk");
    }

    /** EXPLAIN ANALYZE of storing one more message with {@code key}, under a generic plan, rolled back. */
    private static String genericPlan(String key) throws SQLException {
        String statement = IndexReservation.POSTGRESQL_INSERT.replaceAll("\\?(\\d+)", "\\$$1");
        try (Connection connection = context.getBean(DataSource.class).getConnection();
                Statement sql = connection.createStatement()) {
            connection.setAutoCommit(false);
            try {
                sql.execute("SET LOCAL plan_cache_mode = force_generic_plan");
                sql.execute("PREPARE store_message (text, text, text, text, text, text, text, text, text, text, "
                        + "timestamptz, text, text, text, int, text, text, boolean) AS " + statement);
                StringBuilder plan = new StringBuilder();
                try (ResultSet rows = sql.executeQuery("EXPLAIN (ANALYZE, COSTS OFF) EXECUTE store_message ('"
                        + ROOM + "', 'probe', 'message', 'ws-alice', 'websocket', 'alice', NULL, '{}', 'delivered', "
                        + "'{}', now(), NULL, " + key + ", NULL, 0, NULL, NULL, false)")) {
                    while (rows.next()) {
                        plan.append(rows.getString(1)).append('\n');
                    }
                }
                sql.execute("DEALLOCATE store_message");
                return plan.toString();
            }
            finally {
                connection.rollback();
            }
        }
    }
}
