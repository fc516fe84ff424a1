package io.roomkit.spring.jpa;

import io.roomkit.pipeline.DeliveryModelContractTest;
import io.roomkit.store.ConversationStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.context.ConfigurableApplicationContext;

/** The delivery model's promises with the JPA store on PostgreSQL, in a schema of its own. */
class JpaDeliveryModelOnPostgresTest extends DeliveryModelContractTest {

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
    protected ConversationStore createStore() {
        return JpaStoreContractSupport.emptyStore(context);
    }

    @Override
    protected int messagesPerWriter() {
        return 40;
    }
}
