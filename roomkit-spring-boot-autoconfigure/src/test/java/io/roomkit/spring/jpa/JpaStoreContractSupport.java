package io.roomkit.spring.jpa;

import io.roomkit.store.ConversationStore;
import io.roomkit.store.ConversationStoreContractTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

/** Runs the core's store contract suite against the JPA store in a real Spring context. */
abstract class JpaStoreContractSupport extends ConversationStoreContractTest {

    private static final List<String> TABLES = List.of("roomkit_reactions", "roomkit_events", "roomkit_read_markers", "roomkit_bans",
            "roomkit_participants", "roomkit_bindings", "roomkit_rooms");

    /** The context under test, started once per test class. */
    protected abstract ConfigurableApplicationContext context();

    @Override
    protected ConversationStore createStore() {
        return emptyStore(context());
    }

    /** The context's JPA store, with every RoomKit table emptied. */
    static ConversationStore emptyStore(ConfigurableApplicationContext context) {
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        TABLES.forEach(table -> jdbc.update("DELETE FROM " + table));
        ConversationStore store = context.getBean(ConversationStore.class);
        if (!(store instanceof JpaConversationStore)) {
            throw new IllegalStateException("Expected the JPA store, got " + store.getClass().getName());
        }
        return store;
    }

    @Override
    protected int operationsPerThread() {
        return 25;
    }

    @Override
    protected int raceIterations() {
        return 200;
    }
}
