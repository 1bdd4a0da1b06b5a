package dev.nanodb.api;

import static dev.nanodb.api.Fixtures.record;
import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.list;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanodb.testing.TestServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Read options of issue 17 on both backends: {@code sort=@random} and {@code @rowid}, {@code fields} with
 * {@code :excerpt(max, withEllipsis)}, and {@code perPage} above 1000 lowered to 1000.
 */
class Issue17ReadsApiTest {
    static final String ARTICLES = "{'name':'articles','fields':[{'name':'title','type':'text'},{'name':'body','type':'text'},"
            + "{'name':'n','type':'number'}],'listRule':'','viewRule':'','createRule':'','updateRule':'','deleteRule':''}";
    static final String HTML = "<p>Hello <b>big</b> world</p><script>alert(1)</script><p>second &amp;   para</p>";

    @TestFactory
    Stream<DynamicTest> reads() {
        return ScenarioRunner.tests(Backends.both(scenarios()));
    }

    static List<Scenario> scenarios() {
        return List.of(
                Scenario.named("sort=@rowid is insertion order (created), whatever the ids; -@rowid reverses it")
                        .given(collection(ARTICLES), create("articles", "{'id':'zzzzzzzzzzzzzz1','title':'first'}"),
                                create("articles", "{'id':'aaaaaaaaaaaaaa2','title':'second'}"),
                                create("articles", "{'id':'mmmmmmmmmmmmmm3','title':'third'}"))
                        .when(list("articles", "sort", "@rowid").expect(200).at("/items/0/title", "first")
                                .at("/items/1/title", "second").at("/items/2/title", "third"))
                        .then(list("articles", "sort", "-@rowid").at("/items/0/title", "third").at("/items/2/title", "first"),
                                list("articles").at("/items/0/title", "second")),
                Scenario.named("sort=@random lists every record with exact totals, also after another key")
                        .given(collection(ARTICLES), create("articles", "{'n':1}"), create("articles", "{'n':2}"),
                                create("articles", "{'n':2}"))
                        .when(list("articles", "sort", "@random").expect(200).at("/totalItems", 3).size("/items", 3))
                        .then(list("articles", "sort", "-n,@random").at("/items/0/n", 2).at("/items/1/n", 2).at("/items/2/n", 1),
                                list("articles", "sort", "@random", "filter", "n=2", "perPage", "1").at("/totalItems", 2).size("/items", 1)),
                Scenario.named("fields=body:excerpt(10,true) strips the HTML and cuts with an ellipsis")
                        .given(collection(ARTICLES), create("articles", "{'title':'T','body':'" + HTML + "'}"))
                        .when(list("articles", "fields", "id,body:excerpt(10,true)").expect(200)
                                .at("/items/0/body", "Hello big...").missing("/items/0/title").present("/items/0/id"))
                        .then(get(record("articles", "{id}") + "?fields=body:excerpt(10)").at("/body", "Hello big").missing("/id"),
                                get(record("articles", "{id}") + "?fields=*,body:excerpt(100)").at("/title", "T")
                                        .at("/body", "Hello big world second & para")),
                Scenario.named("fields=*:excerpt(2) cuts every string but what is named on its own")
                        .given(collection(ARTICLES), create("articles", "{'title':'Title','body':'Body','n':7}"))
                        .when(get(record("articles", "{id}") + "?fields=*:excerpt(2),title").expect(200)
                                .at("/title", "Title").at("/body", "Bo").at("/n", 7).at("/collectionName", "ar")),
                Scenario.named("an invalid token lists public records as a guest (default); an auth-only route is still 401")
                        .given(collection(ARTICLES), create("articles", "{'title':'public'}"))
                        .when(list("articles").header("Authorization", "Bearer not.a.token").expect(200).at("/totalItems", 1))
                        .then(Step.post("/api/collections/users/auth-refresh", null).header("Authorization", "not.a.token").expect(401),
                                get("/api/collections").header("Authorization", "not.a.token").expect(401)),
                Scenario.named("INVALID_TOKEN=reject: the same list is 401")
                        .env("INVALID_TOKEN", "reject")
                        .given(collection(ARTICLES), create("articles", "{'title':'public'}"))
                        .when(list("articles").header("Authorization", "Bearer not.a.token").expect(401))
                        .then(list("articles").as("anon").expect(200).at("/totalItems", 1)),
                Scenario.named("an excerpt under an expand path cuts the related record's field only")
                        .given(collection("{'name':'people','fields':[{'name':'name','type':'text'}],'listRule':'','viewRule':''}"),
                                collection("{'name':'quotes','fields':[{'name':'text','type':'text'},"
                                        + "{'name':'who','type':'relation','collectionId':'people','maxSelect':1}],'listRule':'','viewRule':''}"),
                                create("people", "{'name':'<i>Ada</i> Lovelace'}"), create("quotes", "{'text':'Long text','who':'{id1}'}"))
                        .when(list("quotes", "expand", "who", "fields", "text,expand.who.name:excerpt(3,true)").expect(200)
                                .at("/items/0/text", "Long text").at("/items/0/expand/who/name", "Ada...").missing("/items/0/expand/who/id")),
                Scenario.named("an unknown or malformed fields modifier is 400 on fields")
                        .given(collection(ARTICLES), create("articles", "{'body':'x'}"))
                        .when(list("articles", "fields", "body:excerpt(0)").expect(400).present("/data/fields"))
                        .then(list("articles", "fields", "body:upper()").expect(400).present("/data/fields"),
                                get(record("articles", "{id}") + "?fields=body:excerpt(abc)").expect(400).present("/data/fields")));
    }

    /** Ten {@code @random} lists of the same twelve records: each holds them all, and the order is not always one. */
    @ParameterizedTest
    @ValueSource(strings = {"lmdb", TestServer.POSTGRES})
    void randomOrderVariesAndLosesNothing(String backend) throws Exception {
        Map<String, String> env = backend.equals(TestServer.POSTGRES) ? Map.of(TestServer.BACKEND, TestServer.POSTGRES) : Map.of();
        try (TestServer server = TestServer.start(env)) {
            assertThat(server.post("/api/collections", Step.quotes(ARTICLES)).statusCode()).isEqualTo(200);
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 12; i++) {
                ids.add(ScenarioRunner.JSON.readTree(server.post(Fixtures.records("articles"), "{\"n\":" + i + "}").body()).get("id").asText());
            }
            Set<List<String>> orders = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                JsonNode page = ScenarioRunner.JSON.readTree(server.get(Fixtures.records("articles") + "?sort=@random").body());
                List<String> order = new ArrayList<>();
                page.get("items").forEach(item -> order.add(item.get("id").asText()));
                assertThat(new HashSet<>(order)).isEqualTo(ids);
                assertThat(order).hasSize(12);
                orders.add(order);
            }
            assertThat(orders.size()).as("distinct orders of 10 random lists").isGreaterThan(1);
        }
    }
}
