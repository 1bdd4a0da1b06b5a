package dev.nanodb.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanodb.store.Nodes;
import dev.nanodb.testing.PgTestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two stores on one schema stand for two nodes joining ({@link Nodes}): each sees the other live, a refused join
 * registers nothing, two joins at the same moment are judged one after the other, and neither a clean stop nor an
 * entry silent for longer than {@link Nodes#SILENCE} stands in a new node's way.
 */
class PgNodesTest {
    private static final Nodes.Admission ANYONE = others -> null;
    private static final Nodes.Admission ALONE = others -> others.isEmpty() ? null : "not alone: " + others.size();

    private String schema;
    private PostgresStore a;
    private PostgresStore b;

    @BeforeEach
    void open() {
        PgTestDatabase.assumeAvailable();
        schema = PgTestDatabase.freshSchema();
        a = new PostgresStore(PgTestDatabase.url(), schema, 1);
        b = new PostgresStore(PgTestDatabase.url(), schema, 1);
    }

    @AfterEach
    void close() {
        if (a != null) a.close();
        if (b != null) b.close();
    }

    @Test
    void aJoiningNodeIsJudgedOnTheLiveOthersAndARefusalRegistersNothing() throws Exception {
        a.join("bucket one", ANYONE);
        List<Nodes.Node> seen = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> b.join("own disk", others -> {
            seen.addAll(others);
            return "refused: " + others.get(0).storage();
        })).isInstanceOf(Nodes.Refused.class).hasMessage("refused: bucket one");
        assertThat(seen).singleElement().satisfies(n -> {
            assertThat(n.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(n.silent()).isLessThan(Nodes.SILENCE);
            assertThat(n.host()).isNotBlank();
        });
        assertThat(entries()).isEqualTo(1);
        b.join("bucket one", ANYONE);
        assertThat(entries()).isEqualTo(2);
    }

    /**
     * Ten rounds of both stores joining at once with an admission that takes 100 ms and admits only a node alone:
     * one join per round succeeds, so the second was judged after the first registered.
     */
    @Test
    void twoNodesJoiningTogetherAreJudgedOneAfterTheOther() throws Exception {
        Nodes.Admission slowAlone = others -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ALONE.refusal(others);
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Nodes.Membership>> joins = List.of(a, b).stream().map(store -> pool.submit(() -> {
                    go.await();
                    try {
                        return store.join("own disk", slowAlone);
                    } catch (Nodes.Refused e) {
                        return null;
                    }
                })).toList();
                go.countDown();
                List<Nodes.Membership> admitted = new java.util.ArrayList<>();
                for (Future<Nodes.Membership> f : joins) {
                    Nodes.Membership m = f.get(30, TimeUnit.SECONDS);
                    if (m != null) admitted.add(m);
                }
                assertThat(admitted).as("round %d", round).hasSize(1);
                assertThat(entries()).isEqualTo(1);
                admitted.get(0).close();
                assertThat(entries()).as("a clean stop removes the entry").isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void neitherAStoppedStoreNorASilentEntryBlocksANewNode() throws Exception {
        a.join("own disk", ALONE);
        a.close();
        a = null;
        assertThat(entries()).as("closing the store ended its membership").isZero();

        b.join("own disk", ALONE);
        execute("UPDATE " + schema + ".nanodb_nodes SET last_seen = now() - interval '" + (Nodes.SILENCE.toSeconds() + 1)
                + " seconds'");
        try (PostgresStore c = new PostgresStore(PgTestDatabase.url(), schema, 1)) {
            c.join("own disk", ALONE);
            assertThat(entries()).as("the silent entry was removed, the new node's added").isEqualTo(1);
        }
    }

    private int entries() throws SQLException {
        try (Connection c = admin(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + schema + ".nanodb_nodes")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static Connection admin() throws SQLException {
        DatabaseUrl url = PgTestDatabase.url();
        return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
    }
}
