package dev.nanodb.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanodb.schema.Ids;
import dev.nanodb.schema.Times;
import dev.nanodb.store.ConsistencyReport;
import dev.nanodb.store.Record;
import dev.nanodb.store.WriteOp;
import dev.nanodb.testing.TestServer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * 10,000 records: totals, pages and contents must be exact under unindexed filters (a full scan), indexed
 * filters, and both combined — never a scan cap. The expected answers are computed here from the data.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LargeListTest {
    private static final int N = 10_000;
    private static final String C = "big";
    private static TestServer server;
    private static final List<Row> rows = new ArrayList<>();

    /** What the test knows about one stored record. */
    private record Row(String id, long n, long m7, long k, String label) {}

    @BeforeAll
    static void load() {
        server = TestServer.start();
        String def = Step.quotes("{'name':'big','fields':[{'name':'n','type':'number'},{'name':'m7','type':'number'},"
                + "{'name':'k','type':'number','indexed':true},{'name':'label','type':'text'}]}");
        assertThat(server.post("/api/collections", def).statusCode()).isEqualTo(200);
        List<WriteOp> batch = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            Row row = new Row(Ids.newId(), i, i % 7, i % 100, (i % 3 == 0 ? "Item-" : "item-") + i);
            rows.add(row);
            String now = Times.now();
            batch.add(new WriteOp.Create(C, new Record(row.id(), now, now, 1,
                    Map.of("n", row.n(), "m7", row.m7(), "k", row.k(), "label", row.label()))));
            if (batch.size() == 500) {
                server.store().write(List.copyOf(batch)).join();
                batch.clear();
            }
        }
        rows.sort(Comparator.comparing(Row::id));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static List<String> expected(Predicate<Row> p) {
        return rows.stream().filter(p).map(Row::id).toList();
    }

    /** Walks every page of a filter and compares ids (natural order: by id) and totals with the computed answer. */
    private static void assertExact(String filter, Predicate<Row> p, int perPage) {
        List<String> want = expected(p);
        List<String> got = Pages.ids(Pages.all(server, C, perPage, "filter", filter));
        assertThat(got).as("filter %s", filter).hasSize(want.size()).containsExactlyElementsOf(want);
    }

    @Test
    @Order(1)
    void totalsWithoutAFilterAreExact() {
        JsonNode first = Pages.page(server, C);
        assertThat(first.get("totalItems").asLong()).isEqualTo(N);
        assertThat(first.get("totalPages").asLong()).isEqualTo((N + 29) / 30);
        assertThat(first.get("perPage").asInt()).isEqualTo(30);
        JsonNode tenth = Pages.page(server, C, "page", "10", "perPage", "1000");
        assertThat(tenth.get("items").size()).isEqualTo(1000);
        assertThat(tenth.get("items").get(999).get("id").asText()).isEqualTo(rows.get(N - 1).id());
        assertThat(Pages.page(server, C, "page", "11", "perPage", "1000").get("items").size()).isZero();
    }

    @Test
    @Order(2)
    void anUnindexedEqualityCountsEveryMatch() {
        long want = rows.stream().filter(r -> r.n() % 7 == 3).count();
        assertThat(want).isEqualTo(1429);
        JsonNode page48 = Pages.page(server, C, "filter", "m7 = 3", "page", "48", "perPage", "30");
        assertThat(page48.get("totalItems").asLong()).isEqualTo(want);
        assertThat(page48.get("totalPages").asLong()).isEqualTo((want + 29) / 30);
        assertThat(page48.get("items").size()).isEqualTo((int) (want - 47 * 30));
        List<String> all = expected(r -> r.m7() == 3);
        for (int i = 0; i < page48.get("items").size(); i++) {
            JsonNode item = page48.get("items").get(i);
            assertThat(item.get("m7").asLong()).isEqualTo(3);
            assertThat(item.get("id").asText()).isEqualTo(all.get(47 * 30 + i));
        }
        assertThat(Pages.page(server, C, "filter", "m7 = 3", "page", "49").get("items").size()).isZero();
        assertExact("m7 = 3", r -> r.m7() == 3, 1000);
    }

    @Test
    @Order(3)
    void unindexedRangesAndContainsAreExact() {
        assertExact("n >= 5000 && label ~ '9'", r -> r.n() >= 5000 && r.label().contains("9"), 1000);
        assertExact("n > 9990 || n < 5", r -> r.n() > 9990 || r.n() < 5, 30);
        assertExact("label ~ 'ITEM-1'", r -> r.label().toLowerCase(Locale.ROOT).contains("item-1"), 1000);
        assertExact("label ~ 'Item-%5'", r -> r.label().toLowerCase(Locale.ROOT).matches("item-.*5"), 1000);
        assertExact("m7 != 0 && n < 300", r -> r.m7() != 0 && r.n() < 300, 100);
    }

    @Test
    @Order(4)
    void indexedAndMixedFiltersAreExact() {
        assertExact("k = 42", r -> r.k() == 42, 30);
        assertExact("m7 = 3 && k = 42", r -> r.m7() == 3 && r.k() == 42, 7);
        assertExact("k >= 90 && m7 != 0", r -> r.k() >= 90 && r.m7() != 0, 1000);
        assertExact("k < 3 || m7 = 6", r -> r.k() < 3 || r.m7() == 6, 1000);
    }

    @Test
    @Order(5)
    void sortingAScanByAnUnindexedFieldPagesExactly() {
        List<String> want = rows.stream().filter(r -> r.m7() == 3).sorted(Comparator.comparingLong(Row::n).reversed())
                .map(Row::id).toList();
        JsonNode page2 = Pages.page(server, C, "filter", "m7 = 3", "sort", "-n", "page", "2", "perPage", "30");
        assertThat(page2.get("totalItems").asLong()).isEqualTo(want.size());
        List<String> got = new ArrayList<>();
        page2.get("items").forEach(i -> got.add(i.get("id").asText()));
        assertThat(got).containsExactlyElementsOf(want.subList(30, 60));
        List<String> last = Pages.ids(Pages.all(server, C, 1000, "filter", "m7 = 3", "sort", "-n"));
        assertThat(last).containsExactlyElementsOf(want);
    }

    @Test
    @Order(6)
    void skipTotalWithAnUnindexedFilter() {
        JsonNode page = Pages.page(server, C, "filter", "m7 = 3", "skipTotal", "1", "page", "2");
        assertThat(page.get("totalItems").asLong()).isEqualTo(-1);
        assertThat(page.get("totalPages").asLong()).isEqualTo(-1);
        assertThat(Pages.ids(List.copyOf(iterable(page.get("items")))))
                .containsExactlyElementsOf(expected(r -> r.m7() == 3).subList(30, 60));
    }

    @Test
    @Order(7)
    void theStoreIsConsistentAfterwards() {
        ConsistencyReport report = server.store().check();
        assertThat(report.problems()).isEmpty();
        assertThat(report.clean()).isTrue();
        assertThat(report.recordsChecked()).isGreaterThanOrEqualTo(N);
    }

    private static List<JsonNode> iterable(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }
}
