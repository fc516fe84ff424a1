package io.roomkit.spring.jpa;

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
 * ship; the scripts are idempotent). Spring Boot runs it before the {@code EntityManagerFactory} starts, so
 * the store works with any {@code spring.jpa.hibernate.ddl-auto}, including {@code validate}.
 */
public class RoomKitSchemaInitializer extends DataSourceScriptDatabaseInitializer {

    /** Where the scripts are; {@code @@platform@@} becomes {@code h2}, {@code postgresql}, .... */
    public static final String SCRIPT_LOCATION = "classpath:io/roomkit/spring/jpa/schema-@@platform@@.sql";

    private static final Set<DatabaseDriver> EMBEDDED = EnumSet.of(DatabaseDriver.H2, DatabaseDriver.HSQLDB,
            DatabaseDriver.DERBY);

    /**
     * @param when {@code embedded} (H2 in memory or on file, HSQLDB, Derby), {@code always} or {@code never}
     */
    public RoomKitSchemaInitializer(DataSource dataSource, When when) {
        super(dataSource, settings(dataSource, when));
    }

    /** When the scripts run. */
    public enum When {
        /** Only for embedded databases, whether in memory or on file. */
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
        settings.setMode(switch (when) {
            case ALWAYS -> DatabaseInitializationMode.ALWAYS;
            case NEVER -> DatabaseInitializationMode.NEVER;
            case EMBEDDED -> EMBEDDED.contains(driverOf(dataSource)) ? DatabaseInitializationMode.ALWAYS
                    : DatabaseInitializationMode.NEVER;
        });
        return settings;
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
