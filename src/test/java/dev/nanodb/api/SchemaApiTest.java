package dev.nanodb.api;

import static dev.nanodb.api.Fixtures.KINDS;
import static dev.nanodb.api.Fixtures.POSTS;
import static dev.nanodb.api.Fixtures.record;
import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.list;
import static dev.nanodb.api.Step.patch;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Record validation against a collection's schema: required, types, formats, limits, defaults. */
class SchemaApiTest {

    @TestFactory
    Stream<DynamicTest> schemaValidation() {
        return ScenarioRunner.tests(scenarios());
    }

    /** A create on posts that must fail with data.{field}.code and store nothing. */
    private static Scenario refusedPost(String title, String body, String field, String code) {
        return Scenario.named("posts: " + title + " → 400 data." + field + ".code=" + code)
                .given(collection(POSTS))
                .when(create("posts", body).expect(400).at("/data/" + field + "/code", code).present("/data/" + field + "/message"))
                .then(list("posts").at("/totalItems", 0));
    }

    /** A create on kinds that must fail with data.{field}.code. */
    private static Scenario refusedKind(String body, String field, String code) {
        return Scenario.named("kinds: " + body + " → 400 data." + field + ".code=" + code)
                .given(collection(KINDS))
                .when(create("kinds", body).expect(400).at("/data/" + field + "/code", code))
                .then(list("kinds").at("/totalItems", 0));
    }

    /** A create on kinds that must succeed and store {@code field} as {@code stored}. */
    private static Scenario acceptedKind(String body, String field, Object stored) {
        return Scenario.named("kinds: " + body + " → 200 with " + field + "=" + stored)
                .given(collection(KINDS))
                .when(create("kinds", body).expect(200).at("/" + field, stored))
                .then(get(record("kinds", "{id}")).at("/" + field, stored));
    }

    static List<Scenario> scenarios() {
        return List.of(
                refusedPost("required title missing", "{'views':1}", "title", "validation_required"),
                refusedPost("required title empty", "{'title':''}", "title", "validation_required"),
                refusedPost("required title null", "{'title':null}", "title", "validation_required"),
                refusedPost("number given a string", "{'title':'a','views':'abc'}", "views", "validation_invalid_number"),
                refusedPost("number given a boolean", "{'title':'a','views':true}", "views", "validation_invalid_number"),
                refusedPost("text given a number", "{'title':5}", "title", "validation_invalid_string"),
                refusedPost("select value not in values", "{'title':'a','status':'archived'}", "status", "validation_invalid_value"),
                refusedPost("select given a list", "{'title':'a','status':['draft']}", "status", "validation_invalid_select"),
                refusedPost("unknown field", "{'title':'a','nope':1}", "nope", "validation_unknown_field"),
                Scenario.named("posts: every invalid field is reported at once")
                        .given(collection(POSTS))
                        .when(create("posts", "{'views':'x','status':'zzz','nope':1}").expect(400)
                                .present("/data/title").present("/data/views").present("/data/status").present("/data/nope")),
                Scenario.named("posts: a valid record is stored with its values")
                        .given(collection(POSTS))
                        .when(create("posts", "{'title':'a','views':-2.5,'status':'draft','slug':'s'}").expect(200)
                                .at("/views", -2.5).at("/status", "draft").at("/slug", "s"))
                        .then(list("posts", "filter", "views < 0").at("/totalItems", 1)),
                Scenario.named("posts: PATCH with a wrong type is 400 and changes nothing")
                        .given(collection(POSTS), create("posts", "{'title':'a','views':1}"))
                        .when(patch(record("posts", "{id}"), "{'views':'many'}").expect(400).present("/data/views"))
                        .then(get(record("posts", "{id}")).at("/views", 1).at("/_version", 1),
                                list("posts", "filter", "views = 1").at("/totalItems", 1)),
                Scenario.named("posts: PATCH with an unknown field is 400")
                        .given(collection(POSTS), create("posts", "{'title':'a'}"))
                        .when(patch(record("posts", "{id}"), "{'nope':1}").expect(400).present("/data/nope"))
                        .then(get(record("posts", "{id}")).at("/_version", 1).missing("/nope")),
                refusedKind("{'code':'ab'}", "code", "validation_min_text_constraint"),
                refusedKind("{'code':'abcdef'}", "code", "validation_max_text_constraint"),
                acceptedKind("{'code':'abcd'}", "code", "abcd"),
                acceptedKind("{'code':'abc'}", "code", "abc"),
                acceptedKind("{'code':'abcde'}", "code", "abcde"),
                refusedKind("{'mail':'not-an-email'}", "mail", "validation_invalid_email"),
                refusedKind("{'mail':'a@b'}", "mail", "validation_invalid_email"),
                acceptedKind("{'mail':'someone@example.com'}", "mail", "someone@example.com"),
                refusedKind("{'site':'ftp://example.com/x'}", "site", "validation_invalid_url"),
                refusedKind("{'site':'not a url'}", "site", "validation_invalid_url"),
                refusedKind("{'site':'javascript:alert(1)'}", "site", "validation_invalid_url"),
                acceptedKind("{'site':'https://example.com/a?b=c'}", "site", "https://example.com/a?b=c"),
                refusedKind("{'day':'2024-13-45'}", "day", "validation_invalid_date"),
                refusedKind("{'day':'yesterday'}", "day", "validation_invalid_date"),
                acceptedKind("{'day':'2024-01-31'}", "day", "2024-01-31T00:00:00.000Z"),
                acceptedKind("{'day':'2024-01-31 10:20:30.000Z'}", "day", "2024-01-31T10:20:30.000Z"),
                acceptedKind("{'day':'2024-01-31T12:00:00+02:00'}", "day", "2024-01-31T10:00:00.000Z"),
                refusedKind("{'flag':'yes'}", "flag", "validation_invalid_bool"),
                refusedKind("{'flag':1}", "flag", "validation_invalid_bool"),
                acceptedKind("{'flag':true}", "flag", true),
                refusedKind("{'score':-1}", "score", "validation_min_number_constraint"),
                refusedKind("{'score':10.5}", "score", "validation_max_number_constraint"),
                acceptedKind("{'score':10}", "score", 10),
                refusedKind("{'zip':'1234'}", "zip", "validation_invalid_format"),
                acceptedKind("{'zip':'12345'}", "zip", "12345"),
                refusedKind("{'tags':['a','b','c']}", "tags", "validation_too_many_values"),
                refusedKind("{'tags':['a','x']}", "tags", "validation_invalid_value"),
                acceptedKind("{'tags':['a','c']}", "tags", "[\"a\",\"c\"]"),
                refusedKind("{'author':'not-an-id'}", "author", "validation_invalid_relation"),
                refusedKind("{'state':'gone'}", "state", "validation_invalid_value"),
                acceptedKind("{'meta':{'deep':[1,{'x':null}]}}", "meta", "{\"deep\":[1,{\"x\":null}]}"),
                Scenario.named("kinds: defaults are applied on create")
                        .given(collection(KINDS))
                        .when(create("kinds", "{'code':'abc'}").expect(200).at("/state", "new").at("/count", 0))
                        .then(list("kinds", "filter", "state = 'new' && count = 0").at("/totalItems", 1)),
                Scenario.named("kinds: an explicit value wins over the default")
                        .given(collection(KINDS))
                        .when(create("kinds", "{'state':'old','count':3}").expect(200).at("/state", "old").at("/count", 3)),
                Scenario.named("kinds: a PATCH does not re-apply defaults over explicit values")
                        .given(collection(KINDS), create("kinds", "{'state':'old'}"))
                        .when(patch(record("kinds", "{id}"), "{'code':'xyz'}").expect(200).at("/state", "old")
                                .at("/code", "xyz").at("/count", 0)));
    }
}
