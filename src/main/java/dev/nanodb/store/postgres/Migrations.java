package dev.nanodb.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * NanoDB's own tables, created by numbered steps that run once per database schema. All steps run in one
 * transaction holding a transaction-scoped advisory lock, so nodes starting at the same time run them once
 * and in order: a node that waited finds them applied and skips them.
 *
 * <p>Versions are never renumbered or edited once released; a new table is a new step at the end. Version 2
 * creates the cross-node change log ({@link ChangeLog#createTable}), version 3 the shared secrets
 * ({@code nanodb_secrets}, see {@link PostgresStore#sharedSecret}), version 5 the running nodes ({@link PgNodes}), version 6
 * the claims of scheduled jobs' runs ({@link PgJobRuns}).
 */
final class Migrations {
    /** An arbitrary constant naming NanoDB's migration lock among a database's advisory locks. */
    private static final long LOCK_KEY = 0x4e616e6f44424dL;

    /** One migration step's work, run inside the migration transaction on the schema's connection. */
    private interface Apply {
        void run(Connection c, String schema) throws SQLException;
    }

    private record Step(int version, Apply apply) {
        static Step sql(int version, String... statements) {
            return new Step(version, (c, schema) -> {
                try (Statement s = c.createStatement()) {
                    for (String sql : statements) s.execute(sql);
                }
            });
        }
    }

    private static final List<Step> STEPS = List.of(
            Step.sql(1, "CREATE TABLE nanodb_collections (id text COLLATE \"C\" PRIMARY KEY,"
                    + " name text COLLATE \"C\" NOT NULL UNIQUE, definition text NOT NULL)"),
            new Step(2, ChangeLog::createTable),
            Step.sql(3, "CREATE TABLE nanodb_secrets (name text COLLATE \"C\" PRIMARY KEY, value text NOT NULL)"),
            new Step(4, (c, schema) -> {
                try (Statement s = c.createStatement()) {
                    for (String sql : Counts.MIGRATION) s.execute(sql);
                }
                PgCatalog.syncAllIndexes(c);
            }),
            Step.sql(5, PgNodes.CREATE_TABLE),
            Step.sql(6, PgJobRuns.CREATE_TABLE));

    private Migrations() {}

    /**
     * Creates {@code schema} (the connection's search path, a validated name) if needed and brings it up to the
     * latest version; the connection's autocommit mode is restored.
     */
    static void run(Connection c, String schema) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            s.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
            s.execute("CREATE TABLE IF NOT EXISTS nanodb_migrations (version integer PRIMARY KEY,"
                    + " applied timestamptz NOT NULL DEFAULT now())");
            int current = 0;
            try (ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM nanodb_migrations")) {
                if (rs.next()) current = rs.getInt(1);
            }
            for (Step step : STEPS) {
                if (step.version <= current) continue;
                step.apply.run(c, schema);
                try (PreparedStatement p = c.prepareStatement("INSERT INTO nanodb_migrations (version) VALUES (?)")) {
                    p.setInt(1, step.version);
                    p.executeUpdate();
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
