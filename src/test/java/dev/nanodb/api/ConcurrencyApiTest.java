package dev.nanodb.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanodb.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Races over HTTP: exactly one winner where the contract says so, no lost or half-applied writes. */
class ConcurrencyApiTest {
    private static ExecutorService pool;
    private TestServer server;

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(16);
    }

    @AfterAll
    static void stopPool() {
        pool.shutdownNow();
    }

    @BeforeEach
    void start() {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        assertThat(server.store().check().problems()).isEmpty();
        server.close();
    }

    /** Runs the same request n times at once; answers the count of each status. */
    private Map<Integer, Integer> race(int n, Callable<HttpResponse<String>> request) throws Exception {
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) answers.add(pool.submit(request));
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (Future<HttpResponse<String>> f : answers) {
            HttpResponse<String> res = f.get();
            assertThat(res.body()).doesNotContain("Exception");
            statuses.merge(res.statusCode(), 1, Integer::sum);
        }
        return statuses;
    }

    private JsonNode json(HttpResponse<String> res) throws Exception {
        return ScenarioRunner.JSON.readTree(res.body());
    }

    @Test
    void concurrentFirstWritesAutoCreateOneCollection() throws Exception {
        assertThat(race(24, () -> server.post(Fixtures.records("fresh"), "{\"k\":1}"))).isEqualTo(Map.of(200, 24));
        assertThat(json(server.get(Fixtures.records("fresh"))).get("totalItems").asInt()).isEqualTo(24);
        long named = 0;
        for (JsonNode c : json(server.get("/api/collections")).get("items")) {
            if (c.get("name").asText().equals("fresh")) named++;
        }
        assertThat(named).isEqualTo(1);
    }

    @Test
    void concurrentCreatesOfOneUniqueValueHaveOneWinner() throws Exception {
        server.post("/api/collections", "{\"name\":\"u\",\"fields\":[{\"name\":\"s\",\"type\":\"text\",\"unique\":true}]}");
        assertThat(race(24, () -> server.post(Fixtures.records("u"), "{\"s\":\"same\"}"))).isEqualTo(Map.of(200, 1, 409, 23));
        assertThat(json(server.get(Fixtures.records("u"))).get("totalItems").asInt()).isEqualTo(1);
    }

    @Test
    void concurrentCreatesWithOneClientIdHaveOneWinner() throws Exception {
        assertThat(race(24, () -> server.post(Fixtures.records("n"), "{\"id\":\"abcdefghij12345\"}")))
                .isEqualTo(Map.of(200, 1, 409, 23));
        assertThat(json(server.get(Fixtures.records("n"))).get("totalItems").asInt()).isEqualTo(1);
    }

    @Test
    void concurrentPatchesWithTheSameExpectedVersionHaveOneWinner() throws Exception {
        String id = json(server.post(Fixtures.records("n"), "{\"c\":0}")).get("id").asText();
        assertThat(race(24, () -> server.patch(Fixtures.record("n", id), "{\"c\":1,\"_expectedVersion\":1}")))
                .isEqualTo(Map.of(200, 1, 409, 23));
        JsonNode after = json(server.get(Fixtures.record("n", id)));
        assertThat(after.get("_version").asInt()).isEqualTo(2);
        assertThat(after.get("c").asInt()).isEqualTo(1);
    }

    @Test
    void concurrentDeletesHaveOneWinner() throws Exception {
        String id = json(server.post(Fixtures.records("n"), "{\"c\":0}")).get("id").asText();
        server.post(Fixtures.records("n"), "{\"c\":1}");
        assertThat(race(24, () -> server.delete(Fixtures.record("n", id)))).isEqualTo(Map.of(200, 1, 404, 23));
        assertThat(json(server.get(Fixtures.records("n"))).get("totalItems").asInt()).isEqualTo(1);
    }
}
