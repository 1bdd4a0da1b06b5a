package dev.nanodb.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.nanodb.store.postgres.DatabaseUrl;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The local PostgreSQL server of the tests (127.0.0.1:5432, user {@code postgres}, trust authentication), in two
 * forms: the run's shared database ({@link #url()}: created on first use, dropped with FORCE when the JVM exits)
 * with a fresh schema per store ({@link #freshSchema()}), and a dedicated database per test class
 * ({@link #create(String)}, dropped by {@link #close()}) for tests that need a whole database to themselves.
 *
 * <p>Without a server the tests that need one are skipped with a message, unless {@code NANODB_REQUIRE_POSTGRES=1}
 * (CI) makes that a failure: a skip there would look like a pass.
 */
public final class PgTestDatabase implements AutoCloseable {
    private static final String HOST = "127.0.0.1:5432";
    private static final String SERVER = "jdbc:postgresql://" + HOST + "/";
    private static final String USER = "postgres";
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static String shared;

    private final String name;

    private PgTestDatabase(String name) {
        this.name = name;
    }

    /** Skips (or, with NANODB_REQUIRE_POSTGRES=1, fails) the calling test when no server answers. */
    public static void assumeAvailable() {
        try {
            url();
        } catch (IllegalStateException e) {
            unavailable(e.getMessage());
        }
    }

    /** The address of this run's shared database, creating it on first use. */
    public static synchronized DatabaseUrl url() {
        if (shared == null) {
            String name = newName("run");
            try {
                createDatabase(name);
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            shared = name;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(name), "drop-test-database"));
        }
        return new DatabaseUrl(SERVER + shared + "?connectTimeout=5", USER, null);
    }

    /** A schema name not used before in this run; the store creates it. */
    public static String freshSchema() {
        return "t" + SCHEMAS.incrementAndGet();
    }

    /** A dedicated database named after {@code purpose} plus a random suffix, or skips/fails as described above. */
    public static PgTestDatabase create(String purpose) {
        String name = newName(purpose);
        try {
            createDatabase(name);
        } catch (SQLException e) {
            unavailable(e.getMessage());
        }
        return new PgTestDatabase(name);
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return SERVER + name;
    }

    /** A new connection to this database; {@code applicationName} (may be null) shows in pg_stat_activity. */
    public Connection connect(String applicationName) throws SQLException {
        return open(name, applicationName);
    }

    /** An unpooled data source on this database (each {@code getConnection} opens a new connection). */
    public PGSimpleDataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl());
        ds.setUser(USER);
        return ds;
    }

    /** Drops the database, ending any session still connected to it. */
    @Override
    public void close() throws SQLException {
        try (Connection admin = open("postgres", null); Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static String newName(String purpose) {
        return "nanodb_test_" + purpose.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_") + "_"
                + Long.toUnsignedString(new SecureRandom().nextLong(), 36);
    }

    private static void createDatabase(String name) throws SQLException {
        try (Connection admin = open("postgres", null); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + name + " ENCODING 'UTF8' TEMPLATE template0");
        }
    }

    private static void unavailable(String reason) {
        String message = "PostgreSQL is not reachable at " + HOST + " (" + reason + ").";
        if ("1".equals(System.getenv("NANODB_REQUIRE_POSTGRES"))) fail(message + " NANODB_REQUIRE_POSTGRES=1 requires it.");
        Assumptions.abort(message);
    }

    private static void drop(String name) {
        try (Connection admin = open("postgres", null); Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("could not drop test database " + name + ": " + e.getMessage());
        }
    }

    private static Connection open(String database, String applicationName) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("connectTimeout", "3");
        if (applicationName != null) p.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(SERVER + database, p);
    }
}
