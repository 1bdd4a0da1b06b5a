package dev.nanodb.store.postgres;

import dev.nanodb.store.Nodes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running nodes of one schema, in {@code nanodb_nodes} (migration 5): one row per node with its host, process
 * id, storage, start and last heartbeat. A join takes a transaction-scoped advisory lock, removes the rows silent
 * for longer than {@link Nodes#SILENCE}, reads the others, asks the admission and inserts its row, then commits:
 * two nodes joining together are serialised by the lock, so the second sees the first's row. Heartbeats upsert
 * the row (bringing it back should another node have removed it as silent) and run the admission again.
 * Liveness is judged by the database's clock ({@code now()}), never a node's.
 */
final class PgNodes {
    private static final Logger LOG = LoggerFactory.getLogger(PgNodes.class);
    /** An arbitrary constant naming the join lock among the database's advisory locks (not the migrations'). */
    private static final long LOCK_KEY = 0x4e616e6f4e6f6465L;
    static final String CREATE_TABLE = "CREATE TABLE nanodb_nodes (id text COLLATE \"C\" PRIMARY KEY,"
            + " host text NOT NULL, pid bigint NOT NULL, storage text NOT NULL,"
            + " started timestamptz NOT NULL DEFAULT now(), last_seen timestamptz NOT NULL DEFAULT now())";
    private static final String OTHERS = "SELECT host, pid, storage, started, extract(epoch FROM now() - last_seen)"
            + " FROM nanodb_nodes WHERE id <> ? AND last_seen >= now() - make_interval(secs => ?) ORDER BY started";

    private final DataSource db;
    private final List<Member> members = new ArrayList<>();

    PgNodes(DataSource db) {
        this.db = db;
    }

    Nodes.Membership join(String storage, Nodes.Admission admission) throws SQLException {
        String id = UUID.randomUUID().toString();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
                }
                try (PreparedStatement p = c.prepareStatement(
                        "DELETE FROM nanodb_nodes WHERE last_seen < now() - make_interval(secs => ?)")) {
                    p.setLong(1, Nodes.SILENCE.toSeconds());
                    p.executeUpdate();
                }
                String refusal = admission.refusal(others(c, id));
                if (refusal != null) throw new Nodes.Refused(refusal);
                upsert(c, id, storage);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        Member m = new Member(id, storage, admission);
        synchronized (members) {
            members.add(m);
        }
        return m;
    }

    /** Ends every membership still open (the store is closing). */
    void close() {
        List<Member> open;
        synchronized (members) {
            open = List.copyOf(members);
        }
        open.forEach(Member::close);
    }

    private static List<Nodes.Node> others(Connection c, String id) throws SQLException {
        List<Nodes.Node> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(OTHERS)) {
            p.setString(1, id);
            p.setLong(2, Nodes.SILENCE.toSeconds());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new Nodes.Node(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                            Duration.ofMillis(Math.max(0, Math.round(rs.getDouble(5) * 1000)))));
                }
            }
        }
        return out;
    }

    private static void upsert(Connection c, String id, String storage) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO nanodb_nodes (id, host, pid, storage) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (id) DO UPDATE SET last_seen = now()")) {
            p.setString(1, id);
            p.setString(2, Nodes.thisHost());
            p.setLong(3, ProcessHandle.current().pid());
            p.setString(4, storage);
            p.executeUpdate();
        }
    }

    /** One node's registration and its heartbeat thread. */
    private final class Member implements Nodes.Membership {
        private final String id;
        private final String storage;
        private final Nodes.Admission admission;
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("nanodb-node-heartbeat").factory());
        /** The last failure or refusal logged, so that one lasting condition is logged once. */
        private String logged;

        Member(String id, String storage, Nodes.Admission admission) {
            this.id = id;
            this.storage = storage;
            this.admission = admission;
            long every = Nodes.HEARTBEAT.toMillis();
            timer.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
        }

        private void beat() {
            String problem;
            try (Connection c = db.getConnection()) {
                upsert(c, id, storage);
                String refusal = admission.refusal(others(c, id));
                problem = refusal == null ? null : "this node's file storage conflicts with other running nodes: " + refusal;
            } catch (SQLException | RuntimeException e) {
                problem = "the node heartbeat failed (other nodes count this node as gone after "
                        + Nodes.SILENCE.toSeconds() + " s without one): " + e;
            }
            if (problem != null && !problem.equals(logged)) LOG.error(problem);
            else if (problem == null && logged != null) LOG.info("the node heartbeat is back to normal");
            logged = problem;
        }

        @Override
        public Nodes.Claim claim(String job, java.time.Instant due) {
            try {
                return PgJobRuns.claim(db, id, job, due);
            } catch (SQLException e) {
                throw PgErrors.translate(e, index -> null);
            }
        }

        @Override
        public void close() {
            synchronized (members) {
                if (!members.remove(this)) return;
            }
            timer.shutdownNow();
            try {
                if (!timer.awaitTermination(10, TimeUnit.SECONDS)) LOG.warn("the node heartbeat did not stop");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try (Connection c = db.getConnection();
                 PreparedStatement p = c.prepareStatement("DELETE FROM nanodb_nodes WHERE id = ?")) {
                p.setString(1, id);
                p.executeUpdate();
            } catch (SQLException e) {
                LOG.warn("could not remove this node's entry (it expires {} s after the last heartbeat): {}",
                        Nodes.SILENCE.toSeconds(), e.toString());
            }
        }
    }
}
