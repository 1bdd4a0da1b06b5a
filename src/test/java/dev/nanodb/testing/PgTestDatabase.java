package dev.nanodb.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh PostgreSQL database on the local test server (127.0.0.1:5432, user {@code postgres}, trust auth),
 * created per test run and dropped by {@link #close()}, so runs never see each other's tables.
 *
 * <p>When no server answers, the calling tests are skipped (an aborted assumption) — unless the environment sets
 * {@code NANODB_REQUIRE_POSTGRES=1} (set it wherever a server is guaranteed, such as CI): then they fail, so a missing server
 * can never turn the PostgreSQL tests silently green.
 */
public final class PgTestDatabase implements AutoCloseable {
    private static final String HOST = "127.0.0.1:5432";
    private static final String USER = "postgres";

    private final String name;

    private PgTestDatabase(String name) {
        this.name = name;
    }

    /** Creates a database named after {@code purpose} plus a random suffix, or skips/fails as described above. */
    public static PgTestDatabase create(String purpose) {
        String name = "nanodb_test_" + purpose.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_") + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = open("postgres", null); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            if ("1".equals(System.getenv("NANODB_REQUIRE_POSTGRES"))) {
                throw new AssertionError("PostgreSQL at " + HOST + " is required (NANODB_REQUIRE_POSTGRES=1) but "
                        + "could not create a test database: " + e.getMessage(), e);
            }
            Assumptions.abort("no PostgreSQL at " + HOST + " (" + e.getMessage() + ")");
        }
        return new PgTestDatabase(name);
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + "/" + name;
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

    private static Connection open(String database, String applicationName) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("connectTimeout", "3");
        if (applicationName != null) {
            p.setProperty("ApplicationName", applicationName);
        }
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + "/" + database, p);
    }
}
