package io.roomkit.benchmarks;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The databases of the store benchmarks: H2 in memory, and PostgreSQL in a schema of the run's own. */
public final class Databases {

    public static final String POSTGRES_HOST = "127.0.0.1";
    public static final int POSTGRES_PORT = 5432;
    public static final String POSTGRES_SERVER = "jdbc:postgresql://" + POSTGRES_HOST + ":" + POSTGRES_PORT
            + "/test";
    public static final String POSTGRES_USER = "postgres";

    private Databases() {
    }

    /** {@code null} if PostgreSQL accepts connections, else why not. */
    public static String postgresProblem() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(POSTGRES_HOST, POSTGRES_PORT), 1000);
            return null;
        }
        catch (IOException ex) {
            return "PostgreSQL is not reachable at " + POSTGRES_HOST + ":" + POSTGRES_PORT + " (" + ex.getMessage()
                    + ")";
        }
    }

    /** Throws with a clear message when PostgreSQL is absent, so that JMH reports this benchmark as skipped. */
    public static void requirePostgres(String benchmark) {
        String problem = postgresProblem();
        if (problem != null) {
            throw new IllegalStateException("SKIPPED " + benchmark + ": " + problem
                    + ". Start PostgreSQL (user postgres, trust, database test) or leave the postgres benchmarks out.");
        }
    }

    /** A new H2 in-memory database URL. */
    public static String newH2Url() {
        return "jdbc:h2:mem:bench" + shortId() + ";DB_CLOSE_DELAY=-1";
    }

    /** A fresh schema in the {@code test} database; drop it with {@link PostgresSchema#close()}. */
    public static PostgresSchema newPostgresSchema() {
        return new PostgresSchema("roomkit_bench_" + shortId());
    }

    /** Starts a non-web Boot context with RoomKit's JPA store on {@code url}; the store creates its tables. */
    public static ConfigurableApplicationContext startJpa(String url, String... extraProperties) {
        List<String> properties = new ArrayList<>(List.of("spring.datasource.url=" + url,
                "spring.datasource.username=" + (url.startsWith("jdbc:postgresql") ? POSTGRES_USER : "sa"),
                "spring.jpa.hibernate.ddl-auto=validate", "spring.jpa.open-in-view=false",
                "roomkit.jdbc.initialize-schema=always", "roomkit.store.type=jpa", "spring.main.banner-mode=off",
                "logging.level.root=warn", "spring.datasource.hikari.maximum-pool-size=10"));
        properties.addAll(List.of(extraProperties));
        return new SpringApplicationBuilder(JpaApplication.class).web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new)).run();
    }

    private static String shortId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Boot's auto-configuration and nothing else: DataSource, JPA, and RoomKit on top. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    public static class JpaApplication {
    }

    /** A schema of its own in the {@code test} database, dropped on close. */
    public static final class PostgresSchema implements AutoCloseable {

        private final String name;

        PostgresSchema(String name) {
            this.name = name;
            execute("CREATE SCHEMA " + name);
        }

        public String name() {
            return name;
        }

        public String url() {
            return POSTGRES_SERVER + "?currentSchema=" + name;
        }

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url(), POSTGRES_USER, "");
        }

        @Override
        public void close() {
            execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }

        private static void execute(String sql) {
            try (Connection connection = DriverManager.getConnection(POSTGRES_SERVER, POSTGRES_USER, "");
                    Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
            catch (SQLException ex) {
                throw new IllegalStateException("PostgreSQL refused: " + sql, ex);
            }
        }
    }
}
