package dev.nanodb.store.postgres;

import dev.nanodb.store.Nodes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims of scheduled jobs' runs ({@link Nodes.Membership#claim}), in {@code nanodb_job_runs} (migration 6): one row
 * per job with the last tick claimed ({@code due}) and the node running it ({@code node}, null when none).
 *
 * <p>A claim is one {@code INSERT … ON CONFLICT DO UPDATE … WHERE}: PostgreSQL locks the job's row and evaluates
 * the condition on its latest version, so of two nodes claiming one tick the second sees the first's {@code due}
 * and updates nothing. A holder counts while its {@code nanodb_nodes} entry is live (the node heartbeat), judged by
 * the database's clock; a row whose holder is gone is free again.
 */
final class PgJobRuns {
    private static final Logger LOG = LoggerFactory.getLogger(PgJobRuns.class);
    static final String CREATE_TABLE = "CREATE TABLE nanodb_job_runs (job text COLLATE \"C\" PRIMARY KEY,"
            + " due timestamptz NOT NULL, node text)";
    /** The holder of {@code r} is nobody, or a node no longer live. */
    private static final String FREE = "(r.node IS NULL OR NOT EXISTS (SELECT 1 FROM nanodb_nodes n WHERE n.id = r.node"
            + " AND n.last_seen >= now() - make_interval(secs => ?)))";
    private static final String TICK = "INSERT INTO nanodb_job_runs AS r (job, due, node) VALUES (?, ?, ?)"
            + " ON CONFLICT (job) DO UPDATE SET due = EXCLUDED.due, node = EXCLUDED.node WHERE r.due < EXCLUDED.due AND " + FREE;
    private static final String NOW = "INSERT INTO nanodb_job_runs AS r (job, due, node) VALUES (?, '-infinity', ?)"
            + " ON CONFLICT (job) DO UPDATE SET node = EXCLUDED.node WHERE " + FREE;

    private PgJobRuns() {}

    /** @return the held claim, or null when another node has the tick or runs the job */
    static Nodes.Claim claim(DataSource db, String node, String job, Instant due) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement p = c.prepareStatement(due == null ? NOW : TICK)) {
            int i = 1;
            p.setString(i++, job);
            if (due != null) p.setObject(i++, OffsetDateTime.ofInstant(due, ZoneOffset.UTC));
            p.setString(i++, node);
            p.setLong(i, Nodes.SILENCE.toSeconds());
            if (p.executeUpdate() == 0) return null;
        }
        return () -> release(db, node, job);
    }

    /** A release that fails leaves the claim to expire with the node's entry, or to the node's next release. */
    private static void release(DataSource db, String node, String job) {
        try (Connection c = db.getConnection();
             PreparedStatement p = c.prepareStatement("UPDATE nanodb_job_runs SET node = NULL WHERE job = ? AND node = ?")) {
            p.setString(1, job);
            p.setString(2, node);
            p.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("could not release the run of job {} (another node may run it once this node's entry is silent): {}",
                    job, e.toString());
        }
    }
}
