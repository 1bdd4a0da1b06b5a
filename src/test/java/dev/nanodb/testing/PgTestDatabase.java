package dev.nanodb.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.nanodb.store.postgres.DatabaseUrl;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * The local PostgreSQL server of the tests (127.0.0.1:5432, user {@code postgres}, trust authentication): one
 * fresh database per test JVM, created on first use and dropped (with FORCE) when the JVM exits, and fresh
 * schemas inside it for tests that each need an empty store.
 *
 * <p>Without a server the tests that need one are skipped with a message, unless {@code NANODB_REQUIRE_POSTGRES=1}
 * (CI) makes that a failure: a skip there would look like a pass.
 */
public final class PgTestDatabase {
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String USER = "postgres";
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static String database;

    private PgTestDatabase() {}

    /** Skips (or, with NANODB_REQUIRE_POSTGRES=1, fails) the calling test when no server answers. */
    public static void assumeAvailable() {
        try {
            url();
        } catch (IllegalStateException e) {
            String message = "PostgreSQL is not reachable at 127.0.0.1:5432 (" + e.getMessage() + ").";
            if ("1".equals(System.getenv("NANODB_REQUIRE_POSTGRES"))) fail(message + " NANODB_REQUIRE_POSTGRES=1 requires it.");
            Assumptions.abort(message);
        }
    }

    /** The address of this run's database, creating it on first use. */
    public static synchronized DatabaseUrl url() {
        if (database == null) {
            String name = "nanodb_test_" + Long.toUnsignedString(new SecureRandom().nextLong(), 36);
            try (Connection c = admin(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name + " ENCODING 'UTF8' TEMPLATE template0");
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            database = name;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(name), "drop-test-database"));
        }
        return new DatabaseUrl(SERVER + database + "?connectTimeout=5", USER, null);
    }

    /** A schema name not used before in this run; the store creates it. */
    public static String freshSchema() {
        return "t" + SCHEMAS.incrementAndGet();
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection(SERVER + "postgres?connectTimeout=3", USER, null);
    }

    private static void drop(String name) {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("could not drop test database " + name + ": " + e.getMessage());
        }
    }
}
