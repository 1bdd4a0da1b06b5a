package dev.nanodb.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.store.ConsistencyReport;
import dev.nanodb.testing.TestServer;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Sorting and range filters over real HTTP, on an indexed field and on an unindexed twin holding the same values
 * ({@code num}/{@code num2}, {@code name}/{@code name2}): negatives, decimals, duplicates, mixed-case and non-ASCII
 * strings, records without the field and with an explicit null. The order and the matches are computed here:
 * missing/null first when ascending, numbers by value, strings by Unicode code point; ties by id in the
 * direction of the first sort key (so a descending sort is the exact reverse of the ascending one).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SortAndRangeTest {
    private static final String C = "sorty";
    private static final double[] NUMBERS = {-1_000_000, -1000.5, -3, -2.25, -1, -0.001, 0, 0.001, 0.5, 1, 1.5, 2, 3,
            7.75, 10, 100, 123456.789, 1_000_000};
    private static final String[] NAMES = {"apple", "Apple", "APPLE", "banana", "Banana", "zebra", "Zebra", "\u00e1pple",
            "\u00c1bc", "", "10", "9", "a b", "a", "aa", "\uff21", "\ud83d\ude00", "_x", "~tilde"};
    private static final double[] THRESHOLDS = {-2_000_000, -1_000_000, -1000.5, -3, -2.5, -1, -0.001, 0, 0.0005, 0.5, 1,
            1.5, 2, 9, 10, 123456.789, 1_000_000, 2_000_000};
    private static TestServer server;
    private static final List<Row> rows = new ArrayList<>();

    /** One record: {@code num}/{@code name} null when missing or null (both are null to filters and sorting). */
    private record Row(String id, Double num, String name, String grp) {}

    @BeforeAll
    static void load() throws Exception {
        server = TestServer.start();
        String def = Step.quotes("{'name':'sorty','fields':[{'name':'num','type':'number','indexed':true},"
                + "{'name':'num2','type':'number'},{'name':'name','type':'text','indexed':true},"
                + "{'name':'name2','type':'text'},{'name':'grp','type':'text'}]}");
        assertThat(server.post("/api/collections", def).statusCode()).isEqualTo(200);
        Random random = new Random(20260131);
        List<Row> planned = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            String grp = "g" + (1 + random.nextInt(3));
            StringBuilder body = new StringBuilder("{\"grp\":\"" + grp + "\"");
            int numCase = random.nextInt(20);
            Double num = numCase < 3 ? null : NUMBERS[random.nextInt(NUMBERS.length)];
            if (numCase == 0) body.append(",\"num\":null,\"num2\":null");
            if (num != null) body.append(",\"num\":").append(plain(num)).append(",\"num2\":").append(plain(num));
            String name = random.nextInt(7) == 0 ? null : NAMES[random.nextInt(NAMES.length)];
            if (name != null) body.append(",\"name\":\"").append(name).append("\",\"name2\":\"").append(name).append('"');
            bodies.add(body.append('}').toString());
            planned.add(new Row(null, num, name, grp));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (String body : bodies) {
                ids.add(pool.submit(() -> {
                    HttpResponse<String> res = server.post(Fixtures.records(C), body);
                    assertThat(res.statusCode()).as("create %s -> %s", body, res.body()).isEqualTo(200);
                    return idOf(res.body());
                }));
            }
            for (int i = 0; i < planned.size(); i++) {
                Row p = planned.get(i);
                rows.add(new Row(ids.get(i).get(), p.num(), p.name(), p.grp()));
            }
        } finally {
            pool.shutdown();
        }
    }

    private static String idOf(String body) {
        try {
            return ScenarioRunner.JSON.readTree(body).get("id").asText();
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static String plain(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    /** null first, then by value; strings by code point. */
    private static <T> Comparator<Row> by(Function<Row, T> key, Comparator<T> values) {
        return (a, b) -> {
            T x = key.apply(a);
            T y = key.apply(b);
            if (x == null || y == null) return x == null ? (y == null ? 0 : -1) : 1;
            return values.compare(x, y);
        };
    }

    private static final Comparator<String> CODE_POINTS =
            (a, b) -> Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    private static final Comparator<Row> NUM = by(Row::num, Double::compare);
    private static final Comparator<Row> NAME = by(Row::name, CODE_POINTS);
    private static final Comparator<Row> GRP = by(Row::grp, CODE_POINTS);
    private static final Comparator<Row> ID = Comparator.comparing(Row::id);

    private static void assertOrder(String sort, Comparator<Row> ascendingWithTies, String filter, Predicate<Row> p) {
        List<String> want = rows.stream().filter(p).sorted(ascendingWithTies).map(Row::id).toList();
        for (int perPage : new int[] {7, 1000}) {
            List<String> got = filter == null ? Pages.ids(Pages.all(server, C, perPage, "sort", sort))
                    : Pages.ids(Pages.all(server, C, perPage, "sort", sort, "filter", filter));
            assertThat(got).as("sort=%s filter=%s perPage=%s", sort, filter, perPage).containsExactlyElementsOf(want);
        }
    }

    private static void assertOrder(String sort, Comparator<Row> c) {
        assertOrder(sort, c, null, r -> true);
    }

    @Test
    @Order(1)
    void theDataCoversTheInterestingCases() {
        assertThat(rows).hasSize(240);
        assertThat(rows.stream().filter(r -> r.num() == null).count()).isGreaterThan(10);
        assertThat(rows.stream().filter(r -> r.name() == null).count()).isGreaterThan(10);
        assertThat(rows.stream().filter(r -> r.num() != null && r.num() < 0).count()).isGreaterThan(10);
        assertThat(rows.stream().map(Row::name).distinct().count()).isGreaterThan(15);
    }

    @Test
    @Order(2)
    void sortByAnIndexedNumber() {
        assertOrder("num", NUM.thenComparing(ID));
        assertOrder("-num", NUM.thenComparing(ID).reversed());
    }

    @Test
    @Order(3)
    void sortByAnUnindexedNumber() {
        assertOrder("num2", NUM.thenComparing(ID));
        assertOrder("-num2", NUM.thenComparing(ID).reversed());
    }

    @Test
    @Order(4)
    void sortByAnIndexedText() {
        assertOrder("name", NAME.thenComparing(ID));
        assertOrder("-name", NAME.thenComparing(ID).reversed());
    }

    @Test
    @Order(5)
    void sortByAnUnindexedText() {
        assertOrder("name2", NAME.thenComparing(ID));
        assertOrder("-name2", NAME.thenComparing(ID).reversed());
    }

    @Test
    @Order(6)
    void sortByTwoKeys() {
        assertOrder("grp,-num2", GRP.thenComparing(NUM.reversed()).thenComparing(ID));
        assertOrder("-grp,num", GRP.reversed().thenComparing(NUM).thenComparing(ID.reversed()));
        assertOrder("name,-num", NAME.thenComparing(NUM.reversed()).thenComparing(ID));
    }

    @Test
    @Order(7)
    void sortWithAFilter() {
        assertOrder("-name", NAME.thenComparing(ID).reversed(), "num > 0", r -> r.num() != null && r.num() > 0);
        assertOrder("-num", NUM.thenComparing(ID).reversed(), "num >= 1", r -> r.num() != null && r.num() >= 1);
        assertOrder("num", NUM.thenComparing(ID), "num < 2 && grp = 'g2'",
                r -> r.num() != null && r.num() < 2 && r.grp().equals("g2"));
        assertOrder("-num2", NUM.thenComparing(ID).reversed(), "name ~ 'a'",
                r -> r.name() != null && r.name().toLowerCase(java.util.Locale.ROOT).contains("a"));
    }

    @Test
    @Order(8)
    void totalsAreExact() {
        assertThat(Pages.page(server, C, "sort", "-num").get("totalItems").asInt()).isEqualTo(rows.size());
        assertThat(Pages.page(server, C, "sort", "name2").get("totalItems").asInt()).isEqualTo(rows.size());
    }

    private static void assertMatches(String filter, Predicate<Row> p) {
        List<String> want = rows.stream().filter(p).sorted(ID).map(Row::id).toList();
        List<String> got = Pages.ids(Pages.all(server, C, 1000, "filter", filter));
        assertThat(got).as("filter %s", filter).containsExactlyElementsOf(want);
    }

    @Test
    @Order(9)
    void rangeFiltersOnTheIndexedAndTheUnindexedNumber() {
        for (double t : THRESHOLDS) {
            String v = plain(t);
            for (String field : new String[] {"num", "num2"}) {
                assertMatches(field + " > " + v, r -> r.num() != null && r.num() > t);
                assertMatches(field + " >= " + v, r -> r.num() != null && r.num() >= t);
                assertMatches(field + " < " + v, r -> r.num() != null && r.num() < t);
                assertMatches(field + " <= " + v, r -> r.num() != null && r.num() <= t);
            }
            assertMatches(v + " < num", r -> r.num() != null && r.num() > t);
            assertMatches(v + " >= num", r -> r.num() != null && r.num() <= t);
        }
    }

    @Test
    @Order(10)
    void combinedRangesEqualitiesAndNulls() {
        assertMatches("num > -3 && num <= 10", r -> r.num() != null && r.num() > -3 && r.num() <= 10);
        assertMatches("num >= 1 && num < 1", r -> false);
        assertMatches("num < -1 || num > 100", r -> r.num() != null && (r.num() < -1 || r.num() > 100));
        assertMatches("num = 0", r -> r.num() != null && r.num() == 0);
        assertMatches("num = -1000.5", r -> r.num() != null && r.num() == -1000.5);
        assertMatches("num = null", r -> r.num() == null);
        assertMatches("num2 = null", r -> r.num() == null);
        assertMatches("num != null", r -> r.num() != null);
        assertMatches("num > '5'", r -> false);
        assertMatches("num2 > '5'", r -> false);
        assertMatches("name >= 'a' && name < 'b'", r -> r.name() != null && CODE_POINTS.compare(r.name(), "a") >= 0
                && CODE_POINTS.compare(r.name(), "b") < 0);
        assertMatches("name2 >= 'a' && name2 < 'b'", r -> r.name() != null && CODE_POINTS.compare(r.name(), "a") >= 0
                && CODE_POINTS.compare(r.name(), "b") < 0);
        assertMatches("name > 'z'", r -> r.name() != null && CODE_POINTS.compare(r.name(), "z") > 0);
        assertMatches("name = ''", r -> "".equals(r.name()));
    }

    @Test
    @Order(11)
    void theStoreIsConsistentAfterwards() {
        ConsistencyReport report = server.store().check();
        assertThat(report.problems()).isEmpty();
        assertThat(report.clean()).isTrue();
        assertThat(report.recordsChecked()).isGreaterThanOrEqualTo(rows.size());
    }
}
