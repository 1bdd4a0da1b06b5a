package dev.nanodb.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.json.Json;
import dev.nanodb.testing.ChildServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The concurrent clients of one crash round and the exact model of what they know. Each client creates records
 * with ids it chooses and unique tags, updates and deletes its own acknowledged records, and gives the tag of a
 * record whose delete was acknowledged to its next create, so a delete that left its unique entry behind is
 * answered 409 during the load and a lost delete shows as a duplicate tag after the crash. A client stops at its
 * first request without a 2xx answer: at most one request per client is ever pending, and the record it names
 * says which (create, update or delete).
 */
final class CrashLoad {
    static final String RECORDS = "/api/collections/crash/records";
    /** {@code grp} is compared for equality by the list rule: LMDB keeps value counters and PostgreSQL counts for it. */
    static final String DEFINITION = """
            {"name":"crash","type":"base","listRule":"grp = @request.auth.id","viewRule":"","createRule":"",
             "updateRule":"","deleteRule":"",
             "fields":[{"name":"n","type":"number","indexed":true},{"name":"tag","type":"text","unique":true},
                       {"name":"body","type":"text"},{"name":"grp","type":"text","indexed":true}]}""";
    static final List<String> FIELDS = List.of("n", "tag", "body", "grp");
    static final List<String> GROUPS = List.of("g0", "g1", "g2", "g3", "g4");
    private static final int CLIENTS = 32;
    private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

    /**
     * What the clients know of one record: the acknowledged values and version, the values of a create or update
     * sent without an answer, whether a delete was sent without an answer, and whether the record is known to be
     * gone (its delete was acknowledged, or a restart found it absent).
     */
    static final class Tracked {
        final String id;
        volatile Map<String, Object> acked;
        volatile long ackedVersion;
        volatile Map<String, Object> pending;
        volatile boolean deletePending;
        volatile boolean gone;

        Tracked(String id, Map<String, Object> pending) {
            this.id = id;
            this.pending = pending;
        }
    }

    final Map<String, Tracked> tracked;
    final List<String> errors = new CopyOnWriteArrayList<>();
    final AtomicInteger ackedCreates = new AtomicInteger();
    final AtomicInteger ackedPatches = new AtomicInteger();
    final AtomicInteger ackedDeletes = new AtomicInteger();
    private final ChildServer server;
    private final String prefix;
    private final long seed;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean killing;
    private volatile boolean stopped;

    /** Clients of {@code server} that add what they send to {@code tracked} (shared by the rounds on one store). */
    CrashLoad(ChildServer server, Map<String, Tracked> tracked, String prefix, long seed) {
        this.server = server;
        this.tracked = tracked;
        this.prefix = prefix;
        this.seed = seed;
    }

    void start() {
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            threads.add(Thread.ofPlatform().name("crash-client-" + c).start(() -> run(client)));
        }
    }

    /** From now on a failed request is the kill's doing, not an error. */
    void killing() {
        killing = true;
    }

    void stopAndJoin() throws InterruptedException {
        stopped = true;
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(t.isAlive()).as("client %s stopped", t.getName()).isFalse();
        }
    }

    static Map<String, Object> fields(Map<String, Object> r) {
        Map<String, Object> f = new HashMap<>();
        for (String k : FIELDS) f.put(k, r.get(k));
        return f;
    }

    private void run(int client) {
        Random rnd = new Random(seed + client);
        List<Tracked> mine = new ArrayList<>();
        Deque<String> freedTags = new ArrayDeque<>();
        for (int k = 0; !stopped; k++) {
            try {
                int dice = rnd.nextInt(20);
                if (!mine.isEmpty() && dice < 4) {
                    if (!patch(mine.get(rnd.nextInt(mine.size())), rnd)) return;
                } else if (!mine.isEmpty() && dice < 7) {
                    Tracked t = mine.remove(rnd.nextInt(mine.size()));
                    if (!delete(t)) return;
                    freedTags.add((String) t.acked.get("tag"));
                } else {
                    String tag = freedTags.isEmpty() ? prefix + "-c" + client + "-" + k : freedTags.poll();
                    Tracked t = create(tag, rnd);
                    if (t == null) return;
                    mine.add(t);
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
        if (tracked.putIfAbsent(t.id, t) != null) {
            errors.add("random id drawn twice: " + t.id);
            return null;
        }
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

    private boolean patch(Tracked t, Random rnd) throws IOException, InterruptedException {
        Map<String, Object> values = values((String) t.acked.get("tag"), rnd);
        t.pending = values;
        Map<String, Object> change = new LinkedHashMap<>(values);
        change.remove("tag");
        Map<String, Object> answer = answer(server.send("PATCH", RECORDS + "/" + t.id, json(change)));
        if (answer == null) return false;
        long version = ((Number) answer.get("_version")).longValue();
        check(version == t.ackedVersion + 1 && fields(answer).equals(values), "update answered " + answer);
        t.acked = values;
        t.ackedVersion = version;
        t.pending = null;
        ackedPatches.incrementAndGet();
        return true;
    }

    private boolean delete(Tracked t) throws IOException, InterruptedException {
        t.deletePending = true;
        Map<String, Object> answer = answer(server.send("DELETE", RECORDS + "/" + t.id, null));
        if (answer == null) return false;
        check(t.id.equals(answer.get("id")), "delete answered " + answer);
        t.gone = true;
        t.deletePending = false;
        ackedDeletes.incrementAndGet();
        return true;
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
        v.put("grp", GROUPS.get(rnd.nextInt(GROUPS.size())));
        return v;
    }

    private static String json(Map<String, Object> m) {
        return new String(Json.write(m), StandardCharsets.UTF_8);
    }
}
