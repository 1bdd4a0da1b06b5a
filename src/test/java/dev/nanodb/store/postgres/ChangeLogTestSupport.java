package dev.nanodb.store.postgres;

import static org.junit.jupiter.api.Assertions.fail;

import dev.nanodb.store.Change;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Writing to the change log and watching the server, for the change log tests. */
final class ChangeLogTestSupport {
    static final Duration DEADLINE = Duration.ofSeconds(60);

    private ChangeLogTestSupport() {
    }

    /** Appends {@code rows} in a transaction of their own on {@code c} and commits it. */
    static void commit(ChangeLog log, Connection c, String node, List<ChangeLog.Row> rows)
            throws SQLException {
        c.setAutoCommit(false);
        try {
            log.append(c, node, rows);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    static ChangeLog.Row row(String id, String json) {
        return ChangeLog.Row.of(Change.Action.CREATE, "c1", "posts", id, 1, json);
    }

    static int listenerPid(Connection admin, String appName) {
        try (PreparedStatement s = admin.prepareStatement(
                "SELECT pid FROM pg_stat_activity WHERE application_name = ? AND datname = current_database()")) {
            s.setString(1, appName);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getInt(1) : -1;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static int waitingForAdvisoryLock(Connection probe) {
        try (Statement s = probe.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                        + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                fail("timed out waiting: " + what);
            }
            Thread.sleep(10);
        }
    }
}
