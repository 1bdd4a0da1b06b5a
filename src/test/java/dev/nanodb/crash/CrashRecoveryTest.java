package dev.nanodb.crash;

import static dev.nanodb.crash.CrashLoad.RECORDS;
import static dev.nanodb.crash.CrashLoad.fields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.crash.CrashLoad.Tracked;
import dev.nanodb.testing.ChildServer;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a server with SIGKILL in the middle of concurrent creates, updates and deletes ({@link CrashLoad}),
 * restarts it on the same store, and holds what it finds against what each client was told: an acknowledged
 * delete stays deleted; an acknowledged record is there with its acknowledged values and version, or with those
 * of the one update in flight (version + 1), or gone only if its delete was in flight; an unacknowledged create
 * is absent or there as sent; nothing nobody sent appears; no unique value is held twice; totals read through
 * the indexes and the per-value counters equal counting the listed records; and the consistency checker (over
 * HTTP while running, and {@code nanodb check} once stopped) reports nothing. The server starts with a 1 MB map,
 * and the kill waits until the map grew.
 *
 * <p>{@code -Dcrash.rounds=N} sets the number of rounds (default 3), {@code -Dcrash.seed=S} replays a run.
 */
class CrashRecoveryTest {
    @TempDir
    Path work;

    record RoundResult(int round, long killAfterMs, int ackedCreates, int ackedPatches, int ackedDeletes,
                       int inFlight, int inFlightApplied, long records, long checkedIndexEntries, long dataFileBytes,
                       long millis) {}

    /** How many requests were in flight at the kill, and how many of them are found applied. */
    record InFlight(int sent, int applied) {}

    @Test
    void acknowledgedWritesAndDeletesSurviveSigkill() throws Exception {
        ChildServer.classpath(); // snapshot the classes before anything else can rebuild them
        int rounds = Integer.getInteger("crash.rounds", 3);
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("CRASH seed " + seed + ", " + rounds + " rounds");
        Random rnd = new Random(seed);
        List<RoundResult> results = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            RoundResult r = round(round, new Random(rnd.nextLong()));
            results.add(r);
            System.out.println("CRASH " + r);
        }
        assertThat(results).hasSize(rounds).allSatisfy(r -> {
            assertThat(r.ackedCreates()).isPositive();
            assertThat(r.ackedDeletes()).isPositive();
        });
        // the map started at 1 MB: a larger data file means it grew under the load
        assertThat(results).allSatisfy(r -> assertThat(r.dataFileBytes()).isGreaterThan(1 << 20));
        System.out.printf("CRASH summary: %d rounds, %d acknowledged creates, %d updates, %d deletes, all as acknowledged%n",
                rounds, results.stream().mapToInt(RoundResult::ackedCreates).sum(),
                results.stream().mapToInt(RoundResult::ackedPatches).sum(),
                results.stream().mapToInt(RoundResult::ackedDeletes).sum());
    }

    private RoundResult round(int round, Random rnd) throws Exception {
        long started = System.nanoTime();
        Path dir = Files.createDirectories(work.resolve("round-" + round));
        Path data = dir.resolve("data");
        long killAfter = 300 + rnd.nextInt(1201);
        ChildServer server = ChildServer.start(dir, data, "first");
        CrashLoad load = new CrashLoad(server, "r" + round, rnd.nextLong());
        try {
            server.ok("POST", "/api/collections", CrashLoad.DEFINITION);
            load.start();
            busy(load, data.resolve("data.mdb"));
            Thread.sleep(killAfter);
            load.killing();
            server.kill();
            load.stopAndJoin();
        } finally {
            server.ensureDead();
        }
        assertThat(load.errors).as("failures while the server was up").isEmpty();
        long mapBytes = Files.size(data.resolve("data.mdb"));

        ChildServer again = ChildServer.start(dir, data, "second");
        long records;
        long entries;
        InFlight inFlight;
        try {
            Map<String, Map<String, Object>> stored = listAll(again);
            records = stored.size();
            inFlight = verify(stored, load.tracked);
            totals(again, stored.values());
            Map<String, Object> report = again.ok("GET", "/api/admin/consistency", null);
            assertThat(report.get("problems")).as("consistency problems").isEqualTo(List.of());
            assertThat(report.get("clean")).isEqualTo(true);
            assertThat(((Number) report.get("recordsChecked")).longValue()).isGreaterThanOrEqualTo(records);
            entries = ((Number) report.get("indexEntriesChecked")).longValue();
            int exit = again.stop();
            assertThat(exit).as("exit code after SIGTERM\n%s", again.logTail()).isZero();
        } finally {
            again.ensureDead();
        }
        runCheck(dir, data);
        return new RoundResult(round, killAfter, load.ackedCreates.get(), load.ackedPatches.get(),
                load.ackedDeletes.get(), inFlight.sent(), inFlight.applied(), records, entries, mapBytes,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /**
     * Waits until the clients had 300 creates acknowledged (the child JVM warmed up, so the kill lands in a busy
     * server) and the data file outgrew the 1 MB map the server started with.
     */
    private static void busy(CrashLoad load, Path lmdbFile) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (load.errors.isEmpty()) {
            if (load.ackedCreates.get() >= 300 && Files.size(lmdbFile) > 1 << 20) return;
            assertThat(System.nanoTime()).as("300 acknowledged creates and a grown map within 60 s: %d creates",
                    load.ackedCreates.get()).isLessThan(deadline);
            Thread.sleep(10);
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
            if (t.deleted) {
                assertThat(r).as("acknowledged delete of %s", t.id).isNull();
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
