package dev.nanodb.api;

import static dev.nanodb.api.Fixtures.record;
import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.patch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writes as PocketBase SDK apps send them (issue 17), on both backends: number modifiers {@code views+} /
 * {@code views-}, select-multiple {@code tags+} / {@code tags-}, a record read and sent back whole, and the keys
 * that stay refused (docs/API.md, "Writes: decisions"). Rules see modifiers resolved.
 */
class Issue17WritesApiTest {
    /** posts: counters with bounds, a multi-select, an owner; everyone may do everything. */
    static final String POSTS = "{'name':'posts','fields':[{'name':'title','type':'text'},"
            + "{'name':'views','type':'number'},{'name':'score','type':'number','min':0,'max':10},"
            + "{'name':'tags','type':'select','values':['a','b','c'],'maxSelect':3},"
            + "{'name':'kind','type':'select','values':['x','y']},{'name':'owner_id','type':'text'}],"
            + "'listRule':'','viewRule':'','createRule':'','updateRule':'','deleteRule':''}";
    /** guarded: the update rule forbids touching views through the body ({@code @request.body.views:isset = false}). */
    static final String GUARDED = "{'name':'guarded','fields':[{'name':'title','type':'text'},{'name':'views','type':'number'}],"
            + "'listRule':'','viewRule':'','createRule':'@request.body.views:isset = false',"
            + "'updateRule':'@request.body.views:isset = false','deleteRule':''}";
    /** capped: the update rule caps views at 10 as the body resolves it. */
    static final String CAPPED = "{'name':'capped','fields':[{'name':'views','type':'number'}],"
            + "'listRule':'','viewRule':'','createRule':'','updateRule':'@request.body.views <= 10','deleteRule':''}";

    @TestFactory
    Stream<DynamicTest> writes() {
        return ScenarioRunner.tests(Backends.both(scenarios()));
    }

    /**
     * 16 clients send 300 modifiers at once ({@code views+: 2} and {@code views-: 1}, one record): each is applied
     * to the record as its write transaction finds it, so none is lost and the sum is exact.
     */
    @ParameterizedTest
    @ValueSource(strings = {"lmdb", TestServer.POSTGRES})
    void concurrentModifiersSumExactly(String backend) throws Exception {
        Map<String, String> env = backend.equals(TestServer.POSTGRES) ? Map.of(TestServer.BACKEND, TestServer.POSTGRES) : Map.of();
        TestServer server = TestServer.start(env);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            assertThat(server.post("/api/collections", Step.quotes(POSTS)).statusCode()).isEqualTo(200);
            HttpResponse<String> created = server.post(Fixtures.records("posts"), "{\"views\":0}");
            String id = ScenarioRunner.JSON.readTree(created.body()).get("id").asText();
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String body = i % 3 == 0 ? "{\"views-\":1}" : "{\"views+\":2}";
                answers.add(pool.submit(() -> server.patch(Fixtures.record("posts", id), body)));
            }
            for (Future<HttpResponse<String>> a : answers) assertThat(a.get().statusCode()).isEqualTo(200);
            String stored = server.get(Fixtures.record("posts", id)).body();
            assertThat(ScenarioRunner.JSON.readTree(stored).get("views").asLong()).isEqualTo(200 * 2 - 100);
            assertThat(ScenarioRunner.JSON.readTree(stored).get("_version").asLong()).isEqualTo(301);
        } finally {
            pool.shutdownNow();
            server.close();
        }
    }

    /** A modifier on a posts record holding {@code field = stored} is 400 with {@code code} and changes nothing. */
    private static Scenario refused(String name, String field, String stored, String body, String code) {
        return Scenario.named(name)
                .given(collection(POSTS), create("posts", "{'" + field + "':" + stored + "}"))
                .when(patch(record("posts", "{id}"), body).expect(400).at("/data/" + field + "/code", code))
                .then(get(record("posts", "{id}")).has("'" + field + "':" + stored));
    }

    static List<Scenario> scenarios() {
        return List.of(
                Scenario.named("views+ on a create adds to nothing")
                        .given(collection(POSTS))
                        .when(create("posts", "{'title':'t','views+':5}").expect(200).at("/views", 5).missing("/views+")),
                Scenario.named("views+ and views- add to and subtract from the stored number")
                        .given(collection(POSTS), create("posts", "{'views':10}"))
                        .when(patch(record("posts", "{id}"), "{'views+':3}").expect(200).at("/views", 13))
                        .then(patch(record("posts", "{id}"), "{'views-':20}").expect(200).at("/views", -7),
                                get(record("posts", "{id}")).expect(200).at("/views", -7)),
                Scenario.named("a fraction and a numeric string (a form's value) are numbers too")
                        .given(collection(POSTS), create("posts", "{'views':10}"))
                        .when(patch(record("posts", "{id}"), "{'views+':1.5}").expect(200).at("/views", 11.5))
                        .then(patch(record("posts", "{id}"), "{'views-':'0.25'}").expect(200).at("/views", 11.25)),
                Scenario.named("a plain value is set before the modifier adds to it")
                        .given(collection(POSTS), create("posts", "{'views':10}"))
                        .when(patch(record("posts", "{id}"), "{'views':1,'views+':2}").expect(200).at("/views", 3)),
                refused("views+ of something not a number is 400 on views and changes nothing",
                        "views", "10", "{'views+':'abc'}", "validation_invalid_number"),
                refused("a sum past the range of a number is 400", "views", "1.0E308", "{'views+':1.0e308}", "validation_invalid_number"),
                refused("the result of a modifier is validated: score- below min is 400",
                        "score", "1", "{'score-':5}", "validation_min_number_constraint"),
                Scenario.named("+views is no number modifier: an unknown field")
                        .given(collection(POSTS), create("posts", "{'views':1}"))
                        .when(patch(record("posts", "{id}"), "{'+views':1}").expect(400)
                                .at("/data/+views/code", "validation_unknown_field")),
                Scenario.named("tags+ appends to a multi-select, tags- removes")
                        .given(collection(POSTS), create("posts", "{'tags':['a']}"))
                        .when(patch(record("posts", "{id}"), "{'tags+':['b','c']}").expect(200).has("'tags':['a','b','c']"))
                        .then(patch(record("posts", "{id}"), "{'tags-':'a'}").expect(200).has("'tags':['b','c']"),
                                patch(record("posts", "{id}"), "{'+tags':'a'}").expect(200).has("'tags':['a','b','c']")),
                Scenario.named("tags+ with a value the select does not allow is 400")
                        .given(collection(POSTS), create("posts", "{'tags':['a']}"))
                        .when(patch(record("posts", "{id}"), "{'tags+':'z'}").expect(400).at("/data/tags/code", "validation_invalid_value"))
                        .then(get(record("posts", "{id}")).has("'tags':['a']")),
                Scenario.named("a single select takes the last value a modifier gives")
                        .given(collection(POSTS), create("posts", "{'kind':'x'}"))
                        .when(patch(record("posts", "{id}"), "{'kind+':'y'}").expect(200).at("/kind", "y")),
                Scenario.named("a record read and sent back whole (stale system keys, expand) is an update")
                        .users("alice")
                        .given(collection(POSTS), create("posts", "{'title':'t','views':1}").as("alice"))
                        .when(patch(record("posts", "{id}"), "{'collectionId':'{cid}','collectionName':'posts','id':'{id}',"
                                + "'created':'2020-01-01 00:00:00.000Z','updated':'2020-01-01 00:00:00.000Z','_version':77,"
                                + "'expand':{'x':{'id':'abc'}},'title':'t2','views':1,'tags':[],'kind':'','score':null,"
                                + "'owner_id':'{alice}'}").as("alice").expect(200)
                                .at("/title", "t2").at("/_version", 2).at("/owner_id", "{alice}").matches("/created", "^(?!2020).*")
                                .missing("/expand")),
                Scenario.named("an update naming another id is 400 validation_pk_change, for superusers too")
                        .given(collection(POSTS), create("posts", "{'title':'t'}"))
                        .when(patch(record("posts", "{id}"), "{'id':'zzzzzzzzzzzzzzz','title':'x'}").expect(400)
                                .at("/data/id/code", "validation_pk_change"))
                        .then(get(record("posts", "{id}")).at("/title", "t")),
                Scenario.named("a non-superuser still cannot choose an id on create")
                        .users("alice")
                        .given(collection(POSTS))
                        .when(create("posts", "{'id':'abcdefghijklmno','title':'t'}").as("alice").expect(400).present("/data/id")),
                Scenario.named("a non-superuser still cannot give a record to someone else")
                        .users("alice", "bob")
                        .given(collection(POSTS), create("posts", "{'title':'t'}").as("alice"))
                        .when(patch(record("posts", "{id}"), "{'owner_id':'{bob}'}").as("alice").expect(400)
                                .at("/data/owner_id/code", "validation_forbidden_field")),
                Scenario.named("_version in a body is ignored, never assigned")
                        .given(collection(POSTS), create("posts", "{'title':'t','_version':50}"))
                        .when(patch(record("posts", "{id}"), "{'_version':90,'title':'u'}").expect(200).at("/_version", 2)),
                Scenario.named("a truly unknown key is still 400 validation_unknown_field")
                        .given(collection(POSTS), create("posts", "{'title':'t'}"))
                        .when(patch(record("posts", "{id}"), "{'title':'t','nope':1}").expect(400)
                                .at("/data/nope/code", "validation_unknown_field")),
                Scenario.named("views+ is refused by a rule that guards @request.body.views")
                        .users("alice")
                        .given(collection(GUARDED), create("guarded", "{'title':'t','views':1}"))
                        .when(patch(record("guarded", "{id}"), "{'views+':100}").as("alice").expect(404))
                        .then(patch(record("guarded", "{id}"), "{'title':'u'}").as("alice").expect(200).at("/views", 1),
                                create("guarded", "{'views+':5}").as("alice").expect(400)),
                Scenario.named("a rule judges the value a modifier gives, against the stored record")
                        .users("alice")
                        .given(collection(CAPPED), create("capped", "{'views':9}"))
                        .when(patch(record("capped", "{id}"), "{'views+':1}").as("alice").expect(200).at("/views", 10))
                        .then(patch(record("capped", "{id}"), "{'views+':1}").as("alice").expect(404),
                                get(record("capped", "{id}")).at("/views", 10)));
    }
}
