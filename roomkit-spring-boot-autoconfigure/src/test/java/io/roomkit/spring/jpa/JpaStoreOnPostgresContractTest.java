package io.roomkit.spring.jpa;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.context.ConfigurableApplicationContext;

class JpaStoreOnPostgresContractTest extends JpaStoreContractSupport {

    private static PostgresSchema schema;
    private static ConfigurableApplicationContext context;

    @BeforeAll
    static void start() {
        schema = new PostgresSchema();
        context = JpaTestApplication.start(schema.url());
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

    @Override
    protected ConfigurableApplicationContext context() {
        return context;
    }
}
