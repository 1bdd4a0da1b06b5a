package dev.nanodb.api;

import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.list;
import static dev.nanodb.api.Step.patch;
import static dev.nanodb.api.Step.url;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanodb.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code /api/logs}, {@code /api/logs/{id}} and {@code /api/logs/stats} on both backends: PocketBase's shapes, the
 * requests answered before a read are in it (a read catches the writer up), filters, sorts, paging and fields over
 * the log fields only, superusers only, and the settings' {@code logs} section taking effect on the next request
 * (no IPs, the caller's id, a minimum level, no logs at all).
 */
class LogsApiTest {
    static final String POSTS = "{'name':'posts','fields':[{'name':'title','type':'text'}],'listRule':'','viewRule':'',"
            + "'createRule':'','updateRule':null,'deleteRule':null}";
    /** Every request of a scenario to the posts collection, which setup steps and logins never touch. */
    static final String MINE = "data.url ~ '/api/collections/posts/'";

    @TestFactory
    Stream<DynamicTest> requestLogs() {
        return ScenarioRunner.tests(Backends.both(scenarios()));
    }

    static Step logs(String... params) {
        return get(url("/api/logs", params));
    }

    static List<Scenario> scenarios() {
        return List.of(
                Scenario.named("a list shows the requests answered before it, in PocketBase's shape")
                        .given(collection(POSTS), create("posts", "{'title':'a'}"),
                                list("posts", "filter", "title = 'a'").as("anon").header("User-Agent", "probe/1.0")
                                        .header("Referer", "https://app.test/page"))
                        .when(logs("filter", MINE + " && data.method = 'GET'").expect(200)
                                .at("/page", 1).at("/perPage", 30).at("/totalItems", 1).at("/totalPages", 1).size("/items", 1)
                                .matches("/items/0/id", "[0-9a-z]{15}")
                                .matches("/items/0/created", "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z")
                                .at("/items/0/level", 0).at("/items/0/message", "GET /api/collections/posts/records?filter=title = 'a'")
                                .at("/items/0/data/type", "request").at("/items/0/data/method", "GET").at("/items/0/data/status", 200)
                                .at("/items/0/data/url", "/api/collections/posts/records?filter=title%20%3D%20%27a%27")
                                .at("/items/0/data/auth", "").at("/items/0/data/userAgent", "probe/1.0")
                                .at("/items/0/data/referer", "https://app.test/page").at("/items/0/data/userIP", "127.0.0.1")
                                .at("/items/0/data/remoteIP", "127.0.0.1").present("/items/0/data/execTime")
                                .missing("/items/0/data/authId").missing("/items/0/data/error"))
                        .then(logs("filter", MINE).at("/totalItems", 2),
                                logs("filter", "data.url ~ '/api/collections/posts/' && data.method = 'POST'")
                                        .at("/items/0/data/auth", "_superusers").at("/items/0/data/status", 200)),
                Scenario.named("an error answer is logged at level 8 with its message and field errors, never a cause")
                        .given(collection(POSTS), create("posts", "{'title':'a','nope':1}").expect(400),
                                get("/api/collections/posts/records/missing0000000").as("anon").expect(404))
                        .when(logs("filter", MINE + " && level = 8", "sort", "created").expect(200).at("/totalItems", 2)
                                .at("/items/0/data/status", 400).at("/items/0/data/error", "Failed to validate the record.")
                                .at("/items/0/data/details/nope/code", "validation_unknown_field")
                                .at("/items/1/data/status", 404).at("/items/1/data/error", "The requested resource wasn't found.")
                                .missing("/items/1/data/details").lacks("Exception", "at dev."))
                        .then(logs("filter", MINE + " && level < 8").at("/totalItems", 0),
                                get("/api/logs/stats?filter=" + enc("data.status >= 400 && " + MINE)).expect(200).size("", 1)
                                        .at("/0/total", 2).matches("/0/date", "\\d{4}-\\d\\d-\\d\\dT\\d\\d:00:00\\.000Z")),
                Scenario.named("sort, paging, skipTotal and fields work over the log fields")
                        .given(collection(POSTS), create("posts", "{'title':'a'}"), get("/api/collections/posts/records/nope0000000000").expect(404),
                                list("posts"), list("posts", "sort", "-title"))
                        .when(logs("filter", MINE, "sort", "-data.status,created", "perPage", "2", "page", "1").expect(200)
                                .at("/totalItems", 4).at("/totalPages", 2).at("/items/0/data/status", 404)
                                .at("/items/1/data/method", "POST"))
                        .then(logs("filter", MINE, "sort", "created", "perPage", "2", "page", "2").at("/items/0/data/url", "/api/collections/posts/records")
                                        .at("/items/1/data/url", "/api/collections/posts/records?sort=-title"),
                                logs("filter", MINE, "sort", "-@rowid", "perPage", "1").at("/items/0/data/url", "/api/collections/posts/records?sort=-title"),
                                logs("filter", MINE, "sort", "created", "perPage", "1", "skipTotal", "1").at("/totalItems", -1)
                                        .at("/totalPages", -1).size("/items", 1).at("/items/0/data/method", "POST"),
                                logs("filter", MINE, "sort", "@random").at("/totalItems", 4).size("/items", 4),
                                logs("filter", MINE, "perPage", "5000").at("/perPage", 1000),
                                logs("filter", MINE, "fields", "id,data.status", "sort", "created").present("/items/0/id")
                                        .at("/items/0/data/status", 200).missing("/items/0/message").missing("/items/0/data/url")),
                Scenario.named("filters on unknown fields, request references and modifiers in fields are 400 naming the parameter")
                        .when(logs("filter", "title = 'a'").expect(400).at("/data/filter/code", "validation_invalid_filter"))
                        .then(logs("filter", "@request.auth.id != ''").expect(400).at("/data/filter/code", "validation_invalid_filter"),
                                logs("filter", "message.x = 1").expect(400).at("/data/filter/code", "validation_invalid_filter"),
                                logs("filter", "data.url ~ ").expect(400).at("/data/filter/code", "validation_invalid_filter"),
                                logs("sort", "updated").expect(400).at("/data/sort/code", "validation_invalid_sort"),
                                logs("fields", "message:excerpt(5)").expect(400).at("/data/fields/code", "validation_invalid_fields"),
                                get("/api/logs/stats?filter=" + enc("nope > 1")).expect(400).at("/data/filter/code", "validation_invalid_filter"),
                                logs("filter", "created >= @todayStart && created <= @now").expect(200),
                                logs("filter", "created > @tomorrow").expect(200).at("/totalItems", 0)),
                Scenario.named("only superusers read the logs: 401 without a token, 403 for a user, 404 for an unknown id")
                        .users("alice")
                        .when(logs().as("anon").expect(401))
                        .then(logs().as("alice").expect(403), get("/api/logs/stats").as("alice").expect(403),
                                get("/api/logs/aaaaaaaaaaaaaaa").as("alice").expect(403), get("/api/logs/aaaaaaaaaaaaaaa").as("anon").expect(401),
                                get("/api/logs/aaaaaaaaaaaaaaa").expect(404), get("/api/logs/..%2F..").expect(404),
                                logs("filter", "data.url ~ '/api/logs' && data.status = 403").at("/totalItems", 3),
                                logs("filter", "data.url ~ '/api/logs' && data.status = 200").at("/totalItems", 0)),
                Scenario.named("the settings' logs section: PocketBase's defaults, validated field by field")
                        .when(get("/api/settings").expect(200).at("/logs/maxDays", 5).at("/logs/minLevel", 0)
                                .at("/logs/logIP", true).at("/logs/logAuthId", false))
                        .then(patch("/api/settings", "{'logs':{'maxDays':-1,'minLevel':1.5,'logIP':'no'}}").expect(400)
                                        .at("/data/logs/maxDays/code", "validation_out_of_range")
                                        .at("/data/logs/minLevel/code", "validation_out_of_range")
                                        .at("/data/logs/logIP/code", "validation_invalid_type"),
                                patch("/api/settings", "{'logs':{'maxDays':7}}").expect(200).at("/logs/maxDays", 7).at("/logs/logIP", true),
                                get("/api/settings").at("/logs/maxDays", 7)),
                Scenario.named("logIP off keeps no address; logAuthId on keeps the caller's id")
                        .users("alice")
                        .given(collection(POSTS), patch("/api/settings", "{'logs':{'logIP':false,'logAuthId':true}}"),
                                list("posts").as("alice"))
                        .when(logs("filter", MINE).expect(200).at("/totalItems", 1).at("/items/0/data/auth", "users")
                                .at("/items/0/data/authId", "{alice}").missing("/items/0/data/userIP").missing("/items/0/data/remoteIP"))
                        .then(logs("filter", "data.userIP = null && " + MINE).at("/totalItems", 1)),
                Scenario.named("minLevel 8 keeps only errors, from the next request on")
                        .given(collection(POSTS), list("posts"), patch("/api/settings", "{'logs':{'minLevel':8}}"), list("posts"),
                                get("/api/collections/posts/records/nope0000000000").expect(404))
                        .when(logs("filter", MINE, "sort", "created").expect(200).at("/totalItems", 1).at("/items/0/data/status", 404))
                        .then(patch("/api/settings", "{'logs':{'minLevel':0}}"), list("posts"),
                                logs("filter", MINE).at("/totalItems", 2)),
                Scenario.named("maxDays 0 removes every entry and keeps none until it is raised")
                        .given(collection(POSTS), list("posts"), list("posts"), patch("/api/settings", "{'logs':{'maxDays':0}}"))
                        .when(logs().expect(200).at("/totalItems", 0).size("/items", 0))
                        .then(list("posts"), logs().at("/totalItems", 0), get("/api/logs/stats").size("", 0),
                                patch("/api/settings", "{'logs':{'maxDays':1}}"), list("posts"),
                                logs("filter", MINE).at("/totalItems", 1)),
                Scenario.named("the logs figures are in /api/stats")
                        .given(collection(POSTS), list("posts"), logs())
                        .when(get("/api/stats").expect(200).present("/logs/entries").at("/logs/dropped", 0).at("/logs/lost", 0)
                                .present("/logs/maxBytes")));
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void anEntryIsReadByItsIdWithFields() throws Exception {
        try (TestServer s = TestServer.start()) {
            assertThat(s.send("GET", "/api/collections/nope/records?marker=1", null).statusCode()).isEqualTo(404);
            HttpResponse<String> page = s.get(url("/api/logs", "filter", "data.url ~ 'marker=1'"));
            JsonNode item = ScenarioRunner.JSON.readTree(page.body()).path("items").path(0);
            String id = item.path("id").asText();
            HttpResponse<String> one = s.get("/api/logs/" + id);
            assertThat(one.statusCode()).isEqualTo(200);
            assertThat(ScenarioRunner.JSON.readTree(one.body())).isEqualTo(item);
            JsonNode picked = ScenarioRunner.JSON.readTree(s.get("/api/logs/" + id + "?fields=id,level,data.status").body());
            assertThat(picked.toString()).isEqualTo("{\"id\":\"" + id + "\",\"level\":8,\"data\":{\"status\":404}}");
        }
    }
}
