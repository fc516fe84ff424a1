package io.roomkit.spring.boot;

import io.roomkit.RoomKit;
import io.roomkit.spring.jpa.JpaConversationStore;
import io.roomkit.spring.jpa.RoomKitSchemaInitializer;
import io.roomkit.store.ConversationStore;
import io.roomkit.store.InMemoryConversationStore;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RoomKitJpaAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
                    TransactionAutoConfiguration.class, RoomKitJpaAutoConfiguration.class,
                    RoomKitAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "spring.jpa.hibernate.ddl-auto=validate");

    @Test
    void autoPicksTheJpaStoreWhenJpaIsConfigured() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).getBean(ConversationStore.class).isInstanceOf(JpaConversationStore.class);
            assertThat(context.getBean(RoomKit.class).store()).isInstanceOf(JpaConversationStore.class);
            assertThat(context).hasSingleBean(RoomKitSchemaInitializer.class);
            assertThat(context.getBean(EntityManagerFactory.class).getMetamodel().getEntities())
                    .extracting(type -> type.getJavaType().getSimpleName())
                    .contains("RoomEntity", "EventEntity", "BindingEntity", "ParticipantEntity", "ReadMarkerEntity");
        });
    }

    @Test
    void explicitJpaTypeUsesTheJpaStore() {
        runner.withPropertyValues("roomkit.store.type=jpa").run(context -> assertThat(context)
                .getBean(ConversationStore.class).isInstanceOf(JpaConversationStore.class));
    }

    @Test
    void memoryTypeKeepsTheInMemoryStoreEvenWithJpa() {
        runner.withPropertyValues("roomkit.store.type=memory", "spring.jpa.hibernate.ddl-auto=none")
                .run(context -> {
                    assertThat(context).getBean(ConversationStore.class)
                            .isInstanceOf(InMemoryConversationStore.class);
                    assertThat(context).doesNotHaveBean(RoomKitSchemaInitializer.class);
                });
    }

    @Test
    void withoutJpaOnTheClasspathTheStoreIsInMemory() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                RoomKitJpaAutoConfiguration.class, RoomKitAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader(EntityManagerFactory.class))
                .run(context -> assertThat(context).hasNotFailed().getBean(ConversationStore.class)
                        .isInstanceOf(InMemoryConversationStore.class));
    }

    @Test
    void theApplicationsOwnStoreWins() {
        runner.withBean("myStore", ConversationStore.class, InMemoryConversationStore::new).run(context -> {
            assertThat(context).getBean(ConversationStore.class).isInstanceOf(InMemoryConversationStore.class);
            assertThat(context).doesNotHaveBean(JpaConversationStore.class);
        });
    }

    @Test
    void schemaInitializationCanBeSwitchedOff() {
        runner.withPropertyValues("roomkit.jdbc.initialize-schema=never", "spring.jpa.hibernate.ddl-auto=none")
                .run(context -> {
                    JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
                    assertThat(jdbc.queryForObject("select count(*) from information_schema.tables where "
                            + "lower(table_name) = 'roomkit_events'", Integer.class)).isZero();
                });
    }

    @Test
    void embeddedInitializationCreatesTheTablesOnH2() {
        runner.run(context -> {
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
            assertThat(jdbc.queryForObject("select count(*) from information_schema.tables where "
                    + "lower(table_name) like 'roomkit_%'", Integer.class)).isEqualTo(7);
        });
    }
}
