package dev.nanodb.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanodb.store.ConsistencyReport;
import dev.nanodb.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Runs {@link Scenario}s, each on its own fresh {@link TestServer} (own temporary data folder).
 *
 * <p>Besides each step's own expectations, every answer is checked for: no exception name or stack trace in
 * the body ({@code Exception}, {@code at dev.}, {@code at io.}, {@code java.}), a JSON content type when there is
 * a body, and — for every 4xx/5xx — the error shape {@code {status, message, error, data}} with {@code status}
 * equal to the HTTP status and {@code error} equal to {@code message}. After the last step the store's
 * consistency checker must report clean.
 */
public final class ScenarioRunner {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RECORDS_PATH = Pattern.compile("/api/collections/[^/?]+/records");
    private static final List<String> LEAKS = List.of("Exception", "at dev.", "at io.", "java.");

    private static final ExecutorService CLOSER = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "scenario-server-closer");
        t.setDaemon(true);
        return t;
    });
    private static final List<Future<?>> CLOSING = Collections.synchronizedList(new ArrayList<>());

    private final TestServer server;
    private final String scenario;
    private final Map<String, String> vars = new HashMap<>();
    private final Map<String, String> tokens = new HashMap<>();
    private int created;

    private ScenarioRunner(TestServer server, String scenario) {
        this.server = server;
        this.scenario = scenario;
    }

    /**
     * One dynamic test per scenario, named after it, then one that waits until every server has been closed (a
     * server's graceful shutdown takes about 100 ms, so servers are closed in the background while the next
     * scenario runs on its own fresh server).
     */
    public static Stream<DynamicTest> tests(List<Scenario> scenarios) {
        return Stream.concat(scenarios.stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> run(s))),
                Stream.of(DynamicTest.dynamicTest("every scenario server closed cleanly", ScenarioRunner::awaitClosed)));
    }

    /** Runs one scenario on a fresh server; the server is closed in the background (see {@link #awaitClosed}). */
    public static void run(Scenario s) {
        if (s.request() == null) throw new IllegalArgumentException("scenario without a request under test: " + s.name());
        TestServer server = TestServer.start(s.env());
        try {
            ScenarioRunner r = new ScenarioRunner(server, s.name());
            for (String user : s.users()) {
                r.vars.put(user, server.signUp(user + "@example.com"));
                r.tokens.put(user, server.login("users", user + "@example.com", "password123"));
            }
            for (Step step : s.setup()) r.step("setup", step);
            r.step("request under test", s.request());
            for (Step step : s.after()) r.step("follow-up", step);
            ConsistencyReport report = server.store().check();
            assertThat(report.problems()).as("[%s] consistency problems after the scenario", s.name()).isEmpty();
            assertThat(report.clean()).isTrue();
        } finally {
            CLOSING.add(CLOSER.submit(server::close));
        }
    }

    /** Waits for every background close; fails if one failed. */
    public static void awaitClosed() throws Exception {
        List<Future<?>> pending;
        synchronized (CLOSING) {
            pending = new ArrayList<>(CLOSING);
            CLOSING.clear();
        }
        for (Future<?> f : pending) f.get(60, TimeUnit.SECONDS);
    }

    private void step(String phase, Step raw) {
        String url = fill(raw.url());
        String body = raw.body() == null ? null : fill(raw.body());
        String[] headers = withIdentity(raw.headers().stream().map(this::fill).toList());
        HttpResponse<String> res = server.send(raw.method(), url, body, headers);
        String text = res.body() == null ? "" : res.body();
        String where = "[" + scenario + "] " + phase + " " + raw.method() + " " + url
                + (body == null ? "" : " " + abbreviate(body)) + "\n  -> " + res.statusCode() + " " + abbreviate(text);

        if (raw.status() == Step.ANY_2XX) {
            assertThat(res.statusCode()).as(where + "\n  expected a 2xx status").isBetween(200, 299);
        } else {
            assertThat(res.statusCode()).as(where + "\n  status").isEqualTo(raw.status());
        }
        for (String leak : LEAKS) {
            assertThat(text).as(where + "\n  the body must not leak internals").doesNotContain(leak);
        }
        JsonNode node = null;
        if (!text.isEmpty()) {
            assertThat(res.headers().firstValue("content-type").orElse("")).as(where + "\n  content type")
                    .contains("application/json");
            node = parse(text, where);
        }
        if (res.statusCode() >= 400) checkErrorShape(node, res.statusCode(), where);
        for (String c : raw.contains()) assertThat(text).as(where + "\n  body must contain").contains(fill(c));
        for (String a : raw.absent()) assertThat(text).as(where + "\n  body must not contain").doesNotContain(fill(a));
        for (Step.Check c : raw.checks()) check(res, node, c, where);
        remember(raw.method(), url, res.statusCode(), node);
    }

    /** The step's headers with its {@link Step#as} identity turned into an Authorization header. */
    private String[] withIdentity(List<String> given) {
        List<String> out = new ArrayList<>();
        String who = "admin";
        boolean explicit = false;
        for (int i = 0; i + 1 < given.size(); i += 2) {
            if (given.get(i).equals(Step.AS)) {
                who = given.get(i + 1);
                continue;
            }
            if (given.get(i).equalsIgnoreCase("Authorization")) explicit = true;
            out.add(given.get(i));
            out.add(given.get(i + 1));
        }
        if (!explicit && !who.equals("anon")) {
            String token = who.equals("admin") ? server.superuserToken() : tokens.get(who);
            if (token == null) throw new IllegalArgumentException("[" + scenario + "] unknown user " + who + "; declare it with users()");
            out.add("Authorization");
            out.add(token);
        }
        return out.toArray(String[]::new);
    }

    private static void checkErrorShape(JsonNode node, int status, String where) {
        assertThat(node).as(where + "\n  an error must have a JSON body").isNotNull();
        assertThat(node.isObject()).as(where + "\n  the error body is an object").isTrue();
        assertThat(node.path("status").isIntegralNumber() && node.path("status").asInt() == status)
                .as(where + "\n  error.status equals the HTTP status").isTrue();
        assertThat(node.path("message").isTextual() && !node.path("message").asText().isBlank())
                .as(where + "\n  error.message is a non-empty string").isTrue();
        assertThat(node.path("error")).as(where + "\n  error.error repeats message").isEqualTo(node.path("message"));
        assertThat(node.has("data") && node.get("data").isObject()).as(where + "\n  error.data is an object").isTrue();
    }

    private void check(HttpResponse<String> res, JsonNode node, Step.Check c, String where) {
        if (c.kind() == Step.Check.Kind.HEADER) {
            assertThat(res.headers().firstValue(c.target())).as(where + "\n  response header " + c.target() + " " + res.headers().map())
                    .hasValueSatisfying(v -> assertThat(v).contains(fill(c.value())));
            return;
        }
        if (c.kind() == Step.Check.Kind.NO_HEADER) {
            assertThat(res.headers().firstValue(c.target())).as(where + "\n  response header " + c.target()).isEmpty();
            return;
        }
        String pointer = fill(c.target());
        assertThat(node).as(where + "\n  a JSON body is needed for " + pointer).isNotNull();
        JsonNode at = node.at(pointer);
        String what = where + "\n  at " + pointer;
        switch (c.kind()) {
            case MISSING -> assertThat(at.isMissingNode()).as(what + " must be missing, is " + at).isTrue();
            case PRESENT -> assertThat(at.isMissingNode()).as(what + " must be present").isFalse();
            case HEADER, NO_HEADER -> throw new IllegalStateException("handled above");
            case MATCHES -> assertThat(at.asText()).as(what + " (" + at + ")").matches(fill(c.value()));
            case SIZE -> {
                assertThat(at.isContainerNode()).as(what + " must be an array or object, is "
                        + (at.isMissingNode() ? "missing" : at.toString())).isTrue();
                assertThat(at.size()).as(what + " size (" + at + ")").isEqualTo(Integer.parseInt(c.value()));
            }
            case EQUALS -> {
                assertThat(at.isMissingNode()).as(what + " must be present").isFalse();
                assertThat(at.isContainerNode() ? at.toString() : at.asText()).as(what).isEqualTo(fill(c.value()));
            }
        }
    }

    private void remember(String method, String url, int status, JsonNode node) {
        if (!method.equals("POST") || status >= 300 || node == null || !node.path("id").isTextual()) return;
        String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        String id = node.get("id").asText();
        if (RECORDS_PATH.matcher(path).matches()) {
            created++;
            vars.put("id", id);
            vars.put("id" + created, id);
        } else if (path.equals("/api/collections")) {
            vars.put("cid", id);
        }
    }

    private String fill(String s) {
        if (s == null || (!s.contains("{") && !s.contains("%7B"))) return s;
        String out = s;
        List<String> keys = new ArrayList<>(vars.keySet());
        keys.sort((a, b) -> b.length() - a.length());
        for (String k : keys) {
            out = out.replace("{" + k + "}", vars.get(k)).replace("%7B" + k + "%7D", vars.get(k));
        }
        return out;
    }

    private static JsonNode parse(String text, String where) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(where + "\n  the body is not JSON", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 600 ? s.substring(0, 600) + "…" : s;
    }
}
