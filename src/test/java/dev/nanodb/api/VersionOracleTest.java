package dev.nanodb.api;

import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.delete;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.patch;
import static dev.nanodb.api.Step.post;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Hole 1 of issue 13: {@code _expectedVersion} (and {@code ?version=}) must never tell a caller whether a record
 * it may not touch exists, nor which version it has. The update or delete rule decides first, inside the write
 * transaction, before any version comparison; a caller the rule refuses gets the 404 of a missing record, on
 * the single routes and in batches of both shapes. A caller who may change a record but not view it learns of a
 * stale version (409) but not the current version number. Both store backends compare versions in their own
 * writer, so every scenario runs on LMDB and on PostgreSQL.
 */
class VersionOracleTest {
    private static final String NOTE = "/api/collections/notes/records/{id}";
    private static final String MISSING = "/api/collections/notes/records/zzzzzzzzzzzzzzz";
    private static final String NOT_FOUND = "The requested resource wasn't found.";

    @TestFactory
    Stream<DynamicTest> versionsRevealNothingARuleHides() {
        return ScenarioRunner.tests(Backends.both(scenarios()));
    }

    /** notes: owners list, view, update and delete their own; alice owns {id}. */
    private static Step[] aliceNote(String updateRule) {
        return new Step[] {
            collection("{'name':'notes','fields':[{'name':'title','type':'text'},{'name':'owner_id','type':'text','indexed':true}],"
                    + "'listRule':'owner_id = @request.auth.id','viewRule':'owner_id = @request.auth.id',"
                    + "'createRule':'@request.auth.id != \\'\\'','updateRule':'" + updateRule + "',"
                    + "'deleteRule':'owner_id = @request.auth.id'}"),
            create("notes", "{'title':'alice note'}").as("alice")};
    }

    private static Step unchanged() {
        return get(NOTE).at("/_version", 1).at("/title", "alice note");
    }

    private static Step pbBatch(String method, String url, String body) {
        return post("/api/batch", "{'requests':[{'method':'" + method + "','url':'" + url + "','body':" + body + "}]}");
    }

    private static List<Scenario> scenarios() {
        String owner = "owner_id = @request.auth.id";
        return List.of(
                Scenario.named("anonymous PATCH of an existing user with a stale version: 404, no version").users("alice")
                        .when(patch("/api/collections/users/records/{alice}", "{'_expectedVersion':0}").as("anon").expect(404)
                                .at("/message", NOT_FOUND).lacks("version", "Version"))
                        .then(get("/api/collections/users/records/{alice}").at("/_version", 1)),
                Scenario.named("anonymous PATCH of a missing user with a stale version: the same 404").users("alice")
                        .when(patch("/api/collections/users/records/zzzzzzzzzzzzzzz", "{'_expectedVersion':0}").as("anon")
                                .expect(404).at("/message", NOT_FOUND).lacks("version", "Version")),
                Scenario.named("another user's PATCH with a stale version: 404, not 409").users("alice", "bob")
                        .given(aliceNote(owner))
                        .when(patch(NOTE, "{'title':'bob was here','_expectedVersion':0}").as("bob").expect(404)
                                .at("/message", NOT_FOUND).lacks("version", "Version"))
                        .then(unchanged()),
                Scenario.named("another user's PATCH with the current version: 404 as well").users("alice", "bob")
                        .given(aliceNote(owner))
                        .when(patch(NOTE, "{'title':'bob was here','_expectedVersion':1}").as("bob").expect(404))
                        .then(unchanged()),
                Scenario.named("a PATCH of a missing record with a stale version: the same 404").users("alice", "bob")
                        .given(aliceNote(owner))
                        .when(patch(MISSING, "{'title':'x','_expectedVersion':0}").as("bob").expect(404)
                                .at("/message", NOT_FOUND).lacks("version", "Version")),
                Scenario.named("the owner's stale version is a 409 naming the current version").users("alice")
                        .given(aliceNote(owner))
                        .when(patch(NOTE, "{'title':'late','_expectedVersion':7}").as("alice").expect(409)
                                .at("/data/_version/code", "version_conflict").has("The current version is 1."))
                        .then(unchanged()),
                Scenario.named("may update but not view: a stale version is a 409 without the version").users("alice", "bob")
                        .given(aliceNote("@request.auth.id != \\'\\'"))
                        .given(patch(NOTE, "{'title':'second'}").as("alice"))
                        .when(patch(NOTE, "{'title':'bob','_expectedVersion':1}").as("bob").expect(409)
                                .at("/data/_version/code", "version_conflict").lacks("is 2", "2."))
                        .then(get(NOTE).at("/_version", 2).at("/title", "second")),
                Scenario.named("PocketBase batch: another user's stale version fails as a missing record").users("alice", "bob")
                        .given(aliceNote(owner))
                        .when(pbBatch("PATCH", NOTE, "{'title':'x','_expectedVersion':0}").as("bob").expect(400)
                                .at("/data/requests/0/response/status", 404).lacks("version", "Version"))
                        .then(unchanged()),
                Scenario.named("PocketBase batch: a missing record with a stale version, the same failure").users("alice", "bob")
                        .given(aliceNote(owner))
                        .when(pbBatch("PATCH", MISSING, "{'title':'x','_expectedVersion':0}").as("bob").expect(400)
                                .at("/data/requests/0/response/status", 404).lacks("version", "Version")),
                Scenario.named("seed batch: another user's stale version fails as a missing record").users("alice", "bob")
                        .given(aliceNote(owner))
                        .when(post("/api/batch", "{'requests':[{'method':'update','collection':'notes','id':'{id}',"
                                + "'data':{'title':'x','_expectedVersion':0}}]}").as("bob").expect(400)
                                .at("/data/requests/0/response/status", 404).lacks("version", "Version"))
                        .then(unchanged()),
                Scenario.named("anonymous batch PATCH of a user with a stale version: 404 inside").users("alice")
                        .when(pbBatch("PATCH", "/api/collections/users/records/{alice}", "{'_expectedVersion':0}").as("anon")
                                .expect(400).at("/data/requests/0/response/status", 404).lacks("version", "Version")),
                Scenario.named("another user's DELETE with ?version=: 404, nothing deleted").users("alice", "bob")
                        .given(aliceNote(owner))
                        .when(delete(NOTE + "?version=0").as("bob").expect(404).lacks("version", "Version"))
                        .then(unchanged()),
                Scenario.named("may delete but not view: a stale ?version= is a 409 without the version").users("alice", "bob")
                        .given(collection("{'name':'notes','fields':[{'name':'title','type':'text'},{'name':'owner_id','type':'text'}],"
                                + "'listRule':'owner_id = @request.auth.id','viewRule':'owner_id = @request.auth.id',"
                                + "'createRule':'','updateRule':null,'deleteRule':'@request.auth.id != \\'\\''}"),
                                create("notes", "{'title':'alice note'}").as("alice"))
                        .when(delete(NOTE + "?version=5").as("bob").expect(409).lacks("is 1", "1."))
                        .then(unchanged()));
    }
}
