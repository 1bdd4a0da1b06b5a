package dev.nanodb.crash;

import static dev.nanodb.crash.CrashLoad.RECORDS;
import static dev.nanodb.crash.CrashLoad.fields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.crash.CrashLoad.Tracked;
import dev.nanodb.testing.ChildServer;
import dev.nanodb.testing.PgTestDatabase;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * Kills a server with SIGKILL in the middle of concurrent creates, updates and deletes ({@link CrashLoad}),
 * restarts it on the same store, and holds what it finds against what each client was told: a deleted record
 * (delete acknowledged, or found absent after an earlier kill) stays deleted; an acknowledged record is there
 * with its acknowledged values and version, or with those of the one update in flight (version + 1), or gone
 * only if its delete was in flight; an unacknowledged create is absent or there as sent; nothing nobody sent
 * appears; no unique value is held twice; totals read through the indexes and the per-value counts equal
 * counting the listed records; and the consistency checker reports nothing. So a server that answers a write
 * before committing it fails when a kill lands in that window, and one that loses or half-applies a committed
 * write on restart fails always. A SIGKILL leaves what the process handed to the kernel in the page cache: a
 * missing fsync (power loss) is beyond this test.
 *
 * <p>Each backend runs {@code crash.rounds} rounds on one store: every round loads and kills the server that the
 * previous round restarted, so later rounds crash a store that already recovered once and re-check all earlier
 * records (one child JVM start per round, which is most of a round's time). The last server must stop on SIGTERM
 * with exit code 0. LMDB starts with a 1 MB map and the first kill waits until it grew; its folder is then
 * checked offline with {@code nanodb check}. PostgreSQL ({@code DATABASE_URL}) gets a fresh database, dropped
 * afterwards: the kill abandons transactions and pooled connections, and the consistency check covers rows,
 * indexes, unique values and the counts that the list rule's {@code grp} equality makes the store keep (also
 * summed past the server at the end). Without a PostgreSQL server at 127.0.0.1:5432 that test is skipped with a
 * message, and fails under {@code NANODB_REQUIRE_POSTGRES=1} (CI).
 *
 * <p>{@code -Dcrash.rounds=N} sets the rounds per backend (default 3); {@code -Dcrash.seed=S} replays the load's
 * choices of a run from the seed it printed (the kill's timing against the server stays the machine's). Maven
 * passes both to the test JVM: {@code mvn verify -Dtest=CrashRecoveryTest -Dcrash.rounds=20}.
 */
class CrashRecoveryTest {
    @TempDir
    Path work;

    enum Backend { LMDB, POSTGRES }

    record RoundResult(Backend backend, int round, long killAfterMs, int ackedCreates, int ackedPatches, int ackedDeletes,
                       int inFlight, int inFlightApplied, long records, long checkedIndexEntries, long dataFileBytes,
                       long millis) {}

    /** How many requests were in flight at the kill, and how many of them are found applied. */
    record InFlight(int sent, int applied) {}

    @Test
    void lmdbKeepsEveryAcknowledgedWriteAndDeleteThroughSigkill() throws Exception {
        Path dir = Files.createDirectories(work.resolve("lmdb"));
        Path data = dir.resolve("data");
        List<RoundResult> results = rounds(Backend.LMDB, dir, data, Map.of());
        assertThat(results.get(0).dataFileBytes()).as("data file after the first kill").isGreaterThan(1 << 20);
        runCheck(dir, data);
    }

    @Test
    void postgresKeepsEveryAcknowledgedWriteAndDeleteThroughSigkill() throws Exception {
        try (PgTestDatabase db = database()) {
            Path dir = Files.createDirectories(work.resolve("postgres"));
            String url = "postgres://postgres@" + db.jdbcUrl().substring("jdbc:postgresql://".length());
            List<RoundResult> results = rounds(Backend.POSTGRES, dir, dir.resolve("data"), Map.of("DATABASE_URL", url));
            assertThat(countedGroups(db)).as("PostgreSQL's stored counts of grp, summed")
                    .isEqualTo(results.get(results.size() - 1).records());
        }
    }

    /**
     * Starts a server on a fresh store, then per round runs the load, kills the server, starts it again and checks
     * it; the next round loads and kills that restarted server. Ends with a SIGTERM, which must exit with 0.
     */
    private List<RoundResult> rounds(Backend backend, Path dir, Path data, Map<String, String> env) throws Exception {
        ChildServer.classpath(); // snapshot the classes before anything else can rebuild them
        int rounds = Integer.getInteger("crash.rounds", 3);
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("CRASH " + backend + " seed " + seed + ", " + rounds + " rounds");
        Random rnd = new Random(seed);
        Map<String, Tracked> tracked = new ConcurrentHashMap<>();
        List<RoundResult> results = new ArrayList<>();
        ChildServer server = ChildServer.start(dir, data, "start", env);
        try {
            server.ok("POST", "/api/collections", CrashLoad.DEFINITION);
            for (int round = 1; round <= rounds; round++) {
                long started = System.nanoTime();
                Random r = new Random(rnd.nextLong());
                long killAfter = 300 + r.nextInt(1201);
                CrashLoad load = new CrashLoad(server, tracked, "r" + round, r.nextLong());
                try {
                    load.start();
                    busy(load, backend == Backend.LMDB ? data.resolve("data.mdb") : null);
                    Thread.sleep(killAfter);
                    load.killing();
                    server.kill();
                    load.stopAndJoin();
                } finally {
                    server.ensureDead();
                }
                assertThat(load.errors).as("failures while the server was up (round %d)", round).isEmpty();
                long dataFile = backend == Backend.LMDB ? Files.size(data.resolve("data.mdb")) : 0;
                server = ChildServer.start(dir, data, "restart-" + round, env);
                Map<String, Map<String, Object>> stored = listAll(server);
                InFlight inFlight = verify(stored, tracked);
                settle(stored, tracked);
                totals(server, stored.values());
                long entries = consistent(server, stored.size());
                RoundResult result = new RoundResult(backend, round, killAfter, load.ackedCreates.get(),
                        load.ackedPatches.get(), load.ackedDeletes.get(), inFlight.sent(), inFlight.applied(),
                        stored.size(), entries, dataFile, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                results.add(result);
                System.out.println("CRASH " + result);
            }
            assertThat(server.stop()).as("exit code after SIGTERM\n%s", server.logTail()).isZero();
        } finally {
            server.ensureDead();
        }
        assertThat(results).hasSize(rounds).allSatisfy(r -> {
            assertThat(r.ackedCreates()).isPositive();
            assertThat(r.ackedDeletes()).isPositive();
        });
        System.out.printf("CRASH %s summary: %d rounds, %d acknowledged creates, %d updates, %d deletes, all as acknowledged%n",
                backend, rounds, results.stream().mapToInt(RoundResult::ackedCreates).sum(),
                results.stream().mapToInt(RoundResult::ackedPatches).sum(),
                results.stream().mapToInt(RoundResult::ackedDeletes).sum());
        return results;
    }

    /** The consistency check over HTTP finds nothing; returns the index entries it checked. */
    private static long consistent(ChildServer server, long records) {
        Map<String, Object> report = server.ok("GET", "/api/admin/consistency", null);
        assertThat(report.get("problems")).as("consistency problems").isEqualTo(List.of());
        assertThat(report.get("clean")).isEqualTo(true);
        assertThat(((Number) report.get("recordsChecked")).longValue()).isGreaterThanOrEqualTo(records);
        return ((Number) report.get("indexEntriesChecked")).longValue();
    }

    /**
     * Waits until the clients had 300 creates acknowledged (the child JVM warmed up, so the kill lands in a busy
     * server) and, on LMDB, the data file outgrew the 1 MB map the server started with.
     */
    private static void busy(CrashLoad load, Path lmdbFile) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (load.errors.isEmpty()) {
            if (load.ackedCreates.get() >= 300 && (lmdbFile == null || Files.size(lmdbFile) > 1 << 20)) return;
            assertThat(System.nanoTime()).as("300 acknowledged creates and a grown map within 60 s: %d creates",
                    load.ackedCreates.get()).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** A fresh database, or a skip that says so on the console (a failure under NANODB_REQUIRE_POSTGRES=1). */
    private static PgTestDatabase database() {
        try {
            return PgTestDatabase.create("crash");
        } catch (TestAbortedException e) {
            System.out.println("CRASH POSTGRES rounds SKIPPED: " + e.getMessage());
            throw e;
        }
    }

    /** Holds every stored record against the clients' model; see the class comment for the rules. */
    private static InFlight verify(Map<String, Map<String, Object>> stored, Map<String, Tracked> tracked) {
        Set<Object> tags = new HashSet<>();
        for (Map<String, Object> r : stored.values()) {
            assertThat(tracked).as("a record nobody sent: %s", r.get("id")).containsKey((String) r.get("id"));
            assertThat(tags.add(r.get("tag"))).as("unique tag %s held twice (a lost delete?)", r.get("tag")).isTrue();
        }
        int sent = 0;
        int applied = 0;
        for (Tracked t : tracked.values()) {
            Map<String, Object> r = stored.get(t.id);
            boolean inFlight = t.pending != null || t.deletePending;
            if (inFlight) sent++;
            if (t.gone) {
                assertThat(r).as("%s was deleted (acknowledged, or found absent after an earlier kill)", t.id).isNull();
                continue;
            }
            if (t.acked == null) {
                if (r == null) continue;
                applied++;
                assertThat(version(r)).as("version of the unacknowledged create %s", t.id).isEqualTo(1);
                assertThat(fields(r)).as("unacknowledged create %s", t.id).isEqualTo(t.pending);
                continue;
            }
            if (r == null) {
                assertThat(t.deletePending).as("acknowledged record %s is gone, and no delete of it was in flight", t.id)
                        .isTrue();
                applied++;
                continue;
            }
            long version = version(r);
            if (version == t.ackedVersion) {
                assertThat(fields(r)).as("acknowledged values of %s (version %d)", t.id, version).isEqualTo(t.acked);
            } else {
                assertThat(t.pending).as("%s has version %d, acknowledged %d, no update in flight", t.id, version,
                        t.ackedVersion).isNotNull();
                assertThat(version).as("version of %s after the update in flight", t.id).isEqualTo(t.ackedVersion + 1);
                assertThat(fields(r)).as("in-flight update of %s", t.id).isEqualTo(t.pending);
                applied++;
            }
        }
        return new InFlight(sent, applied);
    }

    /** Makes the model what the restarted server holds: nothing is in flight any more, and every doubt is resolved. */
    private static void settle(Map<String, Map<String, Object>> stored, Map<String, Tracked> tracked) {
        for (Tracked t : tracked.values()) {
            Map<String, Object> r = stored.get(t.id);
            t.pending = null;
            t.deletePending = false;
            t.gone = r == null;
            if (r != null) {
                t.acked = fields(r);
                t.ackedVersion = version(r);
            }
        }
    }

    /** Totals answered through the {@code n} index and through each {@code grp} value's count equal the listing's. */
    private static void totals(ChildServer s, Collection<Map<String, Object>> stored) {
        long nonNegative = stored.stream().filter(r -> ((Number) r.get("n")).longValue() >= 0).count();
        assertThat(total(s, "n >= 0")).as("total of n >= 0").isEqualTo(nonNegative);
        for (String g : CrashLoad.GROUPS) {
            long listed = stored.stream().filter(r -> g.equals(r.get("grp"))).count();
            assertThat(total(s, "grp = \"" + g + "\"")).as("total of grp = %s", g).isEqualTo(listed);
        }
    }

    private static long total(ChildServer s, String filter) {
        String q = RECORDS + "?perPage=1&filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20");
        return ((Number) s.ok("GET", q, null).get("totalItems")).longValue();
    }

    /**
     * The sum of PostgreSQL's stored counts of {@code grp}, read past the server: every record has a {@code grp},
     * so it must equal the records, and it shows that the consistency check's recount had counts to compare.
     */
    private static long countedGroups(PgTestDatabase db) throws SQLException {
        try (Connection c = db.connect("nanodb-crash-test"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(sum(n), 0) FROM nanodb_counts WHERE field = 'grp'")) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    private static long version(Map<String, Object> r) {
        return ((Number) r.get("_version")).longValue();
    }

    private static void runCheck(Path dir, Path data) throws IOException, InterruptedException {
        Path out = dir.resolve("check.log");
        Process check = ChildServer.java(dir, data, "check").redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(check.waitFor(120, TimeUnit.SECONDS)).as("nanodb check finishes").isTrue();
        String text = Files.readString(out);
        assertThat(check.exitValue()).as("nanodb check exit code; output:\n%s", text).isZero();
        assertThat(text.lines()).as(text).contains("consistent");
    }

    /** Every record of the collection, by id, read page by page. */
    private static Map<String, Map<String, Object>> listAll(ChildServer s) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        long total = -1;
        for (int page = 1; ; page++) {
            Map<String, Object> p = s.ok("GET", RECORDS + "?perPage=1000&page=" + page, null);
            total = ((Number) p.get("totalItems")).longValue();
            @SuppressWarnings("unchecked") List<Map<String, Object>> items = (List<Map<String, Object>>) p.get("items");
            for (Map<String, Object> r : items) assertThat(out.put((String) r.get("id"), r)).as("listed twice").isNull();
            if (items.size() < 1000) break;
        }
        assertThat(out).hasSize((int) total);
        return out;
    }
}
