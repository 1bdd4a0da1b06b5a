package dev.nanodb.api;

import static dev.nanodb.api.Fixtures.POSTS;
import static dev.nanodb.api.Fixtures.SECRET;
import static dev.nanodb.api.Fixtures.record;
import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.list;
import static dev.nanodb.api.Step.patch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.schema.Ids;
import dev.nanodb.schema.Times;
import dev.nanodb.store.Record;
import dev.nanodb.store.WriteOp;
import dev.nanodb.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Server bugs found by the API scenarios. Each test states the behaviour the product contract asks for and fails
 * against the server; each failed before its fix and guards against the bug coming back.
 */
class RegressionTest {
    private static final String C = "/api/collections";
    private static final String LONG_ID = "a".repeat(600);

    @AfterAll
    static void closeServers() throws Exception {
        ScenarioRunner.awaitClosed();
    }

    @Test
    // Regression (was a bug): removing a hidden field from a collection makes its stored values visible in every response
    void hiddenValuesStayHiddenAfterTheFieldIsRemoved() {
        ScenarioRunner.run(Scenario.named("hidden values after the field is removed")
                .given(collection(POSTS), create("posts", "{'title':'a','secret':'" + SECRET + "'}"),
                        patch(C + "/posts", "{'fields':[{'name':'title','type':'text','required':true}]}").expect(200))
                .when(get(record("posts", "{id}")).expect(200).lacks(SECRET))
                .then(list("posts").expect(200).lacks(SECRET)));
    }

    @Test
    // Regression (was a bug): after a field is removed from a collection, PATCH of a record that had it is 400 validation_unknown_field
    void recordsStayEditableAfterAFieldIsRemoved() {
        ScenarioRunner.run(Scenario.named("PATCH after a field is removed")
                .given(collection("{'name':'things','fields':[{'name':'a','type':'text'},{'name':'b','type':'text'}]}"),
                        create("things", "{'a':'x','b':'y'}"),
                        patch(C + "/things", "{'fields':[{'name':'a','type':'text'}]}").expect(200))
                .when(patch(record("things", "{id}"), "{'a':'z'}").expect(200).at("/a", "z").at("/_version", 2)));
    }

    @Test
    // Regression: a field's type used to be changeable (number -> text), leaving stored values that no longer
    // validated, so PATCH of any other field was 400. A type change is now refused and records stay editable.
    void aFieldTypeCannotChangeAndRecordsStayEditable() {
        ScenarioRunner.run(Scenario.named("type change refused")
                .given(collection("{'name':'things','fields':[{'name':'a','type':'text'},{'name':'n','type':'number'}]}"),
                        create("things", "{'a':'x','n':5}"),
                        patch(C + "/things", "{'fields':[{'name':'a','type':'text'},{'name':'n','type':'text'}]}")
                                .expect(400).has("validation_type_change"))
                .when(patch(record("things", "{id}"), "{'a':'z'}").expect(200).at("/a", "z").at("/n", 5)));
    }

    @Test
    // Regression (was a bug): the password field of the system users collection can be made non-hidden (200 instead of 400)
    void usersPasswordCannotBeUnhidden() {
        ScenarioRunner.run(Scenario.named("unhide users.password")
                .when(patch(C + "/users", "{'fields':[{'name':'email','type':'email','required':true,'unique':true},"
                        + "{'name':'password','type':'text','required':true},{'name':'verified','type':'bool'}]}").expect(400))
                .then(get(C + "/users").at("/fields/1/name", "password").at("/fields/1/hidden", true)));
    }

    @Test
    // Regression (was a bug): the password field of the system users collection can be removed (200 instead of 400)
    void usersPasswordCannotBeRemoved() {
        ScenarioRunner.run(Scenario.named("remove users.password")
                .when(patch(C + "/users", "{'fields':[{'name':'email','type':'email'}]}").expect(400))
                .then(get(C + "/users").has("'name':'password'")));
    }

    @Test
    // Regression (was a bug): after users.password is un-hidden over the collections API, password hashes are returned
    void passwordHashesNeverLeak() {
        try (TestServer server = TestServer.start()) {
            String id = Ids.newId();
            String hash = "$2a$10$abcdefghijklmnopqrstuuNOTREALLYAHASHxxxxxxxxxxxxxxxxxx";
            server.store().write(List.of(new WriteOp.Create("users", new Record(id, Times.now(), Times.now(), 1,
                    Map.of("email", "someone@example.com", "password", hash, "verified", true))))).join();
            assertThat(server.get(record("users", id)).body()).doesNotContain(hash);
            server.patch(C + "/users", Step.quotes("{'fields':[{'name':'email','type':'email','required':true,'unique':true},"
                    + "{'name':'password','type':'text','required':true},{'name':'verified','type':'bool'}]}"));
            assertThat(server.get(record("users", id)).body()).doesNotContain(hash);
            assertThat(server.get(Fixtures.records("users")).body()).doesNotContain(hash);
        }
    }

    @Test
    // Regression (was a bug): GET/PATCH/DELETE of a record with a 600-character id is 503 'storage unavailable' instead of 404
    void anOverlongRecordIdIsNotFound() {
        ScenarioRunner.run(Scenario.named("overlong id")
                .given(create("notes", "{'a':1}"))
                .when(get(record("notes", LONG_ID)).expect(404))
                .then(patch(record("notes", LONG_ID), "{'a':2}").expect(404), Step.delete(record("notes", LONG_ID)).expect(404),
                        list("notes", "filter", "id = '" + LONG_ID + "'").expect(200).at("/totalItems", 0)));
    }

    @Test
    // Regression (was a bug): a filter comparing an indexed field with a 600-character string is 503 'storage unavailable'
    void anOverlongLiteralOnAnIndexedFieldFilters() {
        String longText = "b".repeat(600);
        ScenarioRunner.run(Scenario.named("overlong indexed literal")
                .given(collection("{'name':'p','fields':[{'name':'t','type':'text','indexed':true}]}"),
                        create("p", "{'t':'c'}"), create("p", "{'t':'a'}"))
                .when(list("p", "filter", "t = '" + longText + "'").expect(200).at("/totalItems", 0))
                .then(list("p", "filter", "t > '" + longText + "'").expect(200).at("/totalItems", 1).at("/items/0/t", "c"),
                        list("p", "filter", "t < '" + longText + "'").expect(200).at("/totalItems", 1).at("/items/0/t", "a")));
    }

    @Test
    // Regression (was a bug): an indexed equality filter treated a lone surrogate \\ud800 as '?' (index and scan
    // disagreed). A lone surrogate is now refused at the door (400: neither store can keep it faithfully), so '?' stays
    // the only such value and index and scan agree.
    void loneSurrogatesAreDistinctInIndexes() {
        ScenarioRunner.run(Scenario.named("lone surrogate in an index")
                .given(collection("{'name':'p','fields':[{'name':'t','type':'text','indexed':true},{'name':'u','type':'text'}]}"),
                        create("p", "{'t':'?','u':'?'}"))
                .when(create("p", "{'t':'\\ud800','u':'\\ud800'}").expect(400))
                .then(list("p", "filter", "t = '?'").expect(200).at("/totalItems", 1),
                        list("p", "filter", "u = '?'").expect(200).at("/totalItems", 1),
                        list("p").at("/totalItems", 1)));
    }

    @Test
    // Regression (was a bug): a unique text field refused '?' with 409 when another record held a lone surrogate
    // \\ud800. The surrogate is now refused (400) and stores nothing, so '?' is free.
    void loneSurrogatesDoNotCollideInUniqueIndexes() {
        ScenarioRunner.run(Scenario.named("lone surrogate in a unique index")
                .given(collection("{'name':'p','fields':[{'name':'t','type':'text','unique':true}]}"))
                .when(create("p", "{'t':'\\ud800'}").expect(400))
                .then(create("p", "{'t':'?'}").expect(200), list("p").at("/totalItems", 1)));
    }

    @Test
    // Regression (was a bug): a request line over 4 KB (a valid 6,000-character filter) is 431 with an empty, non-JSON body
    void aLongFilterUnderTheParserLimitIsAccepted() {
        String filter = String.join(" || ", java.util.Collections.nCopies(250, "id = 'abcdefghij12345'"));
        assertThat(filter.length()).isBetween(5000, 8192);
        ScenarioRunner.run(Scenario.named("6,000-character filter")
                .given(create("notes", "{'a':1}"))
                .when(list("notes", "filter", filter).expect(200).at("/totalItems", 0)));
    }

    @Test
    // Regression (was a bug): concurrent PATCHes without _expectedVersion get 409 'changed by someone else' after 5 retries
    void concurrentPatchesWithoutAnExpectedVersionAllSucceed() throws Exception {
        try (TestServer server = TestServer.start()) {
            HttpResponse<String> created = server.post(Fixtures.records("notes"), "{\"c\":0}");
            String id = ScenarioRunner.JSON.readTree(created.body()).get("id").asText();
            ExecutorService pool = Executors.newFixedThreadPool(32);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            try {
                for (int i = 0; i < 64; i++) {
                    String body = "{\"f" + i + "\":" + i + "}";
                    answers.add(pool.submit(() -> server.patch(record("notes", id), body)));
                }
                List<String> failures = new ArrayList<>();
                for (Future<HttpResponse<String>> f : answers) {
                    if (f.get().statusCode() != 200) failures.add(f.get().statusCode() + " " + f.get().body());
                }
                assertThat(failures).as("PATCHes without _expectedVersion must not conflict").isEmpty();
                String after = server.get(record("notes", id)).body();
                assertThat(ScenarioRunner.JSON.readTree(after).get("_version").asInt()).isEqualTo(65);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
