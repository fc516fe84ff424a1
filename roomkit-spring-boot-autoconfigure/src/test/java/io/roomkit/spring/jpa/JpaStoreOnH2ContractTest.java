package io.roomkit.spring.jpa;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.context.ConfigurableApplicationContext;

class JpaStoreOnH2ContractTest extends JpaStoreContractSupport {

    private static ConfigurableApplicationContext context;

    @BeforeAll
    static void start() {
        context = JpaTestApplication.start("jdbc:h2:mem:contract;DB_CLOSE_DELAY=-1");
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    @Override
    protected ConfigurableApplicationContext context() {
        return context;
    }
}
