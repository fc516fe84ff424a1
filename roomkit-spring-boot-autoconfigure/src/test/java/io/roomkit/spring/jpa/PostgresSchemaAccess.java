package io.roomkit.spring.jpa;

/** Gives tests outside this package a private PostgreSQL schema. */
public final class PostgresSchemaAccess implements AutoCloseable {

    private final PostgresSchema schema;

    private PostgresSchemaAccess(PostgresSchema schema) {
        this.schema = schema;
    }

    public static PostgresSchemaAccess create() {
        return new PostgresSchemaAccess(new PostgresSchema());
    }

    public String url() {
        return schema.url();
    }

    @Override
    public void close() {
        schema.close();
    }
}
