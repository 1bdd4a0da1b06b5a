package dev.nanodb.realtime;

import dev.nanodb.json.Json;
import dev.nanodb.testing.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** Collections, records and figures the realtime tests set up through the HTTP API (single quotes stand for double). */
final class Fixture {
    /** The longest any expected event may take to arrive; events normally take milliseconds. */
    static final Duration WAIT = Duration.ofSeconds(5);
    static final String OWNER = "owner_id = @request.auth.id";
    private static final AtomicInteger NAMES = new AtomicInteger();

    private Fixture() {}

    /** A fresh collection name, so tests sharing a server never see each other's events. */
    static String name(String prefix) {
        return prefix + NAMES.incrementAndGet();
    }

    /** Creates a base collection with the given fields JSON and the same list and view rule (null = locked). */
    static String collection(TestServer s, String name, String fields, String readRule, String createRule) {
        String body = "{'name':'" + name + "','type':'base','fields':" + fields + ",'listRule':" + rule(readRule)
                + ",'viewRule':" + rule(readRule) + ",'createRule':" + rule(createRule)
                + ",'updateRule':" + rule(createRule) + ",'deleteRule':" + rule(createRule) + "}";
        HttpResponse<String> r = s.post("/api/collections", q(body));
        if (r.statusCode() != 200) throw new AssertionError("collection " + name + ": " + r.statusCode() + " " + r.body());
        return name;
    }

    /** A public collection ({@code title}, {@code views}, hidden {@code secret}, {@code owner_id}; open rules). */
    static String publicCollection(TestServer s, String prefix) {
        return collection(s, name(prefix), FIELDS, "", "");
    }

    /** A collection where each user lists, views and creates only records whose {@code owner_id} is its own id. */
    static String ownerCollection(TestServer s, String prefix) {
        return collection(s, name(prefix), FIELDS, OWNER, OWNER);
    }

    static final String FIELDS = "[{'name':'title','type':'text'},{'name':'views','type':'number'},"
            + "{'name':'secret','type':'text','hidden':true},{'name':'owner_id','type':'text','indexed':true}]";

    private static String rule(String r) {
        return r == null ? "null" : "'" + r.replace("'", "\\'") + "'";
    }

    static String q(String json) {
        return json.replace('\'', '"');
    }

    /** Creates a record as the superuser; returns its id. */
    static String create(TestServer s, String collection, String json) {
        return id(s.post(records(collection), q(json)));
    }

    /** Creates a record as the holder of {@code token}; returns its id. */
    static String createAs(TestServer s, String token, String collection, String json) {
        return id(s.send("POST", records(collection), q(json), "Authorization", token));
    }

    static void update(TestServer s, String collection, String id, String json) {
        expect(200, s.patch(records(collection) + "/" + id, q(json)));
    }

    static void delete(TestServer s, String collection, String id) {
        expect(200, s.delete(records(collection) + "/" + id));
    }

    static String records(String collection) {
        return "/api/collections/" + collection + "/records";
    }

    private static String id(HttpResponse<String> r) {
        expect(200, r);
        return (String) Json.parseObject(r.body().getBytes(StandardCharsets.UTF_8)).get("id");
    }

    static void expect(int status, HttpResponse<String> r) {
        if (r.statusCode() != status) throw new AssertionError("expected " + status + ", got " + r.statusCode() + " " + r.body());
    }

    /** The {@code realtime} object of {@code /api/stats}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> stats(TestServer s) {
        HttpResponse<String> r = s.get("/api/stats");
        expect(200, r);
        Object rt = Json.parseObject(r.body().getBytes(StandardCharsets.UTF_8)).get("realtime");
        if (!(rt instanceof Map)) throw new AssertionError("/api/stats has no realtime object: " + r.body());
        return (Map<String, Object>) rt;
    }

    static long stat(TestServer s, String name) {
        Object v = stats(s).get(name);
        if (!(v instanceof Number n)) throw new AssertionError("/api/stats realtime." + name + " missing: " + stats(s));
        return n.longValue();
    }

    /** Polls {@code /api/stats} until {@code realtime.<name>} satisfies {@code ok}; fails with the last value. */
    static long awaitStat(TestServer s, String name, Predicate<Long> ok, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long v = stat(s, name);
        while (!ok.test(v)) {
            if (System.nanoTime() > deadline) throw new AssertionError("realtime." + name + " is still " + v + " after " + timeout);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            v = stat(s, name);
        }
        return v;
    }

    /** A signed-up user of {@code users} (password {@code password123}) and a token of it. */
    record User(String id, String email, String token) {}

    static User user(TestServer s, String prefix) {
        String email = name(prefix) + "@example.com";
        String id = s.signUp(email);
        return new User(id, email, s.login("users", email, "password123"));
    }

    /** Polls {@code condition} every 20 ms until it holds; fails naming {@code what} after {@code timeout}. */
    static void await(String what, java.util.function.BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + timeout + ": " + what);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** A topic with {@code ?options=} carrying {@code {query: {...}}} (URL-encoded, as the PocketBase SDK sends it). */
    static String withOptions(String topic, Map<String, Object> query) {
        String json = Json.writeString(Map.of("query", query));
        return topic + "?options=" + URLEncoder.encode(json, StandardCharsets.UTF_8);
    }
}
