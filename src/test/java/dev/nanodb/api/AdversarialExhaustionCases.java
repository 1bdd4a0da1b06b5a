package dev.nanodb.api;

import static dev.nanodb.api.AdversarialSession.filtered;
import static dev.nanodb.api.AdversarialSession.idsUntil;
import static dev.nanodb.api.Attack.ANON;
import static dev.nanodb.api.Attack.ANY;
import static dev.nanodb.api.Attack.BOB;
import static dev.nanodb.api.Attack.EXHAUSTION;
import static dev.nanodb.api.Attack.attack;
import static dev.nanodb.api.Attack.pbOp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.filter.Values;
import dev.nanodb.realtime.SseClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Resource exhaustion: requests whose cost an attacker chooses — LIKE patterns at the 512-character limit over
 * a 1,000,000-character field (lists by id and as scans, realtime filters), filters at and one past their depth,
 * width and length limits, any-of over a 100,000-element list, bodies, nesting, batches, headers and URLs past
 * their limits. Each must end in a clean 4xx or the exact 200, while {@code /health} keeps answering within
 * {@value AdversarialTest#STALL_MILLIS} ms: one client's costly request may cost that client time, never anyone
 * else's. A client whose realtime filters cost too much is dropped and counted, and others still get their events.
 * The records that trigger realtime events are written through the store, so the stall probe measures the fan-out,
 * not the superuser's parsing of a megabyte-long request.
 */
final class AdversarialExhaustionCases {
    private AdversarialExhaustionCases() {}

    private static final String WORST = AdversarialRealtimeCases.worst();

    static List<Attack> all() {
        List<Attack> c = new ArrayList<>();
        c.add(list("the worst 512-character LIKE over 1,000,000 characters, by id", "id = '{huge}' && big ~ '" + WORST + "'", 0));
        c.add(list("the worst LIKE as a scan", "big ~ '" + WORST + "'", 0));
        c.add(list("the worst NOT LIKE by id", "id = '{huge}' && big !~ '" + WORST + "'", 1));
        c.add(list("a 512-character LIKE that matches, by id", "id = '{huge}' && big ~ '%" + "a".repeat(Values.MAX_PATTERN - 2) + "%'", 1));
        c.add(list("fifteen worst LIKEs in one filter, as a scan", IntStream.range(0, 15)
                .mapToObj(i -> "big ~ '" + WORST.replace('b', (char) ('b' + i)) + "'").collect(Collectors.joining(" || ")), 0));
        c.add(refused("a 513-character pattern", "big ~ '" + "a".repeat(Values.MAX_PATTERN + 1) + "'"));
        c.add(attack(EXHAUSTION, "eight worst-LIKE scans at once", 200, s -> {
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<RawHttp.Answer>> all = IntStream.range(0, 8).mapToObj(i -> clients.submit(() -> s.list(ANON, "huge",
                        "filter", "big ~ '" + WORST.replace('b', (char) ('b' + i)) + "'", "fields", "id"))).toList();
                for (Future<RawHttp.Answer> f : all) assertThat(f.get().body()).contains("\"totalItems\":0");
            }
        }));
        c.add(list("strftime over the 1,000,000-character field, as a scan", "strftime('%Y%m%d%H%M%S%f%j%w%W', big) != ''", 0));
        c.add(list("geoDistance over the 1,000,000-character field, as a scan", "geoDistance(big, big, 1, 2) < 1", 0));
        c.add(refused("a call of an unknown function", "nope(big) = 1"));
        c.add(refused("strftime with an unsupported specifier", "strftime('%s', big) = ''"));
        c.add(refused("geoDistance with three arguments", "geoDistance(big, 1, 2) < 1"));
        c.add(refused("a call inside a call", "strftime('%Y', strftime('%Y', big)) = ''"));
        c.add(refused("strftime with eleven arguments", "strftime('%Y', big" + ", 'start of day'".repeat(9) + ") = ''"));
        c.add(refused("an unclosed call", "geoDistance(big, big, 1, 2 < 1"));
        c.add(list("parentheses 32 deep", "(".repeat(32) + "title = 'huge'" + ")".repeat(32), 1));
        c.add(refused("parentheses 33 deep", "(".repeat(33) + "title = 'huge'" + ")".repeat(33)));
        c.add(list("256 comparisons", comparisons(256), 2));
        c.add(refused("257 comparisons", comparisons(257)));
        c.add(list("a filter of 8,192 characters", "title != '" + "x".repeat(8192 - 11) + "'", 2));
        c.add(refused("a filter of 8,193 characters", "title != '" + "x".repeat(8193 - 11) + "'"));
        c.add(list("?= over a 100,000-element list, as a scan", "tags ?= 't" + (AdversarialWorld.LIST_SIZE - 1) + "'", 1));
        c.add(list("?= over a 100,000-element list, by id, no match", "id = '{list}' && tags ?= 'nowhere'", 0));
        c.add(attack(EXHAUSTION, "a page of the two largest records", 200, s -> s.list(ANON, "huge", "perPage", "1000", "sort", "-created"))
                .then(s -> assertThat(s.first().body().length()).isGreaterThan(AdversarialWorld.BIG.length())));
        c.add(attack(EXHAUSTION, "sixteen GETs at once of the 1,000,000-character record", 200, s -> {
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<RawHttp.Answer>> all = IntStream.range(0, 16)
                        .mapToObj(i -> clients.submit(() -> s.send(ANON, "GET", "/api/collections/huge/records/{huge}", null))).toList();
                for (Future<RawHttp.Answer> f : all) assertThat(f.get().body()).contains(AdversarialWorld.BIG);
            }
        }));
        byte[] big = ("{\"title\":\"" + "x".repeat(2 << 20) + "\"}").getBytes(StandardCharsets.UTF_8);
        c.add(attack(EXHAUSTION, "a 2 MiB body", 413, s -> s.raw("POST /api/collections/posts/records HTTP/1.1", big,
                "Authorization: " + s.w.bobToken, "Content-Type: application/json", "Content-Length: " + big.length)));
        c.add(attack(EXHAUSTION, "JSON nested 10,000 deep", 400, s -> s.send(BOB, "POST", "/api/collections/posts/records",
                "{'title':" + "[".repeat(10_000) + "]".repeat(10_000) + "}")));
        c.add(attack(EXHAUSTION, "JSON nested 33 deep", 400, s -> s.send(BOB, "POST", "/api/collections/posts/records",
                "{'title':" + "[".repeat(32) + "]".repeat(32) + "}")));
        String create = pbOp("POST", "/api/collections/posts/records", "{'title':'one of many'}");
        c.add(attack(EXHAUSTION, "a batch of MAX_BATCH_SIZE + 1 operations", 400, s -> s.send(BOB, "POST", "/api/batch",
                "{'requests':[" + String.join(",", Collections.nCopies(101, create)) + "]}")));
        c.add(attack(EXHAUSTION, "a batch of 100 anonymous sign-ups: over the sign-up limit, nothing created", 429,
                s -> s.send(ANON, "POST", "/api/batch", "{'requests':["
                + IntStream.range(0, 100).mapToObj(i -> pbOp("POST", "/api/collections/users/records", "{'email':'flood" + i
                + "@example.com','password':'password123','passwordConfirm':'password123'}")).collect(Collectors.joining(",")) + "]}"))
                .env("RATE_LIMITS", dev.nanodb.config.Config.KEYS.get("RATE_LIMITS")).env("BCRYPT_COST", "8"));
        c.add(attack(EXHAUSTION, "500 headers", 431, s -> s.raw("GET /api/collections/posts/records HTTP/1.1", null,
                IntStream.range(0, 500).mapToObj(i -> "X-H" + i + ": v").toArray(String[]::new))));
        c.add(attack(EXHAUSTION, "a 100 KB URL", 414, s -> s.send(ANON, "GET", "/api/collections/posts/records?filter=" + "u".repeat(100_000), null)));
        c.add(attack(EXHAUSTION, "realtime: three worst LIKEs over the huge field", 204, s -> {
            long dropped = s.realtimeStat("droppedCostlyFilters");
            SseClient bystander = s.victimStream("", ANON);
            s.victimSubscribe(bystander, ANON, "huge/*");
            SseClient attacker = s.stream("", ANON);
            s.subscribe(attacker, ANON, filtered("huge/*", "filter", "big ~ '" + WORST + "'"),
                    filtered("huge/*", "filter", "big ~ '" + WORST.replace('b', 'c') + "'"),
                    filtered("huge/*", "filter", "big ~ '" + WORST.replace('b', 'd') + "'"));
            String huge = s.storeCreate("huge", Map.of("title", "huge again", "big", AdversarialWorld.BIG));
            assertThat(attacker.awaitEnd(AdversarialSession.WAIT)).as("the costly client is dropped").isTrue();
            await(() -> s.realtimeStat("droppedCostlyFilters") == dropped + 1);
            String small = s.storeCreate("huge", Map.of("title", "small"));
            assertThat(idsUntil(bystander, small)).as("the bystander's events").containsExactly(huge, small);
        }).changes("the superuser writes"));
        c.add(attack(EXHAUSTION, "realtime: strftime and geoDistance over the huge field fit the budget", 204, s -> {
            SseClient attacker = s.stream("", ANON);
            String formats = "'" + "%Y%m%d%H%M%S%f%j%w%W".repeat(40) + "'";
            s.subscribe(attacker, ANON, filtered("huge/*", "filter", "strftime(" + formats + ", big, '+1 days', 'start of month') = ''"
                    + " && geoDistance(big, big, 1, 2) = null && strftime(" + formats + ", title) = ''"));
            String huge = s.storeCreate("huge", Map.of("title", "huge again", "big", AdversarialWorld.BIG));
            assertThat(idsUntil(attacker, huge)).containsExactly(huge);
            assertThat(attacker.isEnded()).isFalse();
        }).changes("the superuser writes"));
        c.add(attack(EXHAUSTION, "realtime: ?= over the 100,000-element list fits the budget", 204, s -> {
            SseClient attacker = s.stream("", ANON);
            s.subscribe(attacker, ANON, filtered("huge/*", "filter", "tags ?= 't" + (AdversarialWorld.LIST_SIZE - 1) + "'"));
            List<String> tags = IntStream.range(0, AdversarialWorld.LIST_SIZE).mapToObj(i -> "t" + i).toList();
            String list = s.storeCreate("huge", Map.of("title", "list again", "tags", tags));
            assertThat(idsUntil(attacker, list)).containsExactly(list);
            assertThat(attacker.isEnded()).isFalse();
        }).changes("the superuser writes"));
        return c;
    }

    /** A list of {@code huge} with {@code filter}, anonymous, that must answer exactly {@code total} records. */
    private static Attack list(String name, String filter, int total) {
        return attack(EXHAUSTION, name, 200, s -> s.list(ANON, "huge", "filter", filter, "fields", "id"))
                .then(s -> assertThat(s.first().body()).contains("\"totalItems\":" + total));
    }

    /** A list filter over a limit: 400 naming {@code filter}. */
    private static Attack refused(String name, String filter) {
        return attack(EXHAUSTION, name, 400, s -> s.list(ANON, "huge", "filter", filter, "fields", "id"))
                .then(s -> assertThat(AdversarialTest.json(s.first().body()).path("data").has("filter")).isTrue());
    }

    private static String comparisons(int n) {
        return IntStream.range(0, n).mapToObj(i -> i == 0 ? "title != 'x'" : "title != 't" + i + "'").collect(Collectors.joining(" && "));
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + AdversarialSession.WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + AdversarialSession.WAIT);
            Thread.sleep(20);
        }
    }
}
