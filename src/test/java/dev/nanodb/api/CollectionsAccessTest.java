package dev.nanodb.api;

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

/**
 * The collections API belongs to superusers (401 without a token, 403 for a user's token, nothing changed), and
 * rules are validated when a collection is saved: syntax, unknown fields and unsupported references are 400s
 * naming the rule, and the stored rules stay as they were.
 */
class CollectionsAccessTest {
    private static final String NOTES = "{'name':'notes','fields':[{'name':'title','type':'text'}]}";

    @TestFactory
    Stream<DynamicTest> collectionsAccess() {
        return ScenarioRunner.tests(scenarios());
    }

    private static Scenario badRule(String title, String rule, String message) {
        return Scenario.named("a rule with " + title + " is 400 on listRule")
                .given(collection(NOTES))
                .when(patch("/api/collections/notes", "{'listRule':'" + rule + "'}").expect(400)
                        .at("/data/listRule/code", "validation_invalid_rule").has(message))
                .then(get("/api/collections/notes").at("/listRule", "null"));
    }

    static List<Scenario> scenarios() {
        return List.of(
                Scenario.named("list collections without a token is 401")
                        .when(get("/api/collections").as("anon").expect(401)),
                Scenario.named("list collections with a user's token is 403")
                        .users("alice")
                        .when(get("/api/collections").as("alice").expect(403).lacks("pbc_users")),
                Scenario.named("view a collection with a user's token is 403")
                        .users("alice")
                        .when(get("/api/collections/users").as("alice").expect(403)),
                Scenario.named("create a collection with a user's token is 403 and creates nothing")
                        .users("alice")
                        .when(collection(NOTES).as("alice").expect(403))
                        .then(get("/api/collections/notes").expect(404)),
                Scenario.named("create a collection anonymously is 401 and creates nothing")
                        .when(collection(NOTES).as("anon").expect(401))
                        .then(get("/api/collections/notes").expect(404)),
                Scenario.named("opening a collection's rules with a user's token is 403 and keeps them")
                        .users("alice")
                        .given(collection(NOTES))
                        .when(patch("/api/collections/notes", "{'listRule':''}").as("alice").expect(403))
                        .then(get("/api/collections/notes").at("/listRule", "null")),
                Scenario.named("deleting a collection with a user's token is 403 and keeps it")
                        .users("alice")
                        .given(collection(NOTES), create("notes", "{'title':'kept'}"))
                        .when(delete("/api/collections/notes").as("alice").expect(403))
                        .then(list("notes").at("/totalItems", 1)),
                Scenario.named("opening users' list rule with a user's token is 403")
                        .users("alice", "bob")
                        .when(patch("/api/collections/users", "{'listRule':''}").as("alice").expect(403))
                        .then(list("users").as("alice").at("/totalItems", 1)),
                Scenario.named("the superuser sees the five rules of a collection")
                        .given(collection("{'name':'notes','fields':[{'name':'title','type':'text'},{'name':'owner_id','type':'text'}],"
                                + "'listRule':'','viewRule':'','createRule':'@request.auth.id != \\'\\'',"
                                + "'updateRule':'owner_id = @request.auth.id','deleteRule':null}"))
                        .when(get("/api/collections/notes").expect(200).at("/listRule", "").at("/viewRule", "")
                                .at("/createRule", "@request.auth.id != \"\"").at("/updateRule", "owner_id = @request.auth.id")
                                .at("/deleteRule", "null")),
                badRule("a syntax error", "title = ", "unexpected end"),
                badRule("an unknown field", "nosuch = 1", "Unknown field: nosuch"),
                badRule("an @collection join to an unknown collection", "@collection.posts.title ?= title", "Unknown collection"),
                badRule("an @collection field compared with the record by =", "@collection.notes.title = title", "using ?="),
                badRule("an unknown @ reference", "@request.nothing = 1", "Unknown reference"),
                Scenario.named("a rule naming a field removed in the same PATCH is 400 on that rule")
                        .given(collection("{'name':'notes','fields':[{'name':'title','type':'text'}],'listRule':'title != \\'\\''}"))
                        .when(patch("/api/collections/notes", "{'fields':[{'name':'body','type':'text'}]}").expect(400)
                                .at("/data/listRule/code", "validation_invalid_rule"))
                        .then(get("/api/collections/notes").has("'title'")),
                Scenario.named("a schemaless collection's rule may name any field")
                        .given(create("posts", "{'title':'x'}"))
                        .when(patch("/api/collections/posts", "{'listRule':'anything = 1 || title != \\'\\''}").expect(200)),
                Scenario.named("a rule may name @request.auth, body, query, method and @now")
                        .given(collection(NOTES))
                        .when(patch("/api/collections/notes", "{'listRule':'@request.auth.verified = true && @request.query.a = \\'1\\' "
                                + "&& @request.method = \\'GET\\' && @request.body.x = \\'\\' && created < @now'}").expect(200)),
                Scenario.named("a non-string rule is 400")
                        .given(collection(NOTES))
                        .when(patch("/api/collections/notes", "{'viewRule':42}").expect(400).at("/data/viewRule/code", "validation_invalid_rule")),
                Scenario.named("stats and consistency are superuser-only")
                        .users("alice")
                        .when(get("/api/stats").as("alice").expect(403))
                        .then(get("/api/stats").as("anon").expect(401), get("/api/admin/consistency").as("alice").expect(403),
                                get("/api/stats").expect(200)),
                Scenario.named("an invalid token is 401 even on a public route").env("INVALID_TOKEN", "reject")
                        .given(collection("{'name':'pub','fields':[{'name':'title','type':'text'}],'listRule':''}"))
                        .when(list("pub").header("Authorization", "Bearer not.a.token").expect(401))
                        .then(list("pub").as("anon").expect(200)),
                Scenario.named("the seed login answers token, user and record")
                        .users("alice")
                        .when(post("/api/auth/login", "{'email':'alice@example.com','password':'password123','collection':'users'}")
                                .as("anon").expect(200).present("/token").at("/user/email", "alice@example.com")
                                .at("/record/id", "{alice}").lacks("password123", "tokenKey", "$2")),
                Scenario.named("a login with a stale token in the header still works (the SDK sends its stored token)")
                        .users("alice")
                        .when(post("/api/collections/users/auth-with-password", "{'identity':'alice@example.com','password':'password123'}")
                                .header("Authorization", "Bearer expired.or.garbage").expect(200).present("/token"))
                        .then(post("/api/auth/login", "{'email':'alice@example.com','password':'password123'}")
                                .header("Authorization", "garbage").expect(200).present("/token")),
                Scenario.named("a sign-up is unverified and says so")
                        .when(post("/api/collections/users/records", "{'email':'x@example.com','password':'password123','passwordConfirm':'password123'}")
                                .as("anon").expect(200).at("/verified", false).lacks("password123", "tokenKey")),
                Scenario.named("a token already used (and remembered as verified) is refused after a password change").env("INVALID_TOKEN", "reject")
                        .users("alice")
                        .given(get("/api/collections/users/records/{alice}").as("alice").expect(200),
                                get("/api/collections/users/records/{alice}").as("alice").expect(200))
                        .when(patch("/api/collections/users/records/{alice}",
                                "{'oldPassword':'password123','password':'new-password-1','passwordConfirm':'new-password-1'}")
                                .as("alice").expect(200))
                        .then(get("/api/collections/users/records/{alice}").as("alice").expect(401)),
                Scenario.named("a token already used is refused once its user is deleted").env("INVALID_TOKEN", "reject")
                        .users("alice")
                        .given(get("/api/collections/users/records/{alice}").as("alice").expect(200))
                        .when(delete("/api/collections/users/records/{alice}").expect(200))
                        .then(get("/api/collections/users/records/{alice}").as("alice").expect(401),
                                list("users").as("alice").expect(401)),
                Scenario.named("the seed login defaults to users")
                        .users("alice")
                        .when(post("/api/auth/login", "{'email':'ALICE@example.com','password':'password123'}")
                                .as("anon").expect(200).at("/record/id", "{alice}")));
    }
}
