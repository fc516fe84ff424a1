package io.roomkit.spring.jpa;

import io.roomkit.spring.test.TestServices;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A schema of its own in the {@code test} database, so that test runs never see each other's rows. */
final class PostgresSchema implements AutoCloseable {

    private static final String SERVER = "jdbc:postgresql://" + TestServices.POSTGRES_HOST + ":"
            + TestServices.POSTGRES_PORT + "/test";

    private final String name = "roomkit_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    PostgresSchema() {
        TestServices.requirePostgres();
        execute("CREATE SCHEMA " + name);
    }

    String url() {
        return SERVER + "?currentSchema=" + name;
    }

    @Override
    public void close() {
        execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(SERVER, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("PostgreSQL refused: " + sql, ex);
        }
    }
}
