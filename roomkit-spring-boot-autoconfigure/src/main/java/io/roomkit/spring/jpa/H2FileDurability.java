package io.roomkit.spring.jpa;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Makes commits durable on an H2 file database: H2 writes committed transactions to its file up to half a
 * second later by default ({@code WRITE_DELAY=500}), so a process killed in that window loses events that were
 * already committed and broadcast, and their indices are given again to the next events. At start-up this sets
 * {@code WRITE_DELAY} to 0 (a persistent database setting) unless the URL chooses a delay itself, in which
 * case it only warns. In-memory and other databases are left alone.
 */
public class H2FileDurability implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(H2FileDurability.class);

    private final DataSource dataSource;

    public H2FileDurability(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void afterPropertiesSet() {
        try (Connection connection = dataSource.getConnection()) {
            String url = connection.getMetaData().getURL();
            if (!isH2File(url)) {
                return;
            }
            String chosen = writeDelayIn(url);
            if (chosen == null) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET WRITE_DELAY 0");
                }
                log.debug("H2 file database {}: WRITE_DELAY set to 0 so that commits survive a crash", url);
            }
            else if (!chosen.equals("0")) {
                log.warn("H2 file database {} has WRITE_DELAY={}: events committed within that many milliseconds "
                        + "of a crash are lost and their indices reused; remove it from the URL (RoomKit then sets "
                        + "0) or set WRITE_DELAY=0", url, chosen);
            }
        }
        catch (SQLException ex) {
            log.warn("Could not make the H2 file database's commits durable ({}): add ;WRITE_DELAY=0 to its URL, or "
                    + "events committed just before a crash may be lost", ex.getMessage());
        }
    }

    /** An H2 URL that is not in memory: {@code jdbc:h2:file:}, {@code jdbc:h2:~/...}, {@code jdbc:h2:./...}. */
    static boolean isH2File(String url) {
        if (url == null || !url.regionMatches(true, 0, "jdbc:h2:", 0, 8)) {
            return false;
        }
        String rest = url.substring(8).toLowerCase(Locale.ROOT);
        return !rest.startsWith("mem:") && !rest.startsWith("tcp:") && !rest.startsWith("ssl:");
    }

    /** The {@code WRITE_DELAY} the URL sets, or null. */
    static String writeDelayIn(String url) {
        for (String setting : url.split(";")) {
            int equals = setting.indexOf('=');
            if (equals > 0 && setting.substring(0, equals).trim().equalsIgnoreCase("WRITE_DELAY")) {
                return setting.substring(equals + 1).trim();
            }
        }
        return null;
    }
}
