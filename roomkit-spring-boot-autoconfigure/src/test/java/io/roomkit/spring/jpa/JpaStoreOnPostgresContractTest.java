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

    /**
     * PostgreSQL is what a cluster runs on, so its concurrency probes run at the level the in-memory store found
     * bugs at (50 writes per thread), twice that in fact: 100 writes per thread and 1,000 race iterations. The
     * suite then takes about 23 s on the 2-core development machine, against 7 to 15 s at H2's 25 and 200.
     */
    @Override
    protected int operationsPerThread() {
        return 100;
    }

    @Override
    protected int raceIterations() {
        return 1000;
    }
}
