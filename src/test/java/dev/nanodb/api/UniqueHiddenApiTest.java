package dev.nanodb.api;

import static dev.nanodb.api.Fixtures.POSTS;
import static dev.nanodb.api.Fixtures.SECRET;
import static dev.nanodb.api.Fixtures.record;
import static dev.nanodb.api.Fixtures.records;
import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.delete;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.list;
import static dev.nanodb.api.Step.patch;
import static dev.nanodb.api.Step.post;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Unique fields (409, nothing changed) and hidden fields (never returned, never filterable or sortable). */
class UniqueHiddenApiTest {
    private static final String P1 = record("posts", "{id1}");
    private static final String P2 = record("posts", "{id2}");

    @TestFactory
    Stream<DynamicTest> uniqueAndHidden() {
        return ScenarioRunner.tests(scenarios());
    }

    /** posts with one record holding the secret. */
    private static Step[] secretPost() {
        return new Step[] {collection(POSTS),
                create("posts", "{'title':'a','views':1,'secret':'" + SECRET + "'}").lacks(SECRET, "'secret'")};
    }

    /** A list request on posts (with the secret record) that must be refused with 400 naming the parameter. */
    private static Scenario refusedList(String title, String param, String value) {
        return Scenario.named("hidden field: " + title + " → 400")
                .users("alice")
                .given(secretPost())
                .when(list("posts", param, value).as("alice").expect(400).present("/data/" + param).lacks(SECRET));
    }

    static List<Scenario> scenarios() {
        return List.of(
                Scenario.named("unique: a duplicate value on create is 409 and nothing is stored")
                        .given(collection(POSTS), create("posts", "{'title':'first','slug':'hello'}"))
                        .when(create("posts", "{'title':'second','slug':'hello'}").expect(409)
                                .at("/data/slug/code", "validation_not_unique"))
                        .then(list("posts").at("/totalItems", 1).at("/items/0/title", "first"),
                                list("posts", "filter", "title = 'second'").at("/totalItems", 0),
                                get(P1).at("/slug", "hello").at("/_version", 1)),
                Scenario.named("unique: a duplicate value on PATCH is 409 and both records stay as they were")
                        .given(collection(POSTS), create("posts", "{'title':'first','slug':'one'}"),
                                create("posts", "{'title':'second','slug':'two'}"))
                        .when(patch(P2, "{'title':'changed','slug':'one'}").expect(409).present("/data/slug"))
                        .then(get(P2).at("/slug", "two").at("/title", "second").at("/_version", 1),
                                get(P1).at("/slug", "one").at("/title", "first").at("/_version", 1),
                                list("posts", "filter", "slug = 'one'").at("/totalItems", 1).at("/items/0/id", "{id1}"),
                                list("posts").at("/totalItems", 2)),
                Scenario.named("unique: a record may keep its own value on PATCH")
                        .given(collection(POSTS), create("posts", "{'title':'a','slug':'one'}"))
                        .when(patch(P1, "{'title':'b','slug':'one'}").expect(200).at("/_version", 2))
                        .then(list("posts", "filter", "slug = 'one'").at("/totalItems", 1).at("/items/0/title", "b")),
                Scenario.named("unique: a value freed by a PATCH can be taken")
                        .given(collection(POSTS), create("posts", "{'title':'a','slug':'one'}"), patch(P1, "{'slug':'uno'}"))
                        .when(create("posts", "{'title':'b','slug':'one'}").expect(200))
                        .then(list("posts", "filter", "slug = 'one'").at("/totalItems", 1).at("/items/0/id", "{id2}")),
                Scenario.named("unique: a value freed by a DELETE can be taken")
                        .given(collection(POSTS), create("posts", "{'title':'a','slug':'one'}"), delete(P1))
                        .when(create("posts", "{'title':'b','slug':'one'}").expect(200))
                        .then(list("posts").at("/totalItems", 1)),
                Scenario.named("unique: several records without the field are allowed")
                        .given(collection(POSTS), create("posts", "{'title':'a'}"), create("posts", "{'title':'b'}"))
                        .when(create("posts", "{'title':'c','slug':null}").expect(200))
                        .then(list("posts").at("/totalItems", 3)),
                Scenario.named("unique: values differing only in case are distinct")
                        .given(collection(POSTS), create("posts", "{'title':'a','slug':'Hello'}"))
                        .when(create("posts", "{'title':'b','slug':'hello'}").expect(200))
                        .then(list("posts", "filter", "slug = 'hello'").at("/totalItems", 1)),
                Scenario.named("hidden: the value never appears in the create answer")
                        .given(collection(POSTS))
                        .when(create("posts", "{'title':'a','secret':'" + SECRET + "'}").expect(200).lacks(SECRET, "'secret'")
                                .missing("/secret").at("/title", "a")),
                Scenario.named("hidden: the value never appears in view")
                        .given(secretPost())
                        .when(get(P1).expect(200).lacks(SECRET, "'secret'").at("/title", "a")),
                Scenario.named("hidden: the value never appears in list")
                        .given(secretPost()).given(create("posts", "{'title':'b','secret':'other-" + SECRET + "'}"))
                        .when(list("posts").expect(200).lacks(SECRET, "'secret'").at("/totalItems", 2)),
                Scenario.named("hidden: fields=secret does not reveal it")
                        .given(secretPost())
                        .when(list("posts", "fields", "id,secret").expect(200).lacks(SECRET, "'secret'").present("/items/0/id")),
                Scenario.named("hidden: fields=secret on view does not reveal it")
                        .given(secretPost())
                        .when(get(P1 + "?fields=secret,title").expect(200).lacks(SECRET, "'secret'").at("/title", "a")),
                Scenario.named("hidden: the value never appears in an update answer")
                        .given(secretPost())
                        .when(patch(P1, "{'title':'b'}").expect(200).lacks(SECRET, "'secret'").at("/title", "b"))
                        .then(get(P1).lacks(SECRET)),
                Scenario.named("hidden: updating the hidden field itself does not echo it")
                        .given(secretPost())
                        .when(patch(P1, "{'secret':'NEW-" + SECRET + "'}").expect(200).lacks(SECRET, "'secret'")
                                .at("/_version", 2)),
                Scenario.named("hidden: a validation error elsewhere does not echo it")
                        .given(collection(POSTS))
                        .when(create("posts", "{'views':'x','secret':'" + SECRET + "'}").expect(400).lacks(SECRET)),
                Scenario.named("hidden: a unique conflict does not echo it")
                        .given(secretPost())
                        .when(post(records("posts"), "{'id':'{id1}','title':'dup','secret':'" + SECRET + "'}").expect(409)
                                .lacks(SECRET)),
                refusedList("filter = value", "filter", "secret = '" + SECRET + "'"),
                refusedList("filter ~ prefix", "filter", "secret ~ 'TOP'"),
                refusedList("filter != empty", "filter", "secret != ''"),
                refusedList("filter inside ||", "filter", "views > 100 || secret > 'T'"),
                refusedList("seed filter secret=value", "filter", "secret=TOPSECRET"),
                refusedList("seed JSON filter", "filter", "{\"secret\":\"" + SECRET + "\"}"),
                refusedList("filter on secret on the right", "filter", "'T' < secret"),
                refusedList("sort ascending", "sort", "secret"),
                refusedList("sort descending", "sort", "-secret"),
                refusedList("sort as a second key", "sort", "title,-secret"));
    }
}
