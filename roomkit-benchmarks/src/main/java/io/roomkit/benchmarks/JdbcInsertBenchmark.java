package io.roomkit.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The plain-JDBC baseline of {@link InboundBenchmark} on PostgreSQL: the event rows that RoomKit's JPA store
 * writes for a text message, into the same table (created by the store's own schema script), without RoomKit,
 * JPA or Spring, one commit per row.
 * <ul>
 * <li>{@code insert*}: {@code INSERT} the event row and commit (auto-commit);</li>
 * <li>{@code insertAndCount*}: what the store does in its commit, by hand: take the room's next index with
 * {@code UPDATE ... RETURNING} (which locks the room row), {@code INSERT} the event, commit.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 4)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
@State(Scope.Benchmark)
public class JdbcInsertBenchmark {

    static final String INSERT_EVENT = "INSERT INTO roomkit_events (id, room_id, event_index, type, source_channel_id, "
            + "source_channel_type, source_participant_id, source_external_id, content, status, metadata, created_at, "
            + "parent_event_id, idempotency_key, blocked_by, chain_depth, correlation_id, target_event_id, deleted) "
            + "VALUES (?, ?, ?, 'message', ?, 'websocket', ?, NULL, ?, 'delivered', '{}', ?, NULL, NULL, NULL, 0, "
            + "NULL, NULL, FALSE)";
    static final String NEXT_INDEX = "UPDATE roomkit_rooms SET next_index = next_index + 1, updated_at = ? "
            + "WHERE id = ? RETURNING next_index - 1";

    @Param({ "1", "1000" })
    public int rooms;

    private Databases.PostgresSchema schema;
    private String[] roomIds;
    private AtomicLong[] nextIndex;
    private final AtomicLong writers = new AtomicLong();

    @Setup(Level.Trial)
    public void createSchema() throws SQLException, IOException {
        Databases.requirePostgres("JdbcInsertBenchmark");
        schema = Databases.newPostgresSchema();
        String script;
        try (InputStream in = JdbcInsertBenchmark.class.getResourceAsStream(
                "/io/roomkit/spring/jpa/schema-postgresql.sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        roomIds = new String[rooms];
        nextIndex = new AtomicLong[rooms];
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
            for (String sql : script.split(";\\s*\\n")) {
                if (!sql.replaceAll("(?m)^--.*$", "").isBlank()) {
                    statement.execute(sql);
                }
            }
            try (PreparedStatement room = connection.prepareStatement("INSERT INTO roomkit_rooms (id, status, "
                    + "metadata, next_index, created_at, updated_at) VALUES (?, 'active', '{}', 0, ?, ?)")) {
                Timestamp now = Timestamp.from(Instant.now());
                for (int i = 0; i < rooms; i++) {
                    roomIds[i] = "bench-" + i;
                    nextIndex[i] = new AtomicLong();
                    room.setString(1, roomIds[i]);
                    room.setTimestamp(2, now);
                    room.setTimestamp(3, now);
                    room.addBatch();
                }
                room.executeBatch();
            }
        }
    }

    @TearDown(Level.Trial)
    public void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }

    @Benchmark
    @Threads(1)
    public int insert1(Writer writer) throws SQLException {
        return writer.insert(this);
    }

    @Benchmark
    @Threads(4)
    public int insert4(Writer writer) throws SQLException {
        return writer.insert(this);
    }

    @Benchmark
    @Threads(1)
    public int insertAndCount1(Writer writer) throws SQLException {
        return writer.insertAndCount(this);
    }

    @Benchmark
    @Threads(4)
    public int insertAndCount4(Writer writer) throws SQLException {
        return writer.insertAndCount(this);
    }

    /** One writer thread with its own connection and statements. */
    @State(Scope.Thread)
    public static class Writer {

        private Connection autoCommit;
        private Connection transactional;
        private PreparedStatement insert;
        private PreparedStatement insertInTransaction;
        private PreparedStatement nextIndex;
        private String channelId;
        private String senderId;
        private int next;
        private long sequence;

        @Setup(Level.Trial)
        public void connect(JdbcInsertBenchmark benchmark) throws SQLException {
            int index = (int) benchmark.writers.getAndIncrement();
            channelId = "ws-writer-" + index;
            senderId = "writer-" + index;
            next = index * 250;
            autoCommit = benchmark.schema.connect();
            insert = autoCommit.prepareStatement(INSERT_EVENT);
            transactional = benchmark.schema.connect();
            transactional.setAutoCommit(false);
            insertInTransaction = transactional.prepareStatement(INSERT_EVENT);
            nextIndex = transactional.prepareStatement(NEXT_INDEX);
        }

        @TearDown(Level.Trial)
        public void disconnect() throws SQLException {
            autoCommit.close();
            transactional.close();
        }

        int insert(JdbcInsertBenchmark benchmark) throws SQLException {
            int room = next++ % benchmark.roomIds.length;
            bind(insert, benchmark.roomIds[room], benchmark.nextIndex[room].getAndIncrement());
            return insert.executeUpdate();
        }

        int insertAndCount(JdbcInsertBenchmark benchmark) throws SQLException {
            String roomId = benchmark.roomIds[next++ % benchmark.roomIds.length];
            try {
                nextIndex.setTimestamp(1, Timestamp.from(Instant.now()));
                nextIndex.setString(2, roomId);
                long index;
                try (ResultSet result = nextIndex.executeQuery()) {
                    result.next();
                    index = result.getLong(1);
                }
                bind(insertInTransaction, roomId, index);
                int inserted = insertInTransaction.executeUpdate();
                transactional.commit();
                return inserted;
            }
            catch (SQLException ex) {
                transactional.rollback();
                throw ex;
            }
        }

        private void bind(PreparedStatement statement, String roomId, long index) throws SQLException {
            statement.setString(1, UUID.randomUUID().toString().replace("-", ""));
            statement.setString(2, roomId);
            statement.setLong(3, index);
            statement.setString(4, channelId);
            statement.setString(5, senderId);
            statement.setString(6, "{\"type\":\"text\",\"body\":\"message " + sequence++ + "\"}");
            statement.setTimestamp(7, Timestamp.from(Instant.now()));
        }
    }
}
