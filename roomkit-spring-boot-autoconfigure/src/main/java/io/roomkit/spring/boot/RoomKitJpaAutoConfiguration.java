package io.roomkit.spring.boot;

import io.roomkit.spring.jpa.H2FileDurability;
import io.roomkit.spring.jpa.JpaConversationStore;
import io.roomkit.spring.jpa.RoomKitSchemaInitializer;
import io.roomkit.store.ConversationStore;
import jakarta.persistence.EntityManagerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jpa.autoconfigure.EntityManagerFactoryBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.util.List;

/**
 * The JPA {@link ConversationStore}, when the application has a JPA {@link EntityManagerFactory} and
 * {@code roomkit.store.type} is {@code auto} or {@code jpa}. The store's entities join the application's
 * persistence unit whatever its {@code @EntityScan} says; its tables are created by
 * {@link RoomKitSchemaInitializer} according to {@code roomkit.jdbc.initialize-schema}. No repositories are
 * enabled, so the application's own Spring Data setup is untouched.
 */
@AutoConfiguration(before = RoomKitAutoConfiguration.class,
        afterName = "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration")
@ConditionalOnClass({ EntityManagerFactory.class, EntityManagerFactoryBuilderCustomizer.class,
        DataSourceScriptDatabaseInitializer.class, JsonMapper.class })
@ConditionalOnBean(EntityManagerFactory.class)
@ConditionalOnBooleanProperty(name = "roomkit.enabled", matchIfMissing = true)
@Conditional(RoomKitJpaAutoConfiguration.JpaStoreSelected.class)
@EnableConfigurationProperties(RoomKitProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public final class RoomKitJpaAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "roomKitEntities")
    EntityManagerFactoryBuilderCustomizer roomKitEntities() {
        List<String> entities = JpaConversationStore.entityClassNames();
        return builder -> builder.setPersistenceUnitPostProcessors(unit -> entities.forEach(unit::addManagedClassName));
    }

    @Bean
    @ConditionalOnMissingBean(ConversationStore.class)
    JpaConversationStore roomKitConversationStore(EntityManagerFactory entityManagerFactory,
            PlatformTransactionManager transactionManager) {
        // A mapper of our own: the application's JSON settings must not change what the store writes.
        JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.FAIL_ON_EMPTY_BEANS).build();
        return new JpaConversationStore(entityManagerFactory, transactionManager, mapper);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(DataSource.class)
    RoomKitSchemaInitializer roomKitSchemaInitializer(DataSource dataSource, RoomKitProperties properties) {
        return new RoomKitSchemaInitializer(dataSource,
                RoomKitSchemaInitializer.When.valueOf(properties.jdbc().initializeSchema().name()));
    }

    /** Commits on an H2 file database reach the file at once, so that a crash loses none. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(DataSource.class)
    H2FileDurability roomKitH2FileDurability(DataSource dataSource) {
        return new H2FileDurability(dataSource);
    }

    /** {@code roomkit.store.type} is {@code auto} (or unset) or {@code jpa}. */
    static final class JpaStoreSelected extends AnyNestedCondition {

        JpaStoreSelected() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(name = "roomkit.store.type", havingValue = "auto", matchIfMissing = true)
        static final class Auto {
        }

        @ConditionalOnProperty(name = "roomkit.store.type", havingValue = "jpa")
        static final class Jpa {
        }
    }
}
