package dev.nanodb.api;

import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.list;
import static dev.nanodb.api.Step.patch;
import static dev.nanodb.api.Step.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanodb.config.Config;
import dev.nanodb.testing.TestServer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Rate limits per client IP and route: the 429 and its headers, the window, the {@code _rate_limits} collection
 * reloaded without a restart, the default limits on the auth routes, a rule naming a collection whether a request
 * addresses it by name or by id (and after a rename), {@code X-Forwarded-For} behind trusted proxies only, and a
 * tracking table that stays bounded however many addresses appear.
 */
class RateLimitTest {
    private static final String NOTES = "/api/collections/notes/records";
    private static final String LOGIN = "/api/collections/users/auth-with-password";
    private static final String BAD_LOGIN = "{'identity':'nobody@example.com','password':'wrong-password'}";
    private static final String USERS_BY_NAME = "/api/collections/users/records";
    /** The id of the system collection {@code users} (fixed at its creation). */
    private static final String USERS_BY_ID = "/api/collections/pbc_users000000/records";
    /** An auth collection like users: anyone signs up, each account views itself (so a sign-up answers its record). */
    private static final String MEMBERS = "{'name':'members','type':'auth','createRule':'','viewRule':'id = @request.auth.id'}";

    /** An anonymous sign-up at {@code url} (a collection's records route), each with its own email. */
    private static Step signUp(String url, String who) {
        return post(url, "{'email':'" + who + "@example.com','password':'password123','passwordConfirm':'password123'}")
                .as("anon");
    }

    @TestFactory
    Stream<DynamicTest> rateLimits() {
        return ScenarioRunner.tests(scenarios());
    }

    static List<Scenario> scenarios() {
        return List.of(
                Scenario.named("the remaining count goes down; over the limit is 429 with Retry-After and X-RateLimit-*")
                        .env("RATE_LIMITS", "GET " + NOTES + " 3/1m")
                        .given(create("notes", "{'x':1}"),
                                list("notes").expect(200).responseHeader("X-RateLimit-Limit", "3")
                                        .responseHeader("X-RateLimit-Remaining", "2").responseHeader("X-RateLimit-Reset", ""),
                                list("notes").expect(200).responseHeader("X-RateLimit-Remaining", "1"),
                                list("notes").expect(200).responseHeader("X-RateLimit-Remaining", "0"))
                        .when(list("notes").expect(429).at("/status", 429).responseHeader("Retry-After", "")
                                .responseHeader("X-RateLimit-Limit", "3").responseHeader("X-RateLimit-Remaining", "0")
                                .responseHeader("X-RateLimit-Reset", ""))
                        .then(create("notes", "{'x':2}").expect(200).noResponseHeader("X-RateLimit-Limit")),
                Scenario.named("a route no rule matches answers without X-RateLimit headers")
                        .env("RATE_LIMITS", "GET " + NOTES + " 3/1m")
                        .when(get("/api/collections/notes").expect(404).noResponseHeader("X-RateLimit-Limit")),
                Scenario.named("the most specific rule wins: a named method and more literal segments beat a prefix")
                        .env("RATE_LIMITS", "/api 100/1m, GET /api/collections/*/records 7/1m, "
                                + "GET /api/collections/notes/records 5/1m, /api/collections/*/records 6/1m")
                        .given(create("notes", "{'x':1}").responseHeader("X-RateLimit-Limit", "6"),
                                create("posts", "{'x':1}"), list("posts").responseHeader("X-RateLimit-Limit", "7"),
                                get("/api/collections/notes").responseHeader("X-RateLimit-Limit", "100"))
                        .when(list("notes").expect(200).responseHeader("X-RateLimit-Limit", "5")),
                Scenario.named("X-Forwarded-For is ignored without TRUSTED_PROXIES")
                        .env("RATE_LIMITS", "GET " + NOTES + " 1/1m")
                        .given(create("notes", "{'x':1}"), list("notes").header("X-Forwarded-For", "198.51.100.1"))
                        .when(list("notes").header("X-Forwarded-For", "198.51.100.2").expect(429)),
                Scenario.named("X-Forwarded-For is ignored when the socket is not a trusted proxy")
                        .env("RATE_LIMITS", "GET " + NOTES + " 1/1m").env("TRUSTED_PROXIES", "10.0.0.0/8, ::1")
                        .given(create("notes", "{'x':1}"), list("notes").header("X-Forwarded-For", "198.51.100.1"))
                        .when(list("notes").header("X-Forwarded-For", "198.51.100.2").expect(429)),
                Scenario.named("behind a trusted proxy each forwarded client has its own window; a spoofed left part is ignored")
                        .env("RATE_LIMITS", "GET " + NOTES + " 1/1m").env("TRUSTED_PROXIES", "127.0.0.1")
                        .given(create("notes", "{'x':1}"), list("notes").header("X-Forwarded-For", "198.51.100.1"))
                        .when(list("notes").header("X-Forwarded-For", "198.51.100.2").expect(200)
                                .responseHeader("X-RateLimit-Remaining", "0"))
                        .then(list("notes").header("X-Forwarded-For", "198.51.100.1").expect(429),
                                list("notes").header("X-Forwarded-For", "203.0.113.9, 198.51.100.2").expect(429),
                                list("notes").header("X-Forwarded-For", "198.51.100.3, 127.0.0.1").expect(200)),
                Scenario.named("the failed-login limiter counts the forwarded client behind a trusted proxy")
                        .env("AUTH_RATE_LIMIT", "2/1m").env("TRUSTED_PROXIES", "127.0.0.0/8")
                        .given(post(LOGIN, BAD_LOGIN).as("anon").header("X-Forwarded-For", "198.51.100.1").expect(400),
                                post(LOGIN, BAD_LOGIN).as("anon").header("X-Forwarded-For", "198.51.100.1").expect(400))
                        .when(post(LOGIN, BAD_LOGIN).as("anon").header("X-Forwarded-For", "198.51.100.1").expect(429)
                                .responseHeader("Retry-After", ""))
                        .then(post(LOGIN, "{'identity':'other@example.com','password':'wrong-password'}").as("anon")
                                .header("X-Forwarded-For", "198.51.100.2").expect(400)),
                Scenario.named("sign-ups by the users collection's id count under the rule naming users; then by name is 429")
                        .env("RATE_LIMITS", "POST " + USERS_BY_NAME + " 2/1m")
                        .given(signUp(USERS_BY_ID, "a").expect(200).responseHeader("X-RateLimit-Limit", "2")
                                        .responseHeader("X-RateLimit-Remaining", "1"),
                                signUp(USERS_BY_ID, "b").expect(200).responseHeader("X-RateLimit-Remaining", "0"))
                        .when(signUp(USERS_BY_NAME, "c").expect(429).responseHeader("Retry-After", ""))
                        .then(signUp(USERS_BY_ID, "d").expect(429), list("users").at("/totalItems", 2)),
                Scenario.named("sign-ups by name use up the rule naming users; then by id is 429")
                        .env("RATE_LIMITS", "POST " + USERS_BY_NAME + " 2/1m")
                        .given(signUp(USERS_BY_NAME, "a").expect(200), signUp(USERS_BY_NAME, "b").expect(200))
                        .when(signUp(USERS_BY_ID, "c").expect(429).responseHeader("X-RateLimit-Limit", "2"))
                        .then(list("users").at("/totalItems", 2)),
                Scenario.named("a rule naming a collection by id counts it by name too")
                        .env("RATE_LIMITS", "POST " + USERS_BY_ID + " 1/1m")
                        .given(signUp(USERS_BY_NAME, "a").expect(200).responseHeader("X-RateLimit-Remaining", "0"))
                        .when(signUp(USERS_BY_ID, "b").expect(429)),
                Scenario.named("an unknown id, or another collection's id, is not counted under the rule naming users")
                        .env("RATE_LIMITS", "POST " + USERS_BY_NAME + " 1/1m")
                        .given(collection(MEMBERS),
                                signUp("/api/collections/{cid}/records", "a").expect(200).noResponseHeader("X-RateLimit-Limit"))
                        .when(signUp("/api/collections/pbc_unknown0000/records", "b").expect(404)
                                .noResponseHeader("X-RateLimit-Limit"))
                        .then(signUp(USERS_BY_NAME, "c").expect(200).responseHeader("X-RateLimit-Remaining", "0")),
                Scenario.named("after a rename the rule naming the new name counts the collection by name and by id")
                        .env("RATE_LIMITS", "POST /api/collections/customers/records 2/1m, "
                                + "POST /api/collections/members/records 50/1m")
                        .given(collection(MEMBERS), patch("/api/collections/members", "{'name':'customers'}"),
                                signUp("/api/collections/customers/records", "a").expect(200)
                                        .responseHeader("X-RateLimit-Limit", "2").responseHeader("X-RateLimit-Remaining", "1"))
                        .when(signUp("/api/collections/{cid}/records", "b").expect(200)
                                .responseHeader("X-RateLimit-Limit", "2").responseHeader("X-RateLimit-Remaining", "0"))
                        .then(signUp("/api/collections/{cid}/records", "c").expect(429),
                                signUp("/api/collections/customers/records", "d").expect(429)),
                Scenario.named("after a rename the rule naming the old name no longer counts the collection")
                        .env("RATE_LIMITS", "POST /api/collections/members/records 5/1m")
                        .given(collection(MEMBERS),
                                signUp("/api/collections/{cid}/records", "a").expect(200).responseHeader("X-RateLimit-Limit", "5"),
                                patch("/api/collections/members", "{'name':'customers'}"))
                        .when(signUp("/api/collections/{cid}/records", "b").expect(200).noResponseHeader("X-RateLimit-Limit"))
                        .then(signUp("/api/collections/customers/records", "c").expect(200).noResponseHeader("X-RateLimit-Limit")),
                refusedRule("{'path':'api/x','max':1,'timeWindow':1}", "path"),
                refusedRule("{'path':'/api/col*','max':1,'timeWindow':1}", "path"),
                refusedRule("{'path':'/api//x','max':1,'timeWindow':1}", "path"),
                refusedRule("{'path':'/api','method':'FETCH','max':1,'timeWindow':1}", "method"),
                refusedRule("{'path':'/api','max':0,'timeWindow':1}", "max"),
                refusedRule("{'path':'/api','max':1,'timeWindow':100000}", "timeWindow"),
                refusedRule("{'path':'/api','timeWindow':1}", "max"),
                Scenario.named("a _rate_limits record is enabled unless it says otherwise")
                        .when(create("_rate_limits", "{'path':'/api/x/*','method':'post','max':5,'timeWindow':10}")
                                .expect(200).at("/enabled", true)),
                Scenario.named("only superusers may read or write _rate_limits")
                        .users("alice")
                        .when(create("_rate_limits", "{'path':'/api','max':1,'timeWindow':1}").as("alice").expect(403))
                        .then(list("_rate_limits").as("alice").expect(403)));
    }

    private static Scenario refusedRule(String body, String field) {
        return Scenario.named("a _rate_limits record " + body + " is refused on " + field)
                .when(create("_rate_limits", body).expect(400).present("/data/" + field))
                .then(list("_rate_limits").at("/totalItems", 0));
    }

    @Test
    void theWindowResetsAfterRetryAfter() throws Exception {
        try (TestServer s = TestServer.start(Map.of("RATE_LIMITS", "GET " + NOTES + " 3/2s"))) {
            s.post(NOTES, "{\"x\":1}");
            HttpResponse<String> refused = untilRefused(s, 20);
            long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
            assertThat(retryAfter).isBetween(1L, 2L);
            assertThat(Long.parseLong(refused.headers().firstValue("X-RateLimit-Reset").orElseThrow())).isEqualTo(retryAfter);
            Thread.sleep(Duration.ofSeconds(retryAfter).plusMillis(50));
            HttpResponse<String> again = s.get(NOTES);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.headers().firstValue("X-RateLimit-Remaining")).hasValue("2");
        }
    }

    @Test
    void aRuleRecordTakesEffectWithoutRestartAndDisablingItLiftsIt() throws Exception {
        try (TestServer s = TestServer.start()) {
            s.post(NOTES, "{\"x\":1}");
            assertThat(s.get(NOTES).headers().firstValue("X-RateLimit-Limit")).isEmpty();
            HttpResponse<String> created = s.post("/api/collections/_rate_limits/records",
                    "{\"path\":\"" + NOTES + "\",\"method\":\"GET\",\"max\":2,\"timeWindow\":60,\"enabled\":true}");
            assertThat(created.statusCode()).isEqualTo(200);
            String id = ScenarioRunner.JSON.readTree(created.body()).get("id").asText();
            eventually(s, r -> r.headers().firstValue("X-RateLimit-Limit").filter("2"::equals).isPresent());
            HttpResponse<String> refused = untilRefused(s, 3);
            assertThat(refused.headers().firstValue("X-RateLimit-Limit")).hasValue("2");
            JsonNode stats = ScenarioRunner.JSON.readTree(s.get("/api/stats").body());
            assertThat(stats.at("/rateLimits/rejectedByRule").get("GET " + NOTES).asLong()).isGreaterThanOrEqualTo(1);

            assertThat(s.patch("/api/collections/_rate_limits/records/" + id, "{\"enabled\":false}").statusCode()).isEqualTo(200);
            eventually(s, r -> r.statusCode() == 200 && r.headers().firstValue("X-RateLimit-Limit").isEmpty());
        }
    }

    @Test
    void theAuthRoutesAreLimitedByDefault() {
        try (TestServer s = TestServer.start(Map.of("RATE_LIMITS", Config.KEYS.get("RATE_LIMITS")))) {
            String body = "{\"identity\":\"nobody@example.com\",\"password\":\"wrong-password\"}";
            HttpResponse<String> first = s.send("POST", LOGIN, body);
            assertThat(first.statusCode()).isEqualTo(400);
            int limit = Integer.parseInt(first.headers().firstValue("X-RateLimit-Limit").orElseThrow());
            assertThat(limit).isEqualTo(20);
            int answered = 1;
            HttpResponse<String> last = first;
            while (last.statusCode() != 429 && answered < 3 * limit) {
                last = s.send("POST", LOGIN, body);
                answered++;
            }
            assertThat(last.statusCode()).isEqualTo(429);
            assertThat(answered).isGreaterThan(limit);
            assertThat(s.send("POST", "/api/auth/login", "{\"email\":\"a@example.com\",\"password\":\"x\"}")
                    .headers().firstValue("X-RateLimit-Limit")).hasValue("20");
            assertThat(s.send("POST", "/api/collections/users/records", "{}").headers().firstValue("X-RateLimit-Limit"))
                    .hasValue("10");
        }
    }

    /**
     * 100,000 distinct clients through a trusted proxy, with room for 2,000 windows: the table never holds more
     * than its cap, and a client that arrives afterwards is still counted and limited. The requests are pipelined
     * on a few keep-alive connections (one request per client), which takes seconds instead of a minute.
     */
    @Test
    void trackingStaysBoundedWith100000DistinctClients() throws Exception {
        int clients = 100_000;
        int connections = 4;
        try (TestServer s = TestServer.start(Map.of("RATE_LIMITS", "/api/nothing 3/1m", "RATE_LIMIT_MAX_KEYS", "2000",
                "TRUSTED_PROXIES", "127.0.0.1"))) {
            List<Future<Integer>> work = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < connections; c++) {
                    int first = c;
                    work.add(pool.submit(() -> pipelineNotFound(s, first, connections, clients)));
                }
                int notFound = 0;
                for (Future<Integer> f : work) notFound += f.get();
                assertThat(notFound).isEqualTo(clients);
            }
            JsonNode limits = ScenarioRunner.JSON.readTree(s.get("/api/stats").body()).get("rateLimits");
            assertThat(limits.get("maxKeys").asInt()).isEqualTo(2000);
            assertThat(limits.get("trackedKeys").asInt()).isBetween(1, 2000);
            assertThat(limits.get("rejected").asLong()).isZero();
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 4; i++) statuses.add(s.send("GET", "/api/nothing", null, "X-Forwarded-For", "192.0.2.1").statusCode());
            assertThat(statuses).containsExactly(404, 404, 404, 429);
        }
    }

    /**
     * Sends {@code GET /api/nothing} for clients {@code first, first + step, …} below {@code clients} on one
     * connection, each with its own {@code X-Forwarded-For}, and counts the 404 answers.
     */
    private static int pipelineNotFound(TestServer s, int first, int step, int clients) throws Exception {
        URI base = URI.create(s.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(60_000);
            int expected = (clients - first + step - 1) / step;
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
                    for (int i = first; i < clients; i += step) {
                        String ip = "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255);
                        out.write(("GET /api/nothing HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: " + ip + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            byte[] marker = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            int answers = 0;
            int notFound = 0;
            int matched = 0;
            while (answers < expected) {
                int b = in.read();
                if (b < 0) break;
                if (matched == marker.length) {
                    answers++;
                    if (b == '4' && in.read() == '0' && in.read() == '4') notFound++;
                    matched = 0;
                } else {
                    matched = b == marker[matched] ? matched + 1 : (b == marker[0] ? 1 : 0);
                }
            }
            writer.join();
            return notFound;
        }
    }

    /** Lists notes until a 429 (at most {@code attempts} requests) and returns it. */
    private static HttpResponse<String> untilRefused(TestServer s, int attempts) {
        for (int i = 0; i < attempts; i++) {
            HttpResponse<String> r = s.get(NOTES);
            if (r.statusCode() == 429) return r;
            assertThat(r.statusCode()).isEqualTo(200);
        }
        throw new AssertionError("no 429 after " + attempts + " requests");
    }

    /** Lists notes until an answer satisfies {@code done}; the reload follows the change feed within moments. */
    private static void eventually(TestServer s, Predicate<HttpResponse<String>> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (done.test(s.get(NOTES))) return;
            Thread.sleep(20);
        }
        throw new AssertionError("the rule change did not take effect within 10 s");
    }
}
