package dev.nanodb.store.postgres;

import static dev.nanodb.store.postgres.ChangeLogTestSupport.await;
import static dev.nanodb.store.postgres.ChangeLogTestSupport.commit;
import static dev.nanodb.store.postgres.ChangeLogTestSupport.listenerPid;
import static dev.nanodb.store.postgres.ChangeLogTestSupport.row;
import static dev.nanodb.store.postgres.ChangeLogTestSupport.waitingForAdvisoryLock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.json.Json;
import dev.nanodb.store.Change;
import dev.nanodb.testing.PgTestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The change log against a real PostgreSQL: two logs on one schema stand for two nodes sharing a database.
 * Each test uses its own schema (as each store would), in one fresh database per run.
 */
class ChangeLogTest {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static PgTestDatabase db;

    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void createDatabase() {
        db = PgTestDatabase.create("changelog");
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    @Test
    void twoNodesReceiveEveryRowOfConcurrentWritersOnceAndInTheSameOrder() throws Exception {
        String schema = newSchema();
        ChangeLog a = log(schema, "node-a");
        ChangeLog b = log(schema, "node-b");
        Collector seenByA = new Collector();
        Collector seenByB = new Collector();
        a.start(a.latestSeq(), seenByA);
        b.start(b.latestSeq(), seenByB);

        int writersPerNode = 2;
        int txPerWriter = 60;
        ExecutorService pool = Executors.newFixedThreadPool(2 * writersPerNode);
        List<Future<Integer>> writers = new ArrayList<>();
        for (String node : List.of("a", "b")) {
            ChangeLog nodeLog = node.equals("a") ? a : b;
            for (int w = 0; w < writersPerNode; w++) {
                String writer = node + w;
                writers.add(pool.submit(() -> {
                    int rows = 0;
                    try (Connection c = connect()) {
                        for (int t = 0; t < txPerWriter; t++) {
                            List<ChangeLog.Row> tx = new ArrayList<>();
                            for (int k = 0; k <= t % 3; k++) {
                                tx.add(row(writer + "-" + t + "-" + k, "{\"n\":" + t + "}"));
                            }
                            commit(nodeLog, c, node, tx);
                            rows += tx.size();
                        }
                    }
                    return rows;
                }));
            }
        }
        int total = 0;
        for (Future<Integer> f : writers) {
            total += f.get();
        }
        pool.shutdown();
        int expected = total;
        await(() -> seenByA.rowCount() >= expected && seenByB.rowCount() >= expected, "both nodes got every row");

        List<ChangeLog.Row> rowsA = seenByA.rows();
        List<ChangeLog.Row> rowsB = seenByB.rows();
        assertThat(rowsA).hasSize(expected).isEqualTo(rowsB);
        assertThat(rowsA).extracting(ChangeLog.Row::recordId).doesNotHaveDuplicates();
        Collector.assertInSeqOrderOneTransactionPerBatch(seenByA.batches());
        assertThat(seenByA.batches()).isEqualTo(seenByB.batches());
        // each writer's transactions arrive in the order it committed them, whole
        for (List<ChangeLog.Row> batch : seenByA.batches()) {
            String tx = prefix(batch.get(0).recordId());
            assertThat(batch).allSatisfy(r -> assertThat(prefix(r.recordId())).isEqualTo(tx));
            int t = Integer.parseInt(tx.substring(tx.indexOf('-') + 1));
            assertThat(batch).hasSize(t % 3 + 1);
        }
        for (String writer : List.of("a0", "a1", "b0", "b1")) {
            List<String> ids = rowsA.stream().map(ChangeLog.Row::recordId).filter(id -> id.startsWith(writer + "-"))
                    .toList();
            List<String> inCommitOrder = new ArrayList<>();
            for (int t = 0; t < txPerWriter; t++) {
                for (int k = 0; k <= t % 3; k++) {
                    inCommitOrder.add(writer + "-" + t + "-" + k);
                }
            }
            assertThat(ids).isEqualTo(inCommitOrder);
        }
        assertThat(rowsA).allSatisfy(r -> assertThat(r.node()).isEqualTo(r.recordId().substring(0, 1)));
        assertThat(a.lastDeliveredSeq()).isEqualTo(rowsA.get(rowsA.size() - 1).seq());
    }

    /**
     * The ordering invariant itself: a second writer cannot draw a seq while the first is uncommitted, so a
     * reader can never see a later seq before an earlier one commits.
     */
    @Test
    void aSecondAppendWaitsForTheFirstToCommitSoSeqOrderIsCommitOrder() throws Exception {
        String schema = newSchema();
        ChangeLog log = log(schema, "order");
        Collector seen = new Collector();
        log.start(log.latestSeq(), seen);
        try (Connection first = connect(); Connection second = connect(); Connection probe = connect()) {
            first.setAutoCommit(false);
            log.append(first, "a", List.of(row("first", "{}")));
            CompletableFuture<Void> secondWriter = CompletableFuture.runAsync(() -> {
                try {
                    commit(log, second, "b", List.of(row("second", "{}")));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            await(() -> waitingForAdvisoryLock(probe) == 1, "the second append waits for the lock");
            assertThat(secondWriter).isNotDone();
            first.commit();
            secondWriter.get();
        }
        await(() -> seen.rowCount() >= 2, "both rows arrived");
        assertThat(seen.rows()).extracting(ChangeLog.Row::recordId).containsExactly("first", "second");
        Collector.assertInSeqOrderOneTransactionPerBatch(seen.batches());
    }

    @Test
    void aHundredKilobyteRecordArrivesWhole() throws Exception {
        String schema = newSchema();
        ChangeLog log = log(schema, "large");
        Collector seen = new Collector();
        log.start(log.latestSeq(), seen);
        String json = "{\"id\":\"big\",\"text\":\"" + "x".repeat(100 * 1024) + "\",\"n\":1}";
        try (Connection c = connect()) {
            commit(log, c, "a", List.of(ChangeLog.Row.of(Change.Action.DELETE, "c1", "posts", "big", 7, json)));
        }
        await(() -> seen.rowCount() == 1, "the large record arrived");
        ChangeLog.Row got = seen.rows().get(0);
        assertThat(got.action()).isEqualTo(Change.Action.DELETE);
        assertThat(got.version()).isEqualTo(7);
        assertThat(Json.parseObject(got.recordJson().getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Json.parseObject(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** A listener that starts behind catches up through a cursor, yet never splits a transaction. */
    @Test
    void aListenerStartingBehindCatchesUpWithTransactionsLargerThanOneFetch() throws Exception {
        String schema = newSchema();
        ChangeLog log = log(schema, "behind");
        int perTx = ChangeLogListener.FETCH * 2 + 7;
        try (Connection c = connect()) {
            for (int t = 0; t < 3; t++) {
                List<ChangeLog.Row> tx = new ArrayList<>();
                for (int k = 0; k < perTx; k++) {
                    tx.add(row(t + "-" + k, "{}"));
                }
                commit(log, c, "a", tx);
            }
        }
        Collector seen = new Collector();
        log.start(0, seen);
        await(() -> seen.rowCount() >= 3 * perTx, "the whole backlog arrived");
        assertThat(seen.batches()).hasSize(3).allSatisfy(batch -> assertThat(batch).hasSize(perTx));
        Collector.assertInSeqOrderOneTransactionPerBatch(seen.batches());
        assertThat(log.lastDeliveredSeq()).isEqualTo(log.latestSeq());
    }

    @Test
    void afterItsConnectionIsKilledTheListenerCatchesUpWithoutLossOrRepeats() throws Exception {
        String schema = newSchema();
        String appName = "nanodb-changelog-test-" + schema;
        ChangeLog log = log(schema, appName);
        Collector seen = new Collector();
        log.start(log.latestSeq(), seen);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger written = new AtomicInteger();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (Connection c = connect()) {
                for (int t = 0; !stop.get() || t < 50; t++) {
                    commit(log, c, "w", List.of(row("r" + t, "{\"t\":" + t + "}")));
                    written.incrementAndGet();
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        try (Connection admin = connect()) {
            int previousPid = -1;
            for (int kill = 1; kill <= 3; kill++) {
                int[] pid = {-1};
                int notPid = previousPid;
                await(() -> (pid[0] = listenerPid(admin, appName)) > 0 && pid[0] != notPid, "listener connected");
                int before = seen.rowCount();
                await(() -> seen.rowCount() > before, "rows flow before kill " + kill);
                try (Statement s = admin.createStatement()) {
                    s.execute("SELECT pg_terminate_backend(" + pid[0] + ")");
                }
                int killed = kill;
                await(() -> log.reconnects() >= killed, "reconnect after kill " + kill);
                previousPid = pid[0];
            }
        }
        stop.set(true);
        writer.get();
        int total = written.get();
        await(() -> seen.rowCount() >= total, "every row arrived after the reconnects");
        List<String> ids = seen.rows().stream().map(ChangeLog.Row::recordId).toList();
        assertThat(ids).hasSize(total);
        for (int t = 0; t < total; t++) {
            assertThat(ids.get(t)).isEqualTo("r" + t);
        }
        Collector.assertInSeqOrderOneTransactionPerBatch(seen.batches());
    }

    @Test
    void aRolledBackTransactionsRowsNeverArrive() throws Exception {
        String schema = newSchema();
        ChangeLog log = log(schema, "rollback");
        Collector seen = new Collector();
        log.start(log.latestSeq(), seen);
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            log.append(c, "a", List.of(row("rolled-back", "{}")));
            c.rollback();
            commit(log, c, "a", List.of(row("committed", "{}")));
        }
        // delivery is in seq order and the rolled-back row had the smaller seq: had it been delivered, it would be now
        await(() -> seen.rowCount() >= 1, "the committed row arrived");
        assertThat(seen.rows()).extracting(ChangeLog.Row::recordId).containsExactly("committed");
    }

    @Test
    void anotherSchemasChangesStayInTheirOwnLog() throws Exception {
        ChangeLog mine = log(newSchema(), "mine");
        ChangeLog other = log(newSchema(), "other");
        assertThat(mine.channel()).isNotEqualTo(other.channel()).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9_]+");
        assertThat(ChangeLog.lockKeyFor(mine.schema())).isNotEqualTo(ChangeLog.lockKeyFor(other.schema()));
        Collector seen = new Collector();
        mine.start(mine.latestSeq(), seen);
        try (Connection c = connect()) {
            commit(other, c, "a", List.of(row("elsewhere", "{}")));
            commit(mine, c, "a", List.of(row("here", "{}")));
        }
        await(() -> seen.rowCount() >= 1, "own row arrived");
        assertThat(seen.rows()).extracting(ChangeLog.Row::recordId).containsExactly("here");
    }

    @Test
    void pruneDeletesOnlyRowsOlderThanTheKeepAge() throws Exception {
        String schema = newSchema();
        ChangeLog log = log(schema, "prune");
        try (Connection c = connect()) {
            for (int t = 0; t < 4; t++) {
                commit(log, c, "a", List.of(row("r" + t, "{}")));
            }
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("UPDATE " + ChangeLog.quote(schema) + ".nanodb_changes SET at = now() - interval '2 hours'"
                        + " WHERE record_id IN ('r0', 'r1')");
            }
            assertThat(log.prune(Duration.ofHours(1))).isEqualTo(2);
            assertThat(log.prune(Duration.ofHours(1))).isZero();
            assertThat(ChangeLog.read(c, ChangeLog.quote(schema) + ".nanodb_changes", 0, 100))
                    .extracting(ChangeLog.Row::recordId).containsExactly("r2", "r3");
        }
    }

    /** A listener that had not read what was pruned is told so (once); one starting at the latest seq is not. */
    @Test
    void aListenerBehindAPruneReportsTheGapAndGoesOn() throws Exception {
        String schema = newSchema();
        ChangeLog writer = log(schema, "pruned-writer");
        long prunedThrough;
        try (Connection c = connect()) {
            for (int t = 0; t < 3; t++) {
                commit(writer, c, "a", List.of(row("r" + t, "{}")));
            }
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("UPDATE " + ChangeLog.quote(schema) + ".nanodb_changes SET at = now() - interval '2 hours'"
                        + " WHERE record_id IN ('r0', 'r1')");
            }
            prunedThrough = ChangeLog.read(c, ChangeLog.quote(schema) + ".nanodb_changes", 0, 2).get(1).seq();
        }
        assertThat(writer.prune(Duration.ofHours(1))).isEqualTo(2);

        ChangeLog behind = log(schema, "behind-prune");
        Collector seen = new Collector();
        List<Long> gaps = new CopyOnWriteArrayList<>();
        behind.start(0, seen, gaps::add);
        await(() -> seen.rowCount() >= 1, "the surviving row arrived");
        assertThat(gaps).containsExactly(prunedThrough);
        assertThat(seen.rows()).extracting(ChangeLog.Row::recordId).containsExactly("r2");

        assertThat(writer.prune(Duration.ZERO)).isEqualTo(1); // empties the log
        ChangeLog fresh = log(schema, "after-prune");
        List<Long> freshGaps = new CopyOnWriteArrayList<>();
        Collector freshSeen = new Collector();
        fresh.start(fresh.latestSeq(), freshSeen, freshGaps::add);
        try (Connection c = connect()) {
            commit(writer, c, "a", List.of(row("r3", "{}")));
        }
        await(() -> freshSeen.rowCount() >= 1 && seen.rowCount() >= 2, "the next row arrived on both");
        assertThat(freshGaps).isEmpty();
        assertThat(freshSeen.rows()).extracting(ChangeLog.Row::recordId).containsExactly("r3");
        assertThat(gaps).as("reported once").containsExactly(prunedThrough);
    }

    // --- plumbing -------------------------------------------------------------------------------------------

    private String newSchema() throws SQLException {
        String schema = "cl_" + SCHEMAS.incrementAndGet();
        try (Connection c = connect()) {
            ChangeLog.createTable(c, schema);
            ChangeLog.createTable(c, schema); // idempotent
        }
        return schema;
    }

    private ChangeLog log(String schema, String applicationName) {
        ChangeLog log = new ChangeLog(db.dataSource(), schema, () -> db.connect(applicationName));
        open.add(log);
        return log;
    }

    private static Connection connect() throws SQLException {
        return db.connect(null);
    }

    /** "a0-12-1" → "a0-12": the writer and its transaction number. */
    private static String prefix(String recordId) {
        return recordId.substring(0, recordId.lastIndexOf('-'));
    }
}
