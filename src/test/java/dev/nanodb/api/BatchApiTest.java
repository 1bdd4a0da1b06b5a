package dev.nanodb.api;

import static dev.nanodb.api.BatchOps.pb;
import static dev.nanodb.api.BatchOps.seed;
import static dev.nanodb.api.AuthSteps.NOTES;
import static dev.nanodb.api.AuthSteps.pbLogin;
import static dev.nanodb.api.Fixtures.POSTS;
import static dev.nanodb.api.Fixtures.record;
import static dev.nanodb.api.Fixtures.records;
import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.list;
import static dev.nanodb.api.Step.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanodb.realtime.SseClient;
import dev.nanodb.testing.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code POST /api/batch} in both shapes and both encodings: all operations applied in order, or none — checked
 * by reading the collection back after every refused batch — with the failing operation named; the same rules,
 * validation and password hashing as the single routes; upserts; limits; and no realtime event for a failed
 * batch. Single quotes stand for double quotes.
 */
class BatchApiTest {
    private static final String BATCH = "/api/batch";
    private static final String X = "xxxxxxxxxxxxxx1";
    private static final String Y = "yyyyyyyyyyyyyy2";
    private static final String BOUNDARY = "----nanodbBatchBoundary7MA4YWxk";

    private static Step batch(String... ops) {
        return post(BATCH, BatchOps.requests(ops));
    }

    /** The batch as the PocketBase SDK sends it: multipart/form-data with the JSON in {@code @jsonPayload}. */
    private static Step multipart(String method, String url, String json, String... fileFields) {
        StringBuilder b = new StringBuilder();
        b.append("--").append(BOUNDARY).append("\r\nContent-Disposition: form-data; name=\"@jsonPayload\"\r\n\r\n")
                .append(Step.quotes(json)).append("\r\n");
        for (String f : fileFields) {
            b.append("--").append(BOUNDARY).append("\r\nContent-Disposition: form-data; name=\"").append(f)
                    .append("\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n");
        }
        b.append("--").append(BOUNDARY).append("--\r\n");
        return Step.request(method, url, null).rawBody(b.toString()).header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
    }

    /** {@code posts} with two records: {@code {id1}} (slug s1) and {@code {id2}} (slug s2). */
    private static final Step[] TWO_POSTS = {collection(POSTS), create("posts", "{'title':'p1','slug':'s1'}"),
            create("posts", "{'title':'p2','slug':'s2'}")};

    /** After a refused batch on {@link #TWO_POSTS}: exactly the two records, untouched. */
    private static final Step[] TWO_POSTS_UNTOUCHED = {list("posts", "sort", "title").at("/totalItems", 2),
            get(record("posts", "{id1}")).at("/title", "p1").at("/_version", 1),
            get(record("posts", "{id2}")).at("/title", "p2").at("/_version", 1)};

    /** Five PocketBase-shape operations on {@link #TWO_POSTS} whose third is {@code third}. */
    private static Step fiveWithThird(String third) {
        return batch(pb("POST", records("posts"), "{'title':'n1','slug':'n1'}"),
                pb("POST", records("posts"), "{'title':'n2','slug':'n2'}"), third,
                pb("PATCH", record("posts", "{id1}"), "{'title':'changed'}"), pb("DELETE", record("posts", "{id2}"), null));
    }

    /** The answer names operation 2, and only it, with its own status. */
    private static Step failsAt2(Step s, int status) {
        return s.expect(400).at("/message", "Batch transaction failed.").size("/data/requests", 1)
                .at("/data/requests/2/code", "batch_request_failed").at("/data/requests/2/response/status", status);
    }

    @TestFactory
    Stream<DynamicTest> batches() {
        return ScenarioRunner.tests(scenarios());
    }

    private static List<Scenario> scenarios() {
        List<Scenario> s = new ArrayList<>();
        s.add(Scenario.named("PocketBase shape: create, update, upsert both ways and delete, answered [{status, body}]")
                .given(TWO_POSTS)
                .when(batch(pb("POST", records("posts") + "?fields=id,title", "{'title':'new','slug':'n'}"),
                        pb("PATCH", record("posts", "{id1}"), "{'title':'p1 edited'}"),
                        pb("PUT", records("posts"), "{'id':'{id2}','title':'p2 upserted'}"),
                        pb("PUT", records("posts"), "{'id':'" + X + "','title':'upsert created'}"),
                        pb("DELETE", record("posts", "{id1}"), null)).expect(200)
                        .size("", 5).at("/0/status", 200).at("/0/body/title", "new").missing("/0/body/slug")
                        .at("/1/body/title", "p1 edited").at("/1/body/_version", 2)
                        .at("/2/body/title", "p2 upserted").at("/2/body/_version", 2)
                        .at("/3/body/id", X).at("/3/body/_version", 1)
                        .at("/4/status", 204).at("/4/body", "null"))
                .then(list("posts", "sort", "title").at("/totalItems", 3).at("/items/0/title", "new")
                                .at("/items/1/title", "p2 upserted").at("/items/2/title", "upsert created"),
                        get(record("posts", "{id1}")).expect(404)));
        s.add(Scenario.named("seed shape: create, update, delete, answered {results:[{success, result}]}")
                .given(TWO_POSTS)
                .when(batch(seed("create", "posts", null, "{'title':'new'}"),
                        seed("update", "posts", "{id1}", "{'title':'p1 edited','_expectedVersion':1}"),
                        seed("delete", "posts", "{id2}", null)).expect(200)
                        .size("/results", 3).at("/results/0/success", true).at("/results/0/result/title", "new")
                        .at("/results/1/result/_version", 2).at("/results/2/result/success", true)
                        .at("/results/2/result/id", "{id2}"))
                .then(list("posts").at("/totalItems", 2), get(record("posts", "{id1}")).at("/title", "p1 edited"),
                        get(record("posts", "{id2}")).expect(404)));
        s.add(Scenario.named("multipart with @jsonPayload, as the SDK sends it")
                .given(TWO_POSTS)
                .when(multipart("POST", BATCH, "{'requests':[" + pb("POST", records("posts"), "{'title':'from form'}") + ","
                        + pb("DELETE", record("posts", "{id1}"), null) + "]}").expect(200).at("/0/body/title", "from form"))
                .then(list("posts").at("/totalItems", 2)));
        s.add(Scenario.named("single create and update accept multipart with @jsonPayload")
                .given(collection(POSTS))
                .when(multipart("POST", records("posts"), "{'title':'form post'}").expect(200).at("/title", "form post"))
                .then(multipart("PATCH", record("posts", "{id}"), "{'title':'form edit'}").expect(200).at("/title", "form edit")));
        s.add(Scenario.named("a file part is refused with a 400 naming the field, nothing stored")
                .given(collection(POSTS))
                .when(multipart("POST", records("posts"), "{'title':'with file'}", "attachment").expect(400)
                        .at("/data/attachment/code", "validation_file_unsupported"))
                .then(list("posts").at("/totalItems", 0),
                        multipart("POST", BATCH, "{'requests':[" + pb("POST", records("posts"), "{'title':'a'}") + "]}",
                                "requests.0.file").expect(400)
                                .at("/data/requests/0/response/data/file/code", "validation_file_unsupported"),
                        list("posts").at("/totalItems", 0)));

        s.add(Scenario.named("3rd of 5 violates a unique index: nothing applied, op 2 named (409)")
                .given(TWO_POSTS)
                .when(failsAt2(fiveWithThird(pb("POST", records("posts"), "{'title':'dup','slug':'s1'}")), 409)
                        .present("/data/requests/2/response/data/slug"))
                .then(TWO_POSTS_UNTOUCHED));
        s.add(Scenario.named("3rd of 5 fails validation: nothing applied, op 2 named (400)")
                .given(TWO_POSTS)
                .when(failsAt2(fiveWithThird(pb("POST", records("posts"), "{'slug':'no title'}")), 400)
                        .at("/data/requests/2/response/data/title/code", "validation_required"))
                .then(TWO_POSTS_UNTOUCHED));
        s.add(Scenario.named("3rd of 5 is refused by the update rule inside the transaction: nothing applied, op 2 named (404)")
                .users("alice", "bob")
                .given(collection(NOTES), create("notes", "{'title':'a1','owner_id':'{alice}'}"),
                        create("notes", "{'title':'b1','owner_id':'{bob}'}"), create("notes", "{'title':'a2','owner_id':'{alice}'}"))
                .when(failsAt2(batch(pb("POST", records("notes"), "{'title':'n1'}"), pb("POST", records("notes"), "{'title':'n2'}"),
                        pb("PATCH", record("notes", "{id2}"), "{'title':'stolen'}"),
                        pb("PATCH", record("notes", "{id1}"), "{'title':'a1 edited'}"),
                        pb("DELETE", record("notes", "{id3}"), null)).as("alice"), 404).lacks("b1"))
                .then(list("notes").at("/totalItems", 3), get(record("notes", "{id1}")).at("/title", "a1"),
                        get(record("notes", "{id2}")).at("/title", "b1"), get(record("notes", "{id3}")).expect(200)));
        s.add(Scenario.named("3rd of 5 is refused by the create rule (seed shape): results carry the error, nothing applied")
                .users("alice")
                .given(collection("{'name':'notes','fields':[{'name':'title','type':'text'}],'listRule':'','viewRule':'',"
                        + "'createRule':'title != \\'forbidden\\'','updateRule':'','deleteRule':''}"),
                        create("notes", "{'title':'keep'}"))
                .when(batch(seed("create", "notes", null, "{'title':'n1'}"), seed("create", "notes", null, "{'title':'n2'}"),
                        seed("create", "notes", null, "{'title':'forbidden'}"), seed("update", "notes", "{id}", "{'title':'x'}"),
                        seed("delete", "notes", "{id}", null)).as("alice").expect(400)
                        .at("/data/requests/2/response/status", 400).size("/results", 5)
                        .at("/results/0/success", false).missing("/results/0/error")
                        .at("/results/2/error/status", 400).at("/results/2/error/message", "Failed to create record."))
                .then(list("notes").at("/totalItems", 1).at("/items/0/title", "keep")));
        s.add(Scenario.named("a stale ?version on a delete fails that op with 409, nothing applied")
                .given(TWO_POSTS)
                .when(batch(pb("PATCH", record("posts", "{id1}"), "{'title':'x'}"),
                        pb("DELETE", record("posts", "{id2}") + "?version=7", null)).expect(400)
                        .at("/data/requests/1/response/status", 409))
                .then(TWO_POSTS_UNTOUCHED));

        s.add(Scenario.named("more than MAX_BATCH_SIZE operations: 400 before anything runs")
                .env("MAX_BATCH_SIZE", "3").given(collection(POSTS))
                .when(batch(pb("POST", records("posts"), "{'title':'1'}"), pb("POST", records("posts"), "{'title':'2'}"),
                        pb("POST", records("posts"), "{'title':'3'}"), pb("POST", records("posts"), "{'title':'4'}"))
                        .expect(400).at("/data/requests/code", "validation_length_too_long"))
                .then(list("posts").at("/totalItems", 0),
                        batch(pb("POST", records("posts"), "{'title':'1'}"), pb("POST", records("posts"), "{'title':'2'}"),
                                pb("POST", records("posts"), "{'title':'3'}")).expect(200).size("", 3)));
        s.add(Scenario.named("an empty batch or no requests: 400")
                .when(post(BATCH, "{'requests':[]}").expect(400).at("/data/requests/code", "validation_required"))
                .then(post(BATCH, "{}").expect(400).at("/data/requests/code", "validation_required"),
                        post(BATCH, "{'requests':'all'}").expect(400)));
        s.add(Scenario.named("mixed shapes, unknown methods and urls: 400 naming the op, nothing applied")
                .given(collection(POSTS))
                .when(batch(pb("POST", records("posts"), "{'title':'a'}"), seed("create", "posts", null, "{'title':'b'}"))
                        .expect(400).present("/data/requests/1").missing("/data/requests/0"))
                .then(batch(pb("POST", records("posts"), "{'title':'a'}"), pb("GET", records("posts"), null)).expect(400)
                                .matches("/data/requests/1/response/message", "Unknown batch request action.*"),
                        batch(pb("POST", "/api/collections/posts/auth-with-password", "{}")).expect(400).present("/data/requests/0"),
                        batch(pb("PATCH", records("posts"), "{}")).expect(400).present("/data/requests/0"),
                        batch(seed("create", "posts", null, "{'title':'a'}"), seed("upsert", "posts", null, "{}")).expect(400)
                                .present("/data/requests/1").size("/results", 2),
                        batch(seed("create", "../etc", null, "{}")).expect(400).present("/data/requests/0"),
                        list("posts").at("/totalItems", 0)));

        s.add(Scenario.named("an anonymous caller obeys each op's rules: a locked create is named, nothing applied")
                .given(collection("{'name':'open','fields':[{'name':'title','type':'text'}],'listRule':'','viewRule':'','createRule':''}"),
                        collection(POSTS))
                .when(batch(pb("POST", records("open"), "{'title':'fine'}"), pb("POST", records("posts"), "{'title':'locked'}"))
                        .as("anon").expect(400).at("/data/requests/1/response/status", 403))
                .then(list("open").at("/totalItems", 0),
                        batch(pb("POST", records("open"), "{'title':'fine'}")).as("anon").expect(200),
                        list("open").at("/totalItems", 1)));
        s.add(Scenario.named("a user cannot set another owner, and gets its own owner_id, in a batch as in a single create")
                .users("alice", "bob")
                .given(collection(NOTES))
                .when(batch(pb("POST", records("notes"), "{'title':'mine'}")).as("alice").expect(200)
                        .at("/0/body/owner_id", "{alice}"))
                .then(batch(pb("POST", records("notes"), "{'title':'x','owner_id':'{bob}'}")).as("alice").expect(400)
                                .at("/data/requests/0/response/data/owner_id/code", "validation_forbidden_field"),
                        batch(pb("DELETE", record("notes", "{id}"), null)).as("bob").expect(400)
                                .at("/data/requests/0/response/status", 404),
                        list("notes").at("/totalItems", 1)));
        s.add(Scenario.named("auth-collection creates in a batch hash the password; the new user can log in")
                .when(batch(pb("POST", records("users"), "{'email':'carol@example.com','password':'carol-secret-1',"
                        + "'passwordConfirm':'carol-secret-1'}")).as("anon").expect(200)
                        .at("/0/body/email", "carol@example.com").missing("/0/body/password").missing("/0/body/tokenKey")
                        .lacks("carol-secret-1", "$2"))
                .then(pbLogin("users", "carol@example.com", "carol-secret-1").expect(200).present("/token"),
                        batch(pb("POST", records("users"), "{'email':'dan@example.com','password':'dan-secret-1',"
                                + "'passwordConfirm':'other'}")).as("anon").expect(400)
                                .at("/data/requests/0/response/data/passwordConfirm/code", "validation_values_mismatch"),
                        pbLogin("users", "dan@example.com", "dan-secret-1").expect(400)));
        s.add(Scenario.named("ops on the same record apply in order: create, update, update, delete; and create then update")
                .given(collection(POSTS))
                .when(batch(pb("POST", records("posts"), "{'id':'" + X + "','title':'one'}"),
                        pb("PATCH", record("posts", X), "{'title':'two'}"),
                        pb("PATCH", record("posts", X), "{'title':'three','_expectedVersion':2}"),
                        pb("DELETE", record("posts", X) + "?version=3", null),
                        pb("PUT", records("posts"), "{'id':'" + Y + "','title':'created by upsert'}"),
                        pb("PUT", records("posts"), "{'id':'" + Y + "','title':'updated by upsert'}")).expect(200)
                        .at("/2/body/_version", 3).at("/3/status", 204).at("/4/body/_version", 1).at("/5/body/_version", 2))
                .then(get(record("posts", X)).expect(404),
                        get(record("posts", Y)).at("/title", "updated by upsert").at("/_version", 2),
                        list("posts").at("/totalItems", 1)));
        s.add(Scenario.named("a missing collection is auto-created for an authenticated caller, as by the single create")
                .users("alice")
                .when(batch(pb("POST", records("fresh"), "{'title':'first'}")).as("alice").expect(200)
                        .at("/0/body/collectionName", "fresh"))
                .then(list("fresh").at("/totalItems", 1),
                        batch(pb("POST", records("other"), "{'title':'x'}")).as("anon").expect(400)
                                .at("/data/requests/0/response/status", 404)));
        return s;
    }

    /**
     * A failed batch is not announced: a subscriber of {@code posts/*} sees, as its first record event, the
     * single create sent after the refused batch — none of the batch's would-be creates, update or delete.
     */
    @Test
    void aFailedBatchPublishesNoRealtimeEvent() throws Exception {
        HttpClient http = SseClient.httpClient();
        try (TestServer server = TestServer.start(); SseClient stream = SseClient.open(http, server.baseUrl(), "")) {
            assertThat(server.asSuperuser("POST", "/api/collections", Step.quotes(POSTS)).statusCode()).isEqualTo(200);
            String p1 = id(server.asSuperuser("POST", records("posts"), Step.quotes("{'title':'p1','slug':'s1'}")));
            stream.subscribeOk(null, "posts/*");

            HttpResponse<String> refused = server.asSuperuser("POST", BATCH, Step.quotes("{'requests':["
                    + pb("POST", records("posts"), "{'title':'n1','slug':'n1'}") + ","
                    + pb("PATCH", record("posts", p1), "{'title':'changed'}") + ","
                    + pb("POST", records("posts"), "{'title':'dup','slug':'s1'}") + ","
                    + pb("DELETE", record("posts", p1), null) + "]}"));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(refused.body()).contains("\"2\"");
            String after = id(server.asSuperuser("POST", records("posts"), Step.quotes("{'title':'after'}")));

            List<SseClient.Event> events = stream.until(e -> after.equals(recordId(e)), Duration.ofSeconds(10));
            List<SseClient.Event> recordEvents = events.stream().filter(e -> recordId(e) != null).toList();
            assertThat(recordEvents).as("record events up to the single create").hasSize(1);
            assertThat(ScenarioRunner.JSON.readTree(recordEvents.get(0).data()).path("action").asText()).isEqualTo("create");
            assertThat(server.store().count("posts", null)).isEqualTo(2);
        } finally {
            http.shutdownNow();
        }
    }

    private static String id(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ScenarioRunner.JSON.readTree(r.body()).path("id").asText();
    }

    /** The record id of a PocketBase event, null for any other event. */
    private static String recordId(SseClient.Event e) {
        try {
            JsonNode id = ScenarioRunner.JSON.readTree(e.data()).path("record").path("id");
            return id.isTextual() ? id.asText() : null;
        } catch (Exception notJson) {
            return null;
        }
    }
}
