package dev.nanodb.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanodb.schema.Ids;
import dev.nanodb.schema.Times;
import dev.nanodb.store.Record;
import dev.nanodb.store.WriteOp;
import dev.nanodb.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A list rule over 10,000 records: each user's totals and pages are exact (the rule is applied inside the
 * query, never by dropping rows after paging), and a rule on an indexed owner field is answered from the index.
 *
 * <p>Records are spread over three owners in a 5:3:2 pattern, and the even ones are flagged, so a user filter
 * combined with the rule has a known answer too.
 */
class ListRuleScaleTest {
    private static final int N = 10_000;
    private static TestServer server;
    private static String alice;
    private static String bob;
    private static String aliceToken;
    private static String bobToken;

    @BeforeAll
    static void load() {
        server = TestServer.start();
        alice = server.signUp("alice@example.com");
        bob = server.signUp("bob@example.com");
        String carol = server.signUp("carol@example.com");
        aliceToken = server.login("users", "alice@example.com", "password123");
        bobToken = server.login("users", "bob@example.com", "password123");
        for (String name : List.of("owned", "unindexed")) {
            String indexed = name.equals("owned") ? "true" : "false";
            String def = Step.quotes("{'name':'" + name + "','fields':[{'name':'n','type':'number'},{'name':'flag','type':'bool'},"
                    + "{'name':'owner_id','type':'text','indexed':" + indexed + "}],"
                    + "'listRule':'owner_id = @request.auth.id','viewRule':'owner_id = @request.auth.id'}");
            assertThat(server.post("/api/collections", def).statusCode()).isEqualTo(200);
        }
        List<WriteOp> batch = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            String owner = switch (i % 10) {
                case 0, 1, 2, 3, 4 -> alice;
                case 5, 6, 7 -> bob;
                default -> carol;
            };
            String now = Times.now();
            Map<String, Object> data = Map.of("n", (long) i, "flag", i % 2 == 0, "owner_id", owner);
            batch.add(new WriteOp.Create("owned", new Record(Ids.newId(), now, now, 1, data)));
            batch.add(new WriteOp.Create("unindexed", new Record(Ids.newId(), now, now, 1, data)));
            if (batch.size() >= 1000) {
                server.store().write(List.copyOf(batch)).join();
                batch.clear();
            }
        }
        server.store().write(batch).join();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode list(String collection, String token, String query) {
        var r = server.send("GET", "/api/collections/" + collection + "/records?" + query, null, "Authorization", token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        try {
            return ScenarioRunner.JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void eachUserCountsExactlyItsOwnRecords() {
        for (String c : List.of("owned", "unindexed")) {
            JsonNode a = list(c, aliceToken, "perPage=30");
            assertThat(a.get("totalItems").asLong()).as(c).isEqualTo(5_000);
            assertThat(a.get("totalPages").asLong()).isEqualTo(167);
            JsonNode b = list(c, bobToken, "perPage=1000&page=3&sort=-n");
            assertThat(b.get("totalItems").asLong()).as(c).isEqualTo(3_000);
            assertThat(b.get("items").size()).isEqualTo(1000);
            for (JsonNode item : b.get("items")) assertThat(item.get("owner_id").asText()).isEqualTo(bob);
            JsonNode last = list(c, aliceToken, "perPage=30&page=167");
            assertThat(last.get("items").size()).isEqualTo(5_000 - 166 * 30);
        }
    }

    @Test
    void aUserFilterNarrowsTheRuleAndNeverWidensIt() {
        JsonNode flagged = list("owned", aliceToken, "filter=" + enc("flag = true"));
        assertThat(flagged.get("totalItems").asLong()).as("owners 0-4 of every 10, even ones flagged").isEqualTo(3_000);
        JsonNode widened = list("owned", aliceToken, "filter=" + enc("owner_id = '" + bob + "' || n >= 0"));
        assertThat(widened.get("totalItems").asLong()).isEqualTo(5_000);
        JsonNode others = list("owned", aliceToken, "filter=" + enc("owner_id = '" + bob + "'"));
        assertThat(others.get("totalItems").asLong()).isZero();
        var anon = server.send("GET", "/api/collections/owned/records", null);
        assertThat(anon.statusCode()).isEqualTo(200);
        assertThat(anon.body()).contains("\"totalItems\":0,").contains("\"items\":[]");
    }

    /**
     * The planner drops an equality every record satisfies and, for a sort on an indexed field, walks the sort's
     * index instead of ranking a huge equality; both must keep answers and totals exact, also once the equality
     * stops holding for every record.
     */
    @Test
    void aRuleEveryRecordSatisfiesAndSortedWalksStayExact() {
        String def = Step.quotes("{'name':'solo','fields':[{'name':'n','type':'number','indexed':true},"
                + "{'name':'s','type':'text','indexed':true},{'name':'owner_id','type':'text','indexed':true}],"
                + "'listRule':'owner_id = @request.auth.id','createRule':'@request.auth.id != \\'\\''}");
        assertThat(server.post("/api/collections", def).statusCode()).isEqualTo(200);
        List<WriteOp> batch = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            String now = Times.now();
            batch.add(new WriteOp.Create("solo", new Record(Ids.newId(), now, now, 1,
                    Map.of("n", (long) (i * 7 % 3_000), "s", "s" + (i % 3), "owner_id", alice))));
        }
        server.store().write(batch).join();
        for (int round = 0; round < 2; round++) {
            JsonNode sorted = list("solo", aliceToken, "perPage=50&sort=-n&filter=" + enc("s = 's1'"));
            assertThat(sorted.get("totalItems").asLong()).as("round %d", round).isEqualTo(1_000);
            long previous = Long.MAX_VALUE;
            for (JsonNode item : sorted.get("items")) {
                assertThat(item.get("s").asText()).isEqualTo("s1");
                assertThat(item.get("n").asLong()).isLessThan(previous);
                previous = item.get("n").asLong();
            }
            assertThat(sorted.get("items").size()).isEqualTo(50);
            JsonNode all = list("solo", aliceToken, "perPage=30&sort=n");
            assertThat(all.get("totalItems").asLong()).isEqualTo(3_000);
            assertThat(all.get("items").get(0).get("n").asLong()).isZero();
            assertThat(list("solo", bobToken, "perPage=30&sort=n").get("totalItems").asLong()).isEqualTo(round);
            var created = server.send("POST", "/api/collections/solo/records", "{\"n\":-1,\"s\":\"s1\"}", "Authorization", bobToken);
            assertThat(created.statusCode()).as("stored, and not shown: the view rule is locked; %s", created.body()).isEqualTo(204);
        }
    }

    @Test
    void aRuleOnAnIndexedOwnerFieldIsAnsweredFromTheIndex() {
        var records = new dev.nanodb.records.RecordService(server.store(),
                new dev.nanodb.collections.CollectionService(server.store()), false, null, null);
        var who = new dev.nanodb.rules.Identity(server.store().collection("users").orElseThrow(),
                server.store().get("users", alice).orElseThrow());
        var req = new dev.nanodb.rules.RequestInfo(who, "GET", Map.of(), Map.of());
        var params = dev.nanodb.records.ListParams.parse(null, "30", null, null, null, null);
        var indexed = records.listQuery(server.store().collection("owned").orElseThrow(), params, req);
        var bounded = server.store().queryBounded(indexed);
        assertThat(bounded).as("the owner index bounds the work: no scan of the collection").isPresent();
        assertThat(bounded.get().totalItems()).isEqualTo(5_000);
        var unindexed = records.listQuery(server.store().collection("unindexed").orElseThrow(), params, req);
        assertThat(server.store().queryBounded(unindexed)).as("without the index the same rule needs a scan").isEmpty();
    }
}
