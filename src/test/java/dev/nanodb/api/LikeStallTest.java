package dev.nanodb.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.filter.Values;
import dev.nanodb.testing.StallProbe;
import dev.nanodb.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * Hole 5 of issue 13, the list path: a record with a 1,000,000-character field and a filter
 * {@code id = "X" && big ~ "%aaaa…b%"} froze the event loop for seconds, because the LIKE matcher backtracked
 * (O(n·m)) and a plan by id counted as bounded work although a residual filter remained. Each row sends one such
 * list request, as a superuser and as anonymous, on both backends, while {@link StallProbe} asks {@code /health}
 * over new connections: the answer must be the exact one, and no {@code /health} may take more than 200 ms. A
 * pattern over {@value Values#MAX_PATTERN} characters is a 400 naming {@code filter}.
 */
@Timeout(180)
class LikeStallTest {
    private static final String BIG = "a".repeat(1_000_000);
    private static final String WORST = "%" + "a".repeat(Values.MAX_PATTERN - 3) + "b%";
    private static TestServer lmdb;
    private static TestServer postgres;
    private static String lmdbId;
    private static String pgId;

    @BeforeAll
    static void seed() {
        lmdb = TestServer.start();
        lmdbId = seed(lmdb);
        postgres = TestServer.start(Map.of(TestServer.BACKEND, TestServer.POSTGRES));
        pgId = seed(postgres);
    }

    private static String seed(TestServer s) {
        ok(s.post("/api/collections", "{\"name\":\"huge\",\"fields\":[{\"name\":\"big\",\"type\":\"text\"},"
                + "{\"name\":\"title\",\"type\":\"text\"}],\"listRule\":\"\",\"viewRule\":\"\",\"createRule\":null,"
                + "\"updateRule\":null,\"deleteRule\":null}"));
        String body = ok(s.post("/api/collections/huge/records", "{\"title\":\"t\",\"big\":\"" + BIG + "\"}"));
        int at = body.indexOf("\"id\":\"") + 6;
        return body.substring(at, body.indexOf('"', at));
    }

    @AfterAll
    static void stop() {
        if (lmdb != null) lmdb.close();
        if (postgres != null) postgres.close();
    }

    /** A list filter, who sends it, and the totalItems it must give (-1: a 400 naming {@code filter}). */
    record Row(String name, String filter, boolean anonymous, int total) {}

    private static List<Row> rows(String id) {
        return List.of(
                new Row("by id with the worst LIKE, as a superuser", "id = '" + id + "' && big ~ '" + WORST + "'", false, 0),
                new Row("by id with the worst LIKE, anonymous", "id = '" + id + "' && big ~ '" + WORST + "'", true, 0),
                new Row("by id with a LIKE that matches", "id = '" + id + "' && big ~ '%" + "a".repeat(500) + "%'", true, 1),
                new Row("the worst LIKE as a scan", "big ~ '" + WORST + "'", true, 0),
                new Row("the worst NOT LIKE", "id = '" + id + "' && big !~ '" + WORST + "'", true, 1),
                new Row("three worst LIKEs in one filter", "big ~ '" + WORST + "' || big ~ '" + WORST.replace('b', 'c')
                        + "' || big ~ '" + WORST.replace('b', 'd') + "'", true, 0),
                new Row("a pattern one character too long is a 400", "big ~ '" + "a".repeat(Values.MAX_PATTERN + 1) + "'", true, -1));
    }

    @TestFactory
    Stream<DynamicTest> aHugeLikeNeverStallsTheServer() {
        Stream<DynamicTest> onLmdb = rows(lmdbId).stream().map(r -> DynamicTest.dynamicTest(r.name() + " [lmdb]", () -> run(lmdb, r)));
        Stream<DynamicTest> onPg = rows(pgId).stream().map(r -> DynamicTest.dynamicTest(r.name() + " [postgres]", () -> run(postgres, r)));
        return Stream.concat(onLmdb, onPg);
    }

    private static void run(TestServer s, Row row) {
        String url = Step.url("/api/collections/huge/records", "filter", row.filter().replace('\'', '"'), "fields", "id");
        HttpResponse<String> r;
        try (StallProbe probe = StallProbe.start(s.baseUrl())) {
            r = row.anonymous() ? s.send("GET", url, null) : s.get(url);
            probe.close();
            assertThat(probe.worstMillis()).as("slowest /health during the request (%d probes)", probe.probes())
                    .isLessThanOrEqualTo(200);
        }
        if (row.total() < 0) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(r.body()).contains("\"filter\"").contains("longer than " + Values.MAX_PATTERN);
        } else {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("\"totalItems\":" + row.total());
        }
    }

    private static String ok(HttpResponse<String> r) {
        if (r.statusCode() != 200) throw new AssertionError(r.statusCode() + " " + r.body());
        return r.body();
    }
}
