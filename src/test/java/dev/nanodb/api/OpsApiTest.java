package dev.nanodb.api;

import static dev.nanodb.api.Fixtures.POSTS;
import static dev.nanodb.api.Fixtures.records;
import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.list;
import static dev.nanodb.api.Step.post;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Health, unknown routes and methods, body size limit, the consistency route, statistics and CORS. */
class OpsApiTest {

    @TestFactory
    Stream<DynamicTest> operations() {
        return ScenarioRunner.tests(scenarios());
    }

    /** A JSON object body of about {@code bytes} bytes. */
    private static String bodyOf(int bytes) {
        return "{'title':'" + "x".repeat(bytes - 13) + "'}";
    }

    /** The JSON pointer of one route's figures in {@code /api/stats} ({@code /} escaped as {@code ~1}). */
    private static String route(String name) {
        return "/requests/" + name.replace("~", "~0").replace("/", "~1");
    }

    static List<Scenario> scenarios() {
        return List.of(
                Scenario.named("/health answers status ok with uptime and memory")
                        .when(get("/health").expect(200).at("/status", "ok").present("/uptime").present("/memory/heapUsed")),
                Scenario.named("/api/health answers PocketBase's shape")
                        .when(get("/api/health").expect(200).at("/code", 200).at("/message", "API is healthy.")
                                .present("/data")),
                Scenario.named("an unknown /api route is a 404 JSON error")
                        .when(get("/api/nothing/here").expect(404)),
                Scenario.named("an unknown top-level route is a 404 JSON error")
                        .when(get("/nothing").expect(404)),
                Scenario.named("POST to an unknown route is a 404 JSON error")
                        .when(post("/api/nothing", "{'a':1}").expect(404)),
                Scenario.named("a record path with an extra segment is 404")
                        .given(create("notes", "{'a':1}"))
                        .when(get(records("notes") + "/{id}/more").expect(404)),
                Scenario.named("PUT on a record (no such method) is a 405 JSON error and changes nothing")
                        .given(create("notes", "{'a':1}"))
                        .when(Step.request("PUT", Fixtures.record("notes", "{id}"), "{'a':2}").expect(405))
                        .then(Step.get(Fixtures.record("notes", "{id}")).at("/a", 1).at("/_version", 1)),
                Scenario.named("PUT on a record is 405 for a user too (the collections routes guard only their own paths)")
                        .users("alice")
                        .given(create("notes", "{'a':1}"))
                        .when(Step.request("PUT", Fixtures.record("notes", "{id}"), "{'a':2}").as("alice").expect(405)),
                Scenario.named("a body over MAX_BODY_SIZE is 413 and nothing is stored")
                        .env("MAX_BODY_SIZE", "2KB")
                        .given(create("notes", "{'title':'small'}"))
                        .when(create("notes", bodyOf(10 * 1024)).expect(413))
                        .then(list("notes").at("/totalItems", 1)),
                Scenario.named("a body just under MAX_BODY_SIZE is accepted")
                        .env("MAX_BODY_SIZE", "2KB")
                        .when(create("notes", bodyOf(1900)).expect(200)),
                Scenario.named("a collection definition over MAX_BODY_SIZE is 413")
                        .env("MAX_BODY_SIZE", "2KB")
                        .when(collection("{'name':'big','listRule':'" + "a = 1 || ".repeat(400) + "a = 1'}").expect(413))
                        .then(get("/api/collections/big").expect(404)),
                Scenario.named("a PATCH over MAX_BODY_SIZE is 413 and the record is unchanged")
                        .env("MAX_BODY_SIZE", "2KB")
                        .given(create("notes", "{'title':'small'}"))
                        .when(Step.patch(Fixtures.record("notes", "{id}"), bodyOf(10 * 1024)).expect(413))
                        .then(get(Fixtures.record("notes", "{id}")).at("/title", "small").at("/_version", 1)),
                Scenario.named("/api/admin/consistency reports clean after writes")
                        .given(collection(POSTS), create("posts", "{'title':'a','views':3,'slug':'s'}"),
                                create("posts", "{'title':'b','views':4}"), Step.delete(Fixtures.record("posts", "{id1}")),
                                create("notes", "{'x':1}"))
                        .when(get("/api/admin/consistency").expect(200).at("/clean", true).size("/problems", 0)
                                .present("/recordsChecked").present("/indexEntriesChecked")),
                Scenario.named("/api/stats answers the exact record count of every collection after creates and deletes")
                        .users("alice")
                        .given(collection(POSTS), create("posts", "{'title':'a'}"), create("posts", "{'title':'b'}"),
                                create("posts", "{'title':'c'}"), create("notes", "{'x':1}"), create("notes", "{'x':2}"),
                                create("empty", "{'x':3}"), Step.delete(Fixtures.record("posts", "{id2}")),
                                Step.delete(Fixtures.record("notes", "{id5}")), Step.delete(Fixtures.record("empty", "{id6}")))
                        .when(get("/api/stats").expect(200).size("/records", 10).at("/records/posts", 2)
                                .at("/records/notes", 1).at("/records/empty", 0).at("/records/users", 1)
                                .at("/records/_superusers", 1).at("/records/_rate_limits", 0).at("/records/_params", 0).at("/records/_externalAuths", 0).present("/storeBytes")),
                Scenario.named("CORS preflight is 2xx with Access-Control-Allow-Origin")
                        .when(Step.request("OPTIONS", records("posts"), null).header("Origin", "https://app.example.com")
                                .header("Access-Control-Request-Method", "POST")
                                .header("Access-Control-Request-Headers", "content-type,authorization")
                                .responseHeader("Access-Control-Allow-Origin", "*")
                                .responseHeader("Access-Control-Allow-Methods", "POST")),
                Scenario.named("CORS preflight for PATCH on a record is allowed")
                        .when(Step.request("OPTIONS", Fixtures.record("posts", "abcdefghij12345"), null)
                                .header("Origin", "http://localhost:5173").header("Access-Control-Request-Method", "PATCH")
                                .responseHeader("Access-Control-Allow-Origin", "*")
                                .responseHeader("Access-Control-Allow-Methods", "PATCH")),
                Scenario.named("a simple GET with Origin carries Access-Control-Allow-Origin")
                        .when(get("/api/health").header("Origin", "https://app.example.com").expect(200)
                                .responseHeader("Access-Control-Allow-Origin", "*")),
                Scenario.named("an error answer with Origin also carries Access-Control-Allow-Origin")
                        .when(get(records("nothere")).header("Origin", "https://app.example.com").expect(404)
                                .responseHeader("Access-Control-Allow-Origin", "*")),
                Scenario.named("/api/stats counts requests and errors per route pattern, not per raw path").env("INVALID_TOKEN", "reject")
                        .given(create("notes", "{'x':1}"), create("notes", "{'x':2}"), create("posts", "{'x':3}"),
                                get(Fixtures.record("notes", "abcdefghij12345")).expect(404),
                                get("/api/nothing/here").expect(404), get("/api/nothing/else").expect(404),
                                list("notes").header("Authorization", "not-a-token").expect(401))
                        .when(get("/api/stats").expect(200)
                                .at(route("POST /api/collections/:collection/records") + "/count", 3)
                                .at(route("POST /api/collections/:collection/records") + "/4xx", 0)
                                .at(route("POST /api/collections/:collection/records") + "/5xx", 0)
                                .present(route("POST /api/collections/:collection/records") + "/meanMs")
                                .present(route("POST /api/collections/:collection/records") + "/maxMs")
                                .at(route("GET /api/collections/:collection/records/:id") + "/count", 1)
                                .at(route("GET /api/collections/:collection/records/:id") + "/4xx", 1)
                                .at(route("GET /api/collections/:collection/records") + "/4xx", 1)
                                .at(route("unmatched") + "/count", 2).at(route("unmatched") + "/4xx", 2)
                                .missing(route("GET /api/nothing/here"))
                                .missing(route("GET /health"))
                                .present("/records/notes").present("/storeBytes").present("/groupCommit/commits")
                                .present("/realtime/clients").present("/realtime/droppedSlow")
                                .at("/rateLimits/rejected", 0).present("/rateLimits/trackedKeys")),
                Scenario.named("/api/stats counts rate-limit rejections in all and per rule")
                        .env("RATE_LIMITS", "GET /api/collections/notes/records 1/1m")
                        .given(create("notes", "{'x':1}"), list("notes").expect(200), list("notes").expect(429),
                                list("notes").expect(429))
                        .when(get("/api/stats").expect(200).at("/rateLimits/rejected", 2)
                                .at("/rateLimits/rejectedByRule/GET ~1api~1collections~1notes~1records", 2)
                                .at("/rateLimits/trackedKeys", 1)
                                .at(route("GET /api/collections/:collection/records") + "/4xx", 2)),
                Scenario.named("/api/stats is for superusers only")
                        .when(get("/api/stats").as("anon").expect(401)),
                Scenario.named("CORS preflight from an origin of the CORS_ORIGINS list is 204 with the allow headers")
                        .env("CORS_ORIGINS", "https://a.example.com, https://b.example.com")
                        .when(Step.request("OPTIONS", records("posts"), null).header("Origin", "https://b.example.com")
                                .header("Access-Control-Request-Method", "PATCH")
                                .header("Access-Control-Request-Headers", "authorization,content-type").expect(204)
                                .responseHeader("Access-Control-Allow-Origin", "https://b.example.com")
                                .responseHeader("Access-Control-Allow-Methods", "PATCH")
                                .responseHeader("Access-Control-Allow-Headers", "Authorization")
                                .responseHeader("Access-Control-Expose-Headers", "X-RateLimit-Remaining")
                                .responseHeader("Access-Control-Expose-Headers", "Retry-After")
                                .responseHeader("Vary", "Origin")),
                Scenario.named("CORS preflight from an origin not in CORS_ORIGINS is 403 without allow headers")
                        .env("CORS_ORIGINS", "https://a.example.com, https://b.example.com")
                        .when(Step.request("OPTIONS", records("posts"), null).header("Origin", "https://evil.example.com")
                                .header("Access-Control-Request-Method", "POST").expect(403)
                                .noResponseHeader("Access-Control-Allow-Origin")
                                .noResponseHeader("Access-Control-Allow-Methods")),
                Scenario.named("a request from a disallowed origin is answered without CORS headers")
                        .env("CORS_ORIGINS", "https://a.example.com")
                        .when(get("/api/health").header("Origin", "https://evil.example.com").expect(200)
                                .noResponseHeader("Access-Control-Allow-Origin")),
                Scenario.named("a limited route's answer exposes the rate-limit headers to an allowed origin")
                        .env("RATE_LIMITS", "GET /api/collections/notes/records 5/1m")
                        .given(create("notes", "{'x':1}"))
                        .when(list("notes").header("Origin", "https://app.example.com").expect(200)
                                .responseHeader("Access-Control-Allow-Origin", "*")
                                .responseHeader("Access-Control-Expose-Headers", "X-RateLimit-Limit")
                                .responseHeader("X-RateLimit-Remaining", "4")),
                Scenario.named("CORS_ORIGINS restricts the allowed origin")
                        .env("CORS_ORIGINS", "https://good.example.com")
                        .when(Step.request("OPTIONS", records("posts"), null).header("Origin", "https://good.example.com")
                                .header("Access-Control-Request-Method", "POST")
                                .responseHeader("Access-Control-Allow-Origin", "https://good.example.com")));
    }
}
