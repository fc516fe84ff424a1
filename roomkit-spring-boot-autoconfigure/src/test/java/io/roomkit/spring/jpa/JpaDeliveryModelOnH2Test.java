package io.roomkit.spring.jpa;

import io.roomkit.pipeline.DeliveryModelContractTest;
import io.roomkit.store.ConversationStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.context.ConfigurableApplicationContext;

/** The delivery model's promises with the JPA store on H2. */
class JpaDeliveryModelOnH2Test extends DeliveryModelContractTest {

    private static ConfigurableApplicationContext context;

    @BeforeAll
    static void start() {
        context = JpaTestApplication.start("jdbc:h2:mem:delivery;DB_CLOSE_DELAY=-1");
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    @Override
    protected ConversationStore createStore() {
        return JpaStoreContractSupport.emptyStore(context);
    }

    @Override
    protected int messagesPerWriter() {
        return 60;
    }
}
