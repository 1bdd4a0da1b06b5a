package dev.nanodb.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanodb.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** Reading list answers over HTTP for the non-table tests. */
final class Pages {
    private Pages() {}

    /** One list answer; fails unless it is 200. */
    static JsonNode page(TestServer server, String collection, String... params) {
        String url = Step.url(Fixtures.records(collection), params);
        HttpResponse<String> res = server.get(url);
        assertThat(res.statusCode()).as("GET %s -> %s", url, res.body()).isEqualTo(200);
        try {
            return ScenarioRunner.JSON.readTree(res.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + res.body(), e);
        }
    }

    /**
     * Every item of a listing, walking pages of {@code perPage} until the reported total pages; checks that each
     * page reports the same exact {@code totalItems}, that each page but the last is full and that the pages
     * together hold exactly {@code totalItems} items.
     */
    static List<JsonNode> all(TestServer server, String collection, int perPage, String... params) {
        List<JsonNode> items = new ArrayList<>();
        long total = -2;
        long pages = 1;
        for (int p = 1; p <= pages; p++) {
            String[] withPage = new String[params.length + 4];
            System.arraycopy(params, 0, withPage, 0, params.length);
            withPage[params.length] = "page";
            withPage[params.length + 1] = Integer.toString(p);
            withPage[params.length + 2] = "perPage";
            withPage[params.length + 3] = Integer.toString(perPage);
            JsonNode page = page(server, collection, withPage);
            long t = page.get("totalItems").asLong();
            if (total == -2) {
                total = t;
                pages = page.get("totalPages").asLong();
                assertThat(pages).as("totalPages for %s items of %s", total, perPage).isEqualTo((total + perPage - 1) / perPage);
            }
            assertThat(t).as("totalItems on page %s", p).isEqualTo(total);
            int expectedSize = (int) Math.min(perPage, total - (long) (p - 1) * perPage);
            assertThat(page.get("items").size()).as("size of page %s", p).isEqualTo(expectedSize);
            page.get("items").forEach(items::add);
        }
        assertThat(items).hasSize((int) Math.max(total, 0));
        return items;
    }

    static List<String> ids(List<JsonNode> items) {
        return items.stream().map(i -> i.get("id").asText()).toList();
    }
}
