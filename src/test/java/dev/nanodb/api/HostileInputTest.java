package dev.nanodb.api;

import static dev.nanodb.api.Fixtures.POSTS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanodb.store.Record;
import dev.nanodb.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Bad requests over real HTTP against one server holding a few records. For each case: the exact 4xx, a JSON
 * error body {@code {status, message, …}} (naming the offending parameter in {@code data} where there is one)
 * that carries no exception name or stack frame; then the server still answers {@code /health}, its consistency
 * check is clean, and every record written before the suite is byte for byte what it was. The cases are in
 * {@link HostileCases}.
 */
class HostileInputTest {
    private static final Pattern LEAK = Pattern.compile(
            "Exception|java\\.|javax\\.|dev\\.nanodb\\.|io\\.vertx|io\\.netty|com\\.fasterxml|\\bat [a-z]+\\.[a-z]+");
    static final String POSTS_URL = "/api/collections/posts/records";
    static final String NOTES_URL = "/api/collections/notes/records";
    static final String USERS_URL = "/api/collections/users/records";

    static TestServer server;
    static String aliceToken;
    static String postId;
    private static final Map<String, byte[]> SEEDED = new LinkedHashMap<>();
    private static final Map<String, Long> COUNTS = new LinkedHashMap<>();

    @BeforeAll
    static void seed() {
        server = TestServer.start();
        ok(server.post("/api/collections", Step.quotes(POSTS)));
        List<String> posts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            posts.add(id(ok(server.post(POSTS_URL, Step.quotes("{'title':'post " + i + "','views':" + i
                    + ",'slug':'s" + i + "','secret':'hidden " + i + "'}")))));
        }
        postId = posts.get(0);
        String note = id(ok(server.post(NOTES_URL, Step.quotes("{'text':'a schemaless note','n':1.5}"))));
        String alice = server.signUp("alice@example.com");
        aliceToken = server.login("users", "alice@example.com", "password123");
        for (String p : posts) SEEDED.put("posts/" + p, json("posts", p));
        SEEDED.put("notes/" + note, json("notes", note));
        SEEDED.put("users/" + alice, json("users", alice));
        for (String c : List.of("posts", "notes", "users", "_superusers")) COUNTS.put(c, server.store().count(c, null));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @TestFactory
    Stream<DynamicTest> everyBadRequestIsAClean4xxAndChangesNothing() {
        List<HostileCases.Case> cases = HostileCases.all();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private static void check(HostileCases.Case c) {
        RawHttp.Answer a = c.request().send();
        String where = c.name() + "\n  -> " + a.status() + " " + abbreviate(a.body());
        assertThat(a.status()).as(where + "\n  status").isEqualTo(c.status());
        assertThat(a.headers()).as(where + "\n  content type").contains("content-type: application/json");
        JsonNode body = parse(a.body(), where);
        assertThat(body.path("status").asInt()).as(where + "\n  error.status").isEqualTo(c.status());
        assertThat(body.path("message").asText()).as(where + "\n  error.message").isNotBlank();
        assertThat(body.path("data").isObject()).as(where + "\n  error.data is an object").isTrue();
        if (c.field() != null) assertThat(body.path("data").has(c.field())).as(where + "\n  data names " + c.field()).isTrue();
        assertThat(LEAK.matcher(a.body()).find()).as(where + "\n  the body leaks an exception or a stack frame").isFalse();
        assertServerIsWhole(where);
    }

    /** The server answers, its store is consistent, and the seeded records and counts are exactly as before. */
    private static void assertServerIsWhole(String where) {
        assertThat(server.send("GET", "/health", null).statusCode()).as(where + "\n  /health afterwards").isEqualTo(200);
        HttpResponse<String> check = server.get("/api/admin/consistency");
        assertThat(check.statusCode()).as(where + "\n  consistency check").isEqualTo(200);
        assertThat(parse(check.body(), where).path("clean").asBoolean()).as(where + "\n  consistency: " + check.body()).isTrue();
        for (Map.Entry<String, byte[]> e : SEEDED.entrySet()) {
            String[] key = e.getKey().split("/");
            assertThat(Arrays.equals(json(key[0], key[1]), e.getValue())).as(where + "\n  record " + e.getKey() + " unchanged").isTrue();
        }
        for (Map.Entry<String, Long> e : COUNTS.entrySet()) {
            assertThat(server.store().count(e.getKey(), null)).as(where + "\n  records in " + e.getKey()).isEqualTo(e.getValue());
        }
    }

    private static byte[] json(String collection, String id) {
        Record r = server.store().get(collection, id).orElseThrow(() -> new AssertionError(collection + "/" + id + " is gone"));
        return r.json();
    }

    private static HttpResponse<String> ok(HttpResponse<String> r) {
        if (r.statusCode() != 200) throw new AssertionError("seeding failed: " + r.statusCode() + " " + r.body());
        return r;
    }

    private static String id(HttpResponse<String> r) {
        return parse(r.body(), "seed").path("id").asText();
    }

    private static JsonNode parse(String text, String where) {
        try {
            JsonNode n = ScenarioRunner.JSON.readTree(text);
            if (n == null || !n.isObject()) throw new AssertionError(where + "\n  the body is not a JSON object");
            return n;
        } catch (java.io.IOException e) {
            throw new AssertionError(where + "\n  the body is not JSON", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 400 ? s.substring(0, 400) + "…" : s;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
