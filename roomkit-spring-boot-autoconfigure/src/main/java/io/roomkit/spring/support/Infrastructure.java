package io.roomkit.spring.support;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Recognises failures that mean "the database or Redis could not be reached in time" rather than a bug or bad
 * input, so that the client gets {@code unavailable} (try again) instead of {@code internal_error}. Spring and
 * client classes are matched by name, so this works whichever of them are on the classpath.
 */
public final class Infrastructure {

    private static final Set<String> UNREACHABLE = Set.of(
            "org.springframework.dao.DataAccessResourceFailureException",
            "org.springframework.dao.QueryTimeoutException",
            "org.springframework.transaction.CannotCreateTransactionException",
            "org.springframework.jdbc.CannotGetJdbcConnectionException",
            "org.springframework.data.redis.RedisConnectionFailureException",
            "org.hibernate.exception.JDBCConnectionException",
            "io.lettuce.core.RedisConnectionException",
            "io.lettuce.core.RedisCommandTimeoutException");

    private Infrastructure() {
    }

    /** Whether {@code failure} or one of its causes says the service could not be reached. */
    public static boolean isUnreachable(Throwable failure) {
        for (Throwable at = failure; at != null; at = at.getCause() == at ? null : at.getCause()) {
            if (at instanceof SQLTransientConnectionException || at instanceof SQLTimeoutException
                    || at instanceof ConnectException || at instanceof NoRouteToHostException
                    || at instanceof SocketTimeoutException || isConnectionState(at) || namedUnreachable(at)) {
                return true;
            }
        }
        return false;
    }

    /** SQL state class 08: connection exception. */
    private static boolean isConnectionState(Throwable failure) {
        return failure instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08");
    }

    private static boolean namedUnreachable(Throwable failure) {
        for (Class<?> type = failure.getClass(); type != null; type = type.getSuperclass()) {
            if (UNREACHABLE.contains(type.getName())) {
                return true;
            }
        }
        return false;
    }
}
