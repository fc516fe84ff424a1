package io.roomkit.spring.jpa;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

import javax.sql.DataSource;
import java.sql.DatabaseMetaData;
import java.util.EnumSet;
import java.util.Set;

/**
 * Creates the JPA store's tables from {@code io/roomkit/spring/jpa/schema-<platform>.sql} (H2 and PostgreSQL
 * ship; the scripts are idempotent; any other database gets a start-up message that says what to do). Spring
 * Boot runs it before the {@code EntityManagerFactory} starts, so the store works with any
 * {@code spring.jpa.hibernate.ddl-auto}, including {@code validate}.
 */
public class RoomKitSchemaInitializer extends DataSourceScriptDatabaseInitializer {

    /** Where the scripts are; {@code @@platform@@} becomes {@code h2}, {@code postgresql}, .... */
    public static final String SCRIPT_LOCATION = "classpath:io/roomkit/spring/jpa/schema-@@platform@@.sql";

    /** The databases RoomKit ships scripts for (and tests on). */
    private static final Set<DatabaseDriver> SCRIPTED = EnumSet.of(DatabaseDriver.H2, DatabaseDriver.POSTGRESQL);

    private static final Logger log = LoggerFactory.getLogger(RoomKitSchemaInitializer.class);
    private static final Set<DatabaseDriver> EMBEDDED = EnumSet.of(DatabaseDriver.H2, DatabaseDriver.HSQLDB,
            DatabaseDriver.DERBY);

    /**
     * @param when {@code embedded} (H2 in memory or on file), {@code always} or {@code never}
     */
    public RoomKitSchemaInitializer(DataSource dataSource, When when) {
        super(dataSource, settings(dataSource, when));
    }

    /** When the scripts run. */
    public enum When {
        /** Only for H2, whether in memory or on file (HSQLDB and Derby are skipped with a warning). */
        EMBEDDED,
        /** On every start-up. */
        ALWAYS,
        /** Never. */
        NEVER
    }

    private static DatabaseInitializationSettings settings(DataSource dataSource, When when) {
        DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
        settings.setSchemaLocations(new PlatformPlaceholderDatabaseDriverResolver().resolveAll(dataSource,
                SCRIPT_LOCATION));
        settings.setMode(when == When.NEVER ? DatabaseInitializationMode.NEVER : mode(driverOf(dataSource), when));
        return settings;
    }

    /**
     * Whether the scripts run on {@code driver}. A database without a script fails start-up with what to do when
     * they are asked for ({@code always}); an embedded one (HSQLDB, Derby) is skipped with a warning that says
     * the same, since Hibernate's {@code ddl-auto} may create the tables there.
     */
    static DatabaseInitializationMode mode(DatabaseDriver driver, When when) {
        if (when == When.NEVER || when == When.EMBEDDED && !EMBEDDED.contains(driver)) {
            return DatabaseInitializationMode.NEVER;
        }
        if (SCRIPTED.contains(driver)) {
            return DatabaseInitializationMode.ALWAYS;
        }
        String advice = "RoomKit ships schema scripts for H2 and PostgreSQL only, not for " + driver.getId()
                + ": create the seven roomkit_* tables yourself (io/roomkit/spring/jpa/schema-postgresql.sql shows "
                + "them) and set roomkit.jdbc.initialize-schema=never";
        if (when == When.ALWAYS) {
            throw new IllegalStateException(advice);
        }
        log.warn("{} (or let spring.jpa.hibernate.ddl-auto create them)", advice);
        return DatabaseInitializationMode.NEVER;
    }

    private static DatabaseDriver driverOf(DataSource dataSource) {
        try {
            String url = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getURL);
            return DatabaseDriver.fromJdbcUrl(url);
        }
        catch (MetaDataAccessException ex) {
            return DatabaseDriver.UNKNOWN;
        }
    }
}
