package io.roomkit.spring.jpa;

import io.roomkit.spring.jpa.RoomKitSchemaInitializer.When;
import org.junit.jupiter.api.Test;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The schema scripts run only where one ships (H2 and PostgreSQL, which the other tests start for real); other
 * databases get a start-up message that says what to do instead of a missing-script error. HSQLDB and Derby are
 * not on this project's classpath, so their decision is checked here without starting them.
 */
class SchemaScriptsTest {

    @Test
    void everyDatabaseTheScriptsRunOnHasOne() {
        for (DatabaseDriver driver : DatabaseDriver.values()) {
            for (When when : When.values()) {
                boolean runs;
                try {
                    runs = RoomKitSchemaInitializer.mode(driver, when) == DatabaseInitializationMode.ALWAYS;
                }
                catch (IllegalStateException refused) {
                    runs = false;
                }
                if (runs) {
                    assertThat(new ClassPathResource("io/roomkit/spring/jpa/schema-" + driver.getId() + ".sql")
                            .exists()).as("script for %s", driver).isTrue();
                }
            }
        }
    }

    @Test
    void embeddedRunsTheScriptsOnH2AndSkipsHsqldbAndDerby() {
        assertThat(RoomKitSchemaInitializer.mode(DatabaseDriver.H2, When.EMBEDDED))
                .isEqualTo(DatabaseInitializationMode.ALWAYS);
        assertThat(RoomKitSchemaInitializer.mode(DatabaseDriver.HSQLDB, When.EMBEDDED))
                .isEqualTo(DatabaseInitializationMode.NEVER);
        assertThat(RoomKitSchemaInitializer.mode(DatabaseDriver.DERBY, When.EMBEDDED))
                .isEqualTo(DatabaseInitializationMode.NEVER);
        assertThat(RoomKitSchemaInitializer.mode(DatabaseDriver.POSTGRESQL, When.EMBEDDED))
                .isEqualTo(DatabaseInitializationMode.NEVER);
    }

    @Test
    void alwaysOnADatabaseWithoutAScriptFailsStartUpWithWhatToDo() {
        assertThatIllegalStateException().isThrownBy(() -> RoomKitSchemaInitializer.mode(DatabaseDriver.MYSQL,
                When.ALWAYS)).withMessageContaining("H2 and PostgreSQL only")
                .withMessageContaining("roomkit.jdbc.initialize-schema=never");
        assertThat(RoomKitSchemaInitializer.mode(DatabaseDriver.POSTGRESQL, When.ALWAYS))
                .isEqualTo(DatabaseInitializationMode.ALWAYS);
    }
}
