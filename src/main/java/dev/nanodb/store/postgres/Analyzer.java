package dev.nanodb.store.postgres;

import dev.nanodb.store.Change;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code ANALYZE} on a collection's table after this node wrote a tenth of its rows (at least
 * {@link #MIN_CHANGES}), in the background. Why not leave it to autovacuum: the planner knows the values of an
 * indexed expression only from ANALYZE, and autovacuum looks at a table once a minute at best, so after an
 * import an owner's list looked selective and was sorted in full instead of walking the sort index for a minute
 * or more (seen in the bench: 28 sorted pages/s right after 20,000 creates). At most one ANALYZE per table runs
 * at a time; a failed one is only logged (the statistics stay as they were).
 */
final class Analyzer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Analyzer.class);
    static final long MIN_CHANGES = 1000;

    private final DataSource db;
    private final Map<String, AtomicLong> changedSince = new ConcurrentHashMap<>();
    private final Map<String, Long> threshold = new ConcurrentHashMap<>();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("nanodb-pg-analyze").factory());

    Analyzer(DataSource db) {
        this.db = db;
    }

    /**
     * Counts committed changes per collection and schedules an ANALYZE where they reached the threshold. Never
     * throws: it runs after a commit, where an exception would tell callers their durable writes failed.
     */
    void committed(List<Change> changes) {
        try {
            count(changes);
        } catch (RuntimeException e) {
            LOG.warn("ANALYZE scheduling failed", e);
        }
    }

    private void count(List<Change> changes) {
        for (Change c : changes) {
            String id = c.collectionId();
            long n = changedSince.computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet();
            if (n >= threshold.getOrDefault(id, MIN_CHANGES) && running.add(id)) {
                try {
                    worker.execute(() -> analyze(id));
                } catch (RejectedExecutionException closed) {
                    running.remove(id);
                }
            }
        }
    }

    private void analyze(String collectionId) {
        try (Connection c = db.getConnection()) {
            changedSince.get(collectionId).set(0);
            String table = Tables.table(collectionId);
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE " + table);
            }
            try (PreparedStatement p = c.prepareStatement("SELECT reltuples FROM pg_class WHERE oid = to_regclass(?)")) {
                p.setString(1, table);
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) threshold.put(collectionId, Math.max(MIN_CHANGES, (long) rs.getDouble(1) / 10));
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("ANALYZE of collection {} failed: {}", collectionId, e.getMessage());
        } finally {
            running.remove(collectionId);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
