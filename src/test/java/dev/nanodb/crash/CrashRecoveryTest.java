package dev.nanodb.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.json.Json;
import dev.nanodb.testing.ChildServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a server with SIGKILL in the middle of concurrent writes, restarts it, and checks that every write it
 * acknowledged with a 2xx is there with the acknowledged values, that nothing it never received appeared, and
 * that the consistency checker (over HTTP while running, and {@code nanodb check} once stopped) finds every
 * index in agreement with the records. The server starts with a 1 MB map, so the map grows during the load.
 *
 * <p>{@code -Dcrash.rounds=N} sets the number of rounds (default 3), {@code -Dcrash.seed=S} replays a run.
 */
class CrashRecoveryTest {
    private static final int CLIENTS = 32;
    private static final String C = "crash";
    private static final String RECORDS = "/api/collections/" + C + "/records";
    private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

    @TempDir
    Path work;

    /** What the clients know of one record: what was acknowledged, and what was sent without an answer. */
    static final class Tracked {
        final String id;
        volatile Map<String, Object> acked;
        volatile long ackedVersion;
        volatile Map<String, Object> pending;

        Tracked(String id, Map<String, Object> pending) {
            this.id = id;
            this.pending = pending;
        }
    }

    record RoundResult(int round, long killAfterMs, int ackedCreates, int ackedPatches, int inFlight, int presentUnacked,
                       long records, long checkedIndexEntries, long dataFileBytes) {}

    @Test
    void acknowledgedWritesSurviveSigkill() throws Exception {
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
        assertThat(results).hasSize(rounds).allSatisfy(r -> assertThat(r.ackedCreates()).isPositive());
        // the map started at 1 MB: a larger data file means it grew under the load
        assertThat(results).allSatisfy(r -> assertThat(r.dataFileBytes()).isGreaterThan(1 << 20));
        System.out.printf("CRASH summary: %d rounds, %d acknowledged creates, %d acknowledged patches, all present%n",
                rounds, results.stream().mapToInt(RoundResult::ackedCreates).sum(),
                results.stream().mapToInt(RoundResult::ackedPatches).sum());
    }

    private RoundResult round(int round, Random rnd) throws Exception {
        Path dir = Files.createDirectories(work.resolve("round-" + round));
        Path data = dir.resolve("data");
        Map<String, Tracked> tracked = new ConcurrentHashMap<>();
        List<String> errors = new CopyOnWriteArrayList<>();
        AtomicInteger ackedCreates = new AtomicInteger();
        AtomicInteger ackedPatches = new AtomicInteger();
        long killAfter = 300 + rnd.nextInt(1201);

        ChildServer server = ChildServer.start(dir, data, "first");
        try {
            server.ok("POST", "/api/collections", """
                    {"name":"crash","type":"base","listRule":"","viewRule":"","createRule":"","updateRule":"","deleteRule":"",
                     "fields":[{"name":"n","type":"number","indexed":true},{"name":"tag","type":"text","unique":true},
                               {"name":"body","type":"text"}]}""");
            Load load = new Load(server, tracked, errors, ackedCreates, ackedPatches, round, rnd.nextLong());
            load.start();
            // let the freshly started JVM warm up a little, so that the kill lands in a busy server
            long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (ackedCreates.get() < 300 && System.nanoTime() < warm && errors.isEmpty()) Thread.sleep(10);
            Thread.sleep(killAfter);
            load.killing = true; // failures from here on are the kill's doing; the clients keep sending
            server.kill();
            load.stopped = true;
            load.stopAndJoin();
        } finally {
            server.ensureDead();
        }
        assertThat(errors).as("failures while the server was up").isEmpty();
        assertThat(ackedCreates.get()).as("acknowledged creates in %d ms", killAfter).isPositive();
        long mapBytes = Files.size(data.resolve("data.mdb"));

        ChildServer again = ChildServer.start(dir, data, "second");
        long records;
        long entries;
        int inFlight = 0;
        int presentUnacked = 0;
        try {
            Map<String, Map<String, Object>> stored = listAll(again);
            records = stored.size();
            Set<String> tags = new HashSet<>();
            for (Map<String, Object> r : stored.values()) {
                assertThat(tracked).as("a record nobody sent: %s", r).containsKey((String) r.get("id"));
                assertThat(tags.add((String) r.get("tag"))).as("unique tag %s", r.get("tag")).isTrue();
            }
            for (Tracked t : tracked.values()) {
                Map<String, Object> r = stored.get(t.id);
                if (t.pending != null) inFlight++;
                if (t.acked == null) {
                    if (r != null) {
                        presentUnacked++;
                        assertThat(fields(r)).as("unacknowledged create %s", t.id).isEqualTo(t.pending);
                    }
                    continue;
                }
                assertThat(r).as("acknowledged record %s is present", t.id).isNotNull();
                long version = ((Number) r.get("_version")).longValue();
                if (version == t.ackedVersion) {
                    assertThat(fields(r)).as("acknowledged values of %s", t.id).isEqualTo(t.acked);
                } else {
                    assertThat(t.pending).as("%s has version %d, acknowledged %d, nothing in flight", t.id, version,
                            t.ackedVersion).isNotNull();
                    assertThat(version).isEqualTo(t.ackedVersion + 1);
                    assertThat(fields(r)).as("in-flight update of %s", t.id).isEqualTo(t.pending);
                }
            }
            long nonNegative = stored.values().stream().filter(r -> ((Number) r.get("n")).longValue() >= 0).count();
            Map<String, Object> viaIndex = again.ok("GET", RECORDS + "?perPage=1&filter=n%20%3E%3D%200", null);
            assertThat(((Number) viaIndex.get("totalItems")).longValue()).isEqualTo(nonNegative);
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
        return new RoundResult(round, killAfter, ackedCreates.get(), ackedPatches.get(), inFlight, presentUnacked,
                records, entries, mapBytes);
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

    private static Map<String, Object> fields(Map<String, Object> r) {
        Map<String, Object> f = new HashMap<>();
        for (String k : List.of("n", "tag", "body")) f.put(k, r.get(k));
        return f;
    }

    /** The concurrent clients: creates with client-chosen ids and unique tags, and updates of acknowledged records. */
    private static final class Load {
        final ChildServer server;
        final Map<String, Tracked> tracked;
        final List<String> errors;
        final AtomicInteger ackedCreates;
        final AtomicInteger ackedPatches;
        final int round;
        final long seed;
        final List<Thread> threads = new ArrayList<>();
        volatile boolean killing;
        volatile boolean stopped;

        Load(ChildServer server, Map<String, Tracked> tracked, List<String> errors, AtomicInteger ackedCreates,
             AtomicInteger ackedPatches, int round, long seed) {
            this.server = server;
            this.tracked = tracked;
            this.errors = errors;
            this.ackedCreates = ackedCreates;
            this.ackedPatches = ackedPatches;
            this.round = round;
            this.seed = seed;
        }

        void start() {
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                threads.add(Thread.ofPlatform().name("crash-client-" + c).start(() -> run(client)));
            }
        }

        void stopAndJoin() throws InterruptedException {
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(60));
                assertThat(t.isAlive()).as("client %s stopped", t.getName()).isFalse();
            }
        }

        private void run(int client) {
            Random rnd = new Random(seed + client);
            List<Tracked> mine = new ArrayList<>();
            for (int k = 0; !stopped; k++) {
                try {
                    if (!mine.isEmpty() && rnd.nextInt(5) == 0) {
                        patch(mine.get(rnd.nextInt(mine.size())), rnd);
                    } else {
                        Tracked t = create("r" + round + "-c" + client + "-" + k, rnd);
                        if (t != null) mine.add(t);
                    }
                } catch (IOException | RuntimeException e) {
                    if (!killing) errors.add("client " + client + ": " + e);
                    return;
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private Tracked create(String tag, Random rnd) throws IOException, InterruptedException {
            char[] id = new char[15];
            for (int i = 0; i < id.length; i++) id[i] = ALPHABET.charAt(rnd.nextInt(ALPHABET.length()));
            Map<String, Object> values = values(tag, rnd);
            Tracked t = new Tracked(new String(id), values);
            tracked.put(t.id, t);
            Map<String, Object> body = new LinkedHashMap<>(values);
            body.put("id", t.id);
            Map<String, Object> answer = answer(server.send("POST", RECORDS, json(body)));
            if (answer == null) return null;
            check(answer.get("id").equals(t.id) && fields(answer).equals(values), "create answered " + answer);
            t.ackedVersion = ((Number) answer.get("_version")).longValue();
            t.acked = values;
            t.pending = null;
            ackedCreates.incrementAndGet();
            return t;
        }

        private void patch(Tracked t, Random rnd) throws IOException, InterruptedException {
            Map<String, Object> values = values((String) t.acked.get("tag"), rnd);
            t.pending = values;
            Map<String, Object> change = new LinkedHashMap<>(values);
            change.remove("tag");
            Map<String, Object> answer = answer(server.send("PATCH", RECORDS + "/" + t.id, json(change)));
            if (answer == null) return;
            long version = ((Number) answer.get("_version")).longValue();
            check(version == t.ackedVersion + 1 && fields(answer).equals(values), "update answered " + answer);
            t.acked = values;
            t.ackedVersion = version;
            t.pending = null;
            ackedPatches.incrementAndGet();
        }

        /** The JSON of a 2xx answer; null (and an error unless the server is being killed) otherwise. */
        private Map<String, Object> answer(HttpResponse<String> r) {
            if (r.statusCode() / 100 == 2) return Json.parseObject(r.body().getBytes(StandardCharsets.UTF_8));
            if (!killing) errors.add("HTTP " + r.statusCode() + ": " + r.body());
            return null;
        }

        private void check(boolean ok, String what) {
            if (!ok) errors.add(what);
        }

        private static Map<String, Object> values(String tag, Random rnd) {
            char[] body = new char[500 + rnd.nextInt(3000)];
            for (int i = 0; i < body.length; i++) body[i] = (char) ('a' + rnd.nextInt(26));
            Map<String, Object> v = new HashMap<>();
            v.put("n", (long) rnd.nextInt(2001) - 1000);
            v.put("tag", tag);
            v.put("body", new String(body));
            return v;
        }

        private static String json(Map<String, Object> m) {
            return new String(Json.write(m), StandardCharsets.UTF_8);
        }
    }
}
