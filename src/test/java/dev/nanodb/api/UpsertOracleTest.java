package dev.nanodb.api;

import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.list;
import static dev.nanodb.api.Step.post;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Hole 3 of issue 13: a batch upsert ({@code PUT}) chooses between update and create by whether the id exists,
 * and used to read that before any rule, so its answer told anyone whether an id existed. Now a record the caller
 * may not view counts as absent: for an id that exists hidden and for an id that exists nowhere, the answer is
 * the same — the create path, which refuses a client-chosen id from anyone but a superuser. Each pair of
 * scenarios below expects the same answer for the hidden id and for the missing one. Existence is read from
 * the store, so both backends run every scenario.
 */
class UpsertOracleTest {
    private static final String HIDDEN = "{id}";
    private static final String NOWHERE = "zzzzzzzzzzzzzzz";

    @TestFactory
    Stream<DynamicTest> upsertsTellNothingOfHiddenIds() {
        return ScenarioRunner.tests(Backends.both(scenarios()));
    }

    private static Step[] aliceNote() {
        return new Step[] {
            collection("{'name':'notes','fields':[{'name':'title','type':'text'},{'name':'owner_id','type':'text','indexed':true}],"
                    + "'listRule':'owner_id = @request.auth.id','viewRule':'owner_id = @request.auth.id',"
                    + "'createRule':'@request.auth.id != \\'\\'','updateRule':'owner_id = @request.auth.id',"
                    + "'deleteRule':'owner_id = @request.auth.id'}"),
            create("notes", "{'title':'alice note'}").as("alice")};
    }

    private static Step upsert(String collection, String id, String who) {
        return post("/api/batch", "{'requests':[{'method':'PUT','url':'/api/collections/" + collection + "/records',"
                + "'body':{'id':'" + id + "','title':'upserted'}}]}").as(who);
    }

    /** The one answer every refused upsert gets, whether its id exists hidden or nowhere. */
    private static Step refusedAsCreate(Step s) {
        return s.expect(400).at("/data/requests/0/response/status", 400)
                .at("/data/requests/0/response/data/id/code", "validation_forbidden_field").lacks("alice note");
    }

    private static List<Scenario> scenarios() {
        List<Scenario> out = new ArrayList<>();
        for (String who : List.of("bob", "anon")) {
            for (String id : List.of(HIDDEN, NOWHERE)) {
                String which = id.equals(HIDDEN) ? "an id that exists, hidden by the view rule" : "an id that exists nowhere";
                out.add(Scenario.named("upsert by " + who + " of " + which + ": refused as a create").users("alice", "bob")
                        .given(aliceNote())
                        .when(refusedAsCreate(upsert("notes", id, who)))
                        .then(get("/api/collections/notes/records/{id}").at("/title", "alice note").at("/_version", 1),
                                list("notes").at("/totalItems", 1)));
            }
        }
        out.add(Scenario.named("anonymous upsert of an existing user: refused as a create").users("alice")
                .when(refusedAsCreate(upsert("users", "{alice}", "anon")))
                .then(get("/api/collections/users/records/{alice}").at("/_version", 1)));
        out.add(Scenario.named("anonymous upsert of a missing user: the same").users("alice")
                .when(refusedAsCreate(upsert("users", NOWHERE, "anon"))));
        out.add(Scenario.named("the owner's upsert of her own record updates it").users("alice")
                .given(aliceNote())
                .when(upsert("notes", HIDDEN, "alice").expect(200).at("/0/status", 200).at("/0/body/title", "upserted")
                        .at("/0/body/_version", 2))
                .then(list("notes").at("/totalItems", 1)));
        out.add(Scenario.named("a superuser's upsert of a new id creates it").users("alice")
                .given(aliceNote())
                .when(upsert("notes", NOWHERE, "admin").expect(200).at("/0/status", 200).at("/0/body/id", NOWHERE))
                .then(list("notes").at("/totalItems", 2)));
        out.add(Scenario.named("a superuser's upsert of an existing id updates it").users("alice")
                .given(aliceNote())
                .when(upsert("notes", HIDDEN, "admin").expect(200).at("/0/body/_version", 2))
                .then(list("notes").at("/totalItems", 1)));
        return out;
    }
}
