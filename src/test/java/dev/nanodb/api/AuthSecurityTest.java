package dev.nanodb.api;

import static dev.nanodb.api.Fixtures.POSTS;
import static dev.nanodb.api.Fixtures.SECRET;
import static dev.nanodb.api.Fixtures.record;
import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.delete;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.list;
import static dev.nanodb.api.Step.patch;
import static dev.nanodb.api.Step.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanodb.config.ConfigLoader;
import dev.nanodb.store.Record;
import dev.nanodb.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Auth hardening (issue "Done when" #2), as API scenarios: revoked tokens (deleted user, password change), password
 * changes, users' tokens against superuser-only routes, mass assignment of protected fields, secrets never in any
 * answer, hidden fields refused in a user's filter and sort, the 72-byte bcrypt limit, login rate limiting and the
 * Authorization header forms. Token forgery (signatures, algorithms, expiry, crafted claims) is in
 * {@link TokenForgeryTest}.
 */
class AuthSecurityTest {
    private static final String USERS = "/api/collections/users/records";
    private static final String ALICE = record("users", "{alice}");
    private static final String SUPERUSERS = "/api/collections/_superusers/records";
    private static final String NOTE = record("notes", "{id}");
    private static final String NEW_PASSWORD = "newpassword456";

    /** What no answer may ever carry: the scenario users' plain password, a bcrypt hash, the token key. */
    private static final String[] SECRETS = {"password123", "$2b$", "$2a$", "$2y$", "tokenKey"};

    /**
     * The secret values only, for answers that may name the field {@code tokenKey} (an error about the caller's
     * own filter names the field it refuses; the key's value is what must never appear).
     */
    private static final String[] SECRET_VALUES = {"password123", "$2b$", "$2a$", "$2y$"};

    /** notes: an owner field, anyone may read and create, only the owner may update. */
    private static final String NOTES = "{'name':'notes','fields':[{'name':'title','type':'text'},"
            + "{'name':'owner_id','type':'text','indexed':true}],"
            + "'listRule':'','viewRule':'','createRule':'','updateRule':'owner_id = @request.auth.id',"
            + "'deleteRule':'owner_id = @request.auth.id'}";

    @TestFactory
    Stream<DynamicTest> authSecurity() {
        List<Scenario> all = new ArrayList<>();
        all.addAll(revocation());
        all.addAll(superuserOnly());
        all.addAll(massAssignment());
        all.addAll(noSecretsInAnswers());
        all.addAll(hiddenInFilterAndSort());
        all.addAll(passwordLength());
        all.addAll(rateLimit());
        all.addAll(authorizationHeader());
        return ScenarioRunner.tests(all);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** {@code step} must not carry any secret, and (for a record answer at {@code pointer}) no password keys. */
    private static Step clean(Step step, String... recordPointers) {
        Step s = step.lacks(SECRETS);
        for (String p : recordPointers) s = s.missing(p + "/password").missing(p + "/tokenKey");
        return s;
    }

    private static Step pbLogin(String collection, String email, String password) {
        return post("/api/collections/" + collection + "/auth-with-password",
                "{'identity':'" + email + "','password':'" + password + "'}").as("anon");
    }

    private static Step seedLogin(String collection, String email, String password) {
        return post("/api/auth/login", "{'email':'" + email + "','password':'" + password + "','collection':'"
                + collection + "'}").as("anon");
    }

    private static Step signUp(String email, String password) {
        return post(USERS, "{'email':'" + email + "','password':'" + password + "','passwordConfirm':'" + password + "'}")
                .as("anon");
    }

    private static Step changePassword(String url, String oldPassword, String password) {
        return patch(url, "{'oldPassword':'" + oldPassword + "','password':'" + password + "','passwordConfirm':'"
                + password + "'}");
    }

    /** A JSON string literal for a scenario body that is sent byte for byte (no quote conversion). */
    private static String signUpRaw(String email, String password) {
        return "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"passwordConfirm\":\"" + password + "\"}";
    }

    // ----------------------------------------------------------------------------------- revoked tokens

    static List<Scenario> revocation() {
        return List.of(
                Scenario.named("token of a deleted user is 401")
                        .users("alice")
                        .given(get(ALICE).as("alice").expect(200), delete(ALICE))
                        .when(get(USERS).as("alice").expect(401))
                        .then(get(record("users", "{alice}")).expect(404),
                                list("users").at("/totalItems", 0)),
                Scenario.named("token of a deleted user is 401 on every route, also auth-refresh")
                        .users("alice")
                        .given(delete(ALICE))
                        .when(post("/api/collections/users/auth-refresh", null).as("alice").expect(401).lacks(SECRETS)),
                Scenario.named("password change: the old token is 401 afterwards")
                        .users("alice")
                        .given(clean(changePassword(ALICE, "password123", NEW_PASSWORD).as("alice").expect(200), ""))
                        .when(get(ALICE).as("alice").expect(401))
                        .then(clean(pbLogin("users", "alice@example.com", NEW_PASSWORD).expect(200), "/record")
                                        .at("/record/id", "{alice}").present("/token"),
                                clean(seedLogin("users", "alice@example.com", NEW_PASSWORD).expect(200), "/user", "/record")
                                        .at("/user/id", "{alice}"),
                                pbLogin("users", "alice@example.com", "password123").expect(400).lacks(SECRETS),
                                post("/api/collections/users/auth-refresh", null).as("alice").expect(401)),
                Scenario.named("password change with a wrong oldPassword is 400 data.oldPassword and changes nothing")
                        .users("alice")
                        .when(clean(changePassword(ALICE, "wrongpass999", NEW_PASSWORD).as("alice").expect(400))
                                .present("/data/oldPassword").lacks("wrongpass999", NEW_PASSWORD))
                        .then(pbLogin("users", "alice@example.com", "password123").expect(200),
                                pbLogin("users", "alice@example.com", NEW_PASSWORD).expect(400),
                                get(ALICE).as("alice").expect(200).at("/_version", 1)),
                Scenario.named("password change without oldPassword is 400 data.oldPassword and changes nothing")
                        .users("alice")
                        .when(patch(ALICE, "{'password':'" + NEW_PASSWORD + "','passwordConfirm':'" + NEW_PASSWORD + "'}")
                                .as("alice").expect(400).present("/data/oldPassword").lacks(NEW_PASSWORD))
                        .then(pbLogin("users", "alice@example.com", "password123").expect(200),
                                pbLogin("users", "alice@example.com", NEW_PASSWORD).expect(400),
                                get(ALICE).as("alice").expect(200)),
                Scenario.named("password change of another user is 404 and changes nothing")
                        .users("alice", "bob")
                        .when(changePassword(record("users", "{bob}"), "password123", NEW_PASSWORD).as("alice").expect(404))
                        .then(pbLogin("users", "bob@example.com", "password123").expect(200),
                                pbLogin("users", "bob@example.com", NEW_PASSWORD).expect(400),
                                get(record("users", "{bob}")).as("bob").expect(200)),
                Scenario.named("another user's token is untouched by a password change")
                        .users("alice", "bob")
                        .given(changePassword(ALICE, "password123", NEW_PASSWORD).as("alice").expect(200))
                        .when(get(record("users", "{bob}")).as("bob").expect(200).at("/id", "{bob}")));
    }

    // --------------------------------------------------------------------- superuser-only routes

    static List<Scenario> superuserOnly() {
        String root2 = "{'email':'root2@example.com','password':'password123','passwordConfirm':'password123'}";
        return List.of(
                Scenario.named("users token: list _superusers is 403")
                        .users("alice")
                        .when(get(SUPERUSERS).as("alice").expect(403).lacks("admin@local.host", "root2")),
                Scenario.named("users token: view a _superusers record is 403")
                        .users("alice")
                        .given(post(SUPERUSERS, root2))
                        .when(get(SUPERUSERS + "/{id}").as("alice").expect(403).lacks("root2@example.com")),
                Scenario.named("users token: create a _superusers record is 403 and nothing is created")
                        .users("alice")
                        .when(post(SUPERUSERS, "{'email':'evil@example.com','password':'password123','passwordConfirm':'password123'}")
                                .as("alice").expect(403))
                        .then(get(SUPERUSERS).at("/totalItems", 1).lacks("evil@example.com"),
                                pbLogin("_superusers", "evil@example.com", "password123").expect(400)),
                Scenario.named("users token: update a _superusers record (its password) is 403 and nothing changes")
                        .users("alice")
                        .given(post(SUPERUSERS, root2))
                        .when(patch(SUPERUSERS + "/{id}", "{'password':'takenover1','passwordConfirm':'takenover1','email':'alice2@example.com'}")
                                .as("alice").expect(403))
                        .then(get(SUPERUSERS + "/{id}").at("/email", "root2@example.com").at("/_version", 1),
                                pbLogin("_superusers", "root2@example.com", "password123").expect(200),
                                pbLogin("_superusers", "root2@example.com", "takenover1").expect(400)),
                Scenario.named("users token: delete a _superusers record is 403 and it stays")
                        .users("alice")
                        .given(post(SUPERUSERS, root2))
                        .when(delete(SUPERUSERS + "/{id}").as("alice").expect(403))
                        .then(get(SUPERUSERS + "/{id}").expect(200)),
                Scenario.named("users token: the superusers' filter cannot be probed through list")
                        .users("alice")
                        .when(list("_superusers", "filter", "email ~ 'admin'").as("alice").expect(403)),
                Scenario.named("users token: GET /api/collections is 403")
                        .users("alice")
                        .when(get("/api/collections").as("alice").expect(403).lacks("pbc_", "listRule")),
                Scenario.named("users token: GET /api/collections/users is 403")
                        .users("alice")
                        .when(get("/api/collections/users").as("alice").expect(403).lacks("listRule")),
                Scenario.named("users token: POST /api/collections is 403 and nothing is created")
                        .users("alice")
                        .when(collection("{'name':'evil','fields':[{'name':'t','type':'text'}]}").as("alice").expect(403))
                        .then(get("/api/collections/evil").expect(404)),
                Scenario.named("users token: PATCH /api/collections/users (opening the rules) is 403 and nothing changes")
                        .users("alice", "bob")
                        .when(patch("/api/collections/users", "{'listRule':'','viewRule':'','updateRule':''}").as("alice").expect(403))
                        .then(get("/api/collections/users").at("/listRule", "id = @request.auth.id")
                                        .at("/updateRule", "id = @request.auth.id"),
                                list("users").as("alice").at("/totalItems", 1)),
                Scenario.named("users token: DELETE /api/collections/{c} is 403 and it stays")
                        .users("alice")
                        .given(collection(POSTS))
                        .when(delete("/api/collections/posts").as("alice").expect(403))
                        .then(get("/api/collections/posts").expect(200)),
                Scenario.named("no token: GET /api/collections is 401")
                        .when(get("/api/collections").as("anon").expect(401)),
                Scenario.named("no token: POST /api/collections is 401 and nothing is created")
                        .when(collection("{'name':'evil','fields':[{'name':'t','type':'text'}]}").as("anon").expect(401))
                        .then(get("/api/collections/evil").expect(404)),
                Scenario.named("no token: list _superusers is 403")
                        .when(get(SUPERUSERS).as("anon").expect(403).lacks("admin@local.host")),
                Scenario.named("users token on _superusers/auth-refresh is 403 and yields no token")
                        .users("alice")
                        .when(post("/api/collections/_superusers/auth-refresh", null).as("alice").expect(403).missing("/token")),
                Scenario.named("superuser token on users/auth-refresh is 403 and yields no token")
                        .when(post("/api/collections/users/auth-refresh", null).expect(403).missing("/token")),
                Scenario.named("no token on auth-refresh is 401")
                        .when(post("/api/collections/users/auth-refresh", null).as("anon").expect(401).missing("/token")),
                Scenario.named("users token on users/auth-refresh is 200 with its own record")
                        .users("alice")
                        .when(clean(post("/api/collections/users/auth-refresh", null).as("alice").expect(200), "/record")
                                .at("/record/id", "{alice}").present("/token")));
    }

    // --------------------------------------------------------------------------------- mass assignment

    static List<Scenario> massAssignment() {
        return List.of(
                Scenario.named("owner_id: create with someone else's id is 400 data.owner_id and nothing is stored")
                        .users("alice", "bob")
                        .given(collection(NOTES))
                        .when(create("notes", "{'title':'mine?','owner_id':'{bob}'}").as("alice").expect(400)
                                .present("/data/owner_id"))
                        .then(list("notes").at("/totalItems", 0)),
                Scenario.named("owner_id: an anonymous create naming an owner is 400 data.owner_id")
                        .users("bob")
                        .given(collection(NOTES))
                        .when(create("notes", "{'title':'planted','owner_id':'{bob}'}").as("anon").expect(400)
                                .present("/data/owner_id"))
                        .then(list("notes").at("/totalItems", 0)),
                Scenario.named("owner_id: create without one is owned by the caller")
                        .users("alice")
                        .given(collection(NOTES))
                        .when(create("notes", "{'title':'a'}").as("alice").expect(200).at("/owner_id", "{alice}"))
                        .then(get(NOTE).at("/owner_id", "{alice}")),
                Scenario.named("owner_id: create with one's own id is allowed")
                        .users("alice")
                        .given(collection(NOTES))
                        .when(create("notes", "{'title':'a','owner_id':'{alice}'}").as("alice").expect(200).at("/owner_id", "{alice}")),
                Scenario.named("owner_id: update changing it is 400 data.owner_id and the stored value stays")
                        .users("alice", "bob")
                        .given(collection(NOTES), create("notes", "{'title':'a'}").as("alice"))
                        .when(patch(NOTE, "{'title':'given away','owner_id':'{bob}'}").as("alice").expect(400)
                                .present("/data/owner_id"))
                        .then(get(NOTE).at("/owner_id", "{alice}").at("/title", "a").at("/_version", 1),
                                patch(NOTE, "{'title':'still mine'}").as("alice").expect(200),
                                patch(NOTE, "{'title':'not mine'}").as("bob").expect(404)),
                Scenario.named("owner_id: update clearing it is 400 and the stored value stays")
                        .users("alice")
                        .given(collection(NOTES), create("notes", "{'title':'a'}").as("alice"))
                        .when(patch(NOTE, "{'owner_id':null}").as("alice").expect(400).present("/data/owner_id"))
                        .then(get(NOTE).at("/owner_id", "{alice}").at("/_version", 1)),
                Scenario.named("owner_id: update repeating the stored value is allowed")
                        .users("alice")
                        .given(collection(NOTES), create("notes", "{'title':'a'}").as("alice"))
                        .when(patch(NOTE, "{'title':'b','owner_id':'{alice}'}").as("alice").expect(200).at("/owner_id", "{alice}")),
                Scenario.named("owner_id: a superuser may set and change it")
                        .users("alice", "bob")
                        .given(collection(NOTES), create("notes", "{'title':'a','owner_id':'{bob}'}").expect(200))
                        .when(patch(NOTE, "{'owner_id':'{alice}'}").expect(200).at("/owner_id", "{alice}"))
                        .then(get(NOTE).at("/owner_id", "{alice}")),
                Scenario.named("id: a user's create choosing the id is 400 data.id and nothing is stored")
                        .users("alice")
                        .given(collection(NOTES))
                        .when(create("notes", "{'id':'chosenid0000001','title':'a'}").as("alice").expect(400).present("/data/id"))
                        .then(get(record("notes", "chosenid0000001")).expect(404), list("notes").at("/totalItems", 0)),
                Scenario.named("id: an anonymous sign-up choosing the id is 400 data.id")
                        .when(post(USERS, "{'id':'chosenid0000001','email':'carol@example.com','password':'password123','passwordConfirm':'password123'}")
                                .as("anon").expect(400).present("/data/id").lacks(SECRETS))
                        .then(get(record("users", "chosenid0000001")).expect(404), list("users").at("/totalItems", 0)),
                Scenario.named("id: a superuser may choose the id")
                        .given(collection(NOTES))
                        .when(create("notes", "{'id':'chosenid0000001','title':'a'}").expect(200).at("/id", "chosenid0000001")),
                Scenario.named("system fields: _version/created/updated in a user's create are ignored")
                        .users("alice")
                        .given(collection(NOTES))
                        .when(create("notes", "{'title':'a','_version':99,'created':'2000-01-01 00:00:00.000Z','updated':'2000-01-01 00:00:00.000Z'}")
                                .as("alice").expect(200).at("/_version", 1).lacks("2000-01-01"))
                        .then(get(NOTE).at("/_version", 1).lacks("2000-01-01")),
                Scenario.named("system fields: _version/created/updated in a user's update are ignored")
                        .users("alice")
                        .given(collection(NOTES), create("notes", "{'title':'a'}").as("alice"))
                        .when(patch(NOTE, "{'title':'b','_version':99,'created':'2000-01-01 00:00:00.000Z','updated':'2000-01-01 00:00:00.000Z'}")
                                .as("alice").expect(200).at("/_version", 2).lacks("2000-01-01"))
                        .then(get(NOTE).at("/_version", 2).at("/title", "b").lacks("2000-01-01"),
                                list("notes", "filter", "created < '2001-01-01 00:00:00.000Z'").at("/totalItems", 0)),
                Scenario.named("system fields: an id in a user's update body does not move the record")
                        .users("alice")
                        .given(collection(NOTES), create("notes", "{'title':'a'}").as("alice"))
                        .when(patch(NOTE, "{'id':'chosenid0000001','title':'b'}").as("alice").expect(200).at("/id", "{id}"))
                        .then(get(NOTE).at("/id", "{id}").at("/title", "b"),
                                get(record("notes", "chosenid0000001")).expect(404),
                                list("notes").at("/totalItems", 1)),
                Scenario.named("system fields: _version/created in the user's own auth record update are ignored")
                        .users("alice")
                        .when(patch(ALICE, "{'name':'Alice','_version':99,'created':'2000-01-01 00:00:00.000Z'}").as("alice")
                                .expect(200).at("/_version", 2).lacks("2000-01-01"))
                        .then(get(ALICE).at("/_version", 2).at("/name", "Alice").lacks("2000-01-01")),
                Scenario.named("verified: sign-up with verified:true is 400 data.verified and nothing is stored")
                        .when(post(USERS, "{'email':'carol@example.com','password':'password123','passwordConfirm':'password123','verified':true}")
                                .as("anon").expect(400).present("/data/verified").lacks(SECRETS))
                        .then(list("users", "filter", "email = 'carol@example.com'").at("/totalItems", 0),
                                pbLogin("users", "carol@example.com", "password123").expect(400)),
                Scenario.named("verified: sign-up with verified:false is allowed and stays unverified")
                        .when(post(USERS, "{'email':'carol@example.com','password':'password123','passwordConfirm':'password123','verified':false}")
                                .as("anon").expect(200).at("/verified", false))
                        .then(list("users", "filter", "email = 'carol@example.com'").at("/totalItems", 1).at("/items/0/verified", false)),
                Scenario.named("verified: PATCH own verified:true is 400 data.verified and nothing changes")
                        .users("alice")
                        .when(patch(ALICE, "{'verified':true,'name':'Alice'}").as("alice").expect(400).present("/data/verified"))
                        .then(get(ALICE).lacks("'verified':true", "Alice").at("/_version", 1)),
                Scenario.named("verified: a superuser may verify a user")
                        .users("alice")
                        .when(patch(ALICE, "{'verified':true}").expect(200).at("/verified", true))
                        .then(get(ALICE).as("alice").at("/verified", true)),
                Scenario.named("verified: a superuser may create a verified user")
                        .when(post(USERS, "{'email':'carol@example.com','password':'password123','passwordConfirm':'password123','verified':true}")
                                .expect(200).at("/verified", true))
                        .then(list("users", "filter", "email = 'carol@example.com'").at("/items/0/verified", true)),
                Scenario.named("verified: a verified user cannot un-verify itself")
                        .users("alice")
                        .given(patch(ALICE, "{'verified':true}"))
                        .when(patch(ALICE, "{'verified':false}").as("alice").expect(400).present("/data/verified"))
                        .then(get(ALICE).at("/verified", true)),
                Scenario.named("tokenKey in a user's own update is ignored: the user's token keeps working")
                        .users("alice")
                        .when(patch(ALICE, "{'tokenKey':'attacker-chosen-key','name':'A'}").as("alice").expect(200)
                                .lacks("attacker-chosen-key", "tokenKey"))
                        .then(get(ALICE).as("alice").expect(200).at("/name", "A")));
    }

    // --------------------------------------------------------------------------- secrets in answers

    static List<Scenario> noSecretsInAnswers() {
        return List.of(
                Scenario.named("secrets: sign-up answer")
                        .when(clean(signUp("carol@example.com", "password123").expect(200), "")
                                .at("/email", "carol@example.com")),
                Scenario.named("secrets: seed login answer {token,user,record}")
                        .users("alice")
                        .when(clean(seedLogin("users", "alice@example.com", "password123").expect(200), "/user", "/record")
                                .present("/token").at("/user/id", "{alice}").at("/record/id", "{alice}")),
                Scenario.named("secrets: seed login answer of a superuser")
                        .when(clean(seedLogin("_superusers", "admin@local.host", "password123").expect(200), "/user", "/record")
                                .present("/token").at("/record/email", "admin@local.host")),
                Scenario.named("secrets: auth-with-password answer {token,record}")
                        .users("alice")
                        .when(clean(pbLogin("users", "alice@example.com", "password123").expect(200), "/record")
                                .present("/token").at("/record/id", "{alice}")),
                Scenario.named("secrets: superuser auth-with-password answer")
                        .when(clean(pbLogin("_superusers", "admin@local.host", "password123").expect(200), "/record")
                                .present("/token")),
                Scenario.named("secrets: auth-refresh answer")
                        .users("alice")
                        .when(clean(post("/api/collections/users/auth-refresh", null).as("alice").expect(200), "/record")
                                .present("/token")),
                Scenario.named("secrets: superuser auth-refresh answer")
                        .when(clean(post("/api/collections/_superusers/auth-refresh", null).expect(200), "/record")
                                .present("/token")),
                Scenario.named("secrets: view of one's own record")
                        .users("alice")
                        .when(clean(get(ALICE).as("alice").expect(200), "").at("/email", "alice@example.com")),
                Scenario.named("secrets: view as superuser")
                        .users("alice")
                        .when(clean(get(ALICE).expect(200), "").at("/email", "alice@example.com")),
                Scenario.named("secrets: list of users as superuser")
                        .users("alice", "bob")
                        .when(clean(list("users", "sort", "email").expect(200), "/items/0", "/items/1").at("/totalItems", 2)),
                Scenario.named("secrets: list of users as superuser with fields=password,tokenKey,email")
                        .users("alice")
                        .when(clean(list("users", "fields", "password,tokenKey,email").expect(200), "/items/0")
                                .at("/items/0/email", "alice@example.com")),
                Scenario.named("secrets: list of _superusers as superuser")
                        .when(clean(get(SUPERUSERS).expect(200), "/items/0").at("/totalItems", 1)),
                Scenario.named("secrets: own update answer")
                        .users("alice")
                        .when(clean(patch(ALICE, "{'name':'Alice'}").as("alice").expect(200), "").at("/name", "Alice")),
                Scenario.named("secrets: password change answer")
                        .users("alice")
                        .when(clean(changePassword(ALICE, "password123", NEW_PASSWORD).as("alice").expect(200), "")
                                .lacks(NEW_PASSWORD)),
                Scenario.named("secrets: superuser's password reset answer")
                        .users("alice")
                        .when(clean(patch(ALICE, "{'password':'" + NEW_PASSWORD + "','passwordConfirm':'" + NEW_PASSWORD + "'}")
                                .expect(200), "").lacks(NEW_PASSWORD))
                        .then(pbLogin("users", "alice@example.com", NEW_PASSWORD).expect(200)),
                Scenario.named("secrets: duplicate sign-up 409")
                        .users("alice")
                        .when(signUp("alice@example.com", "password123").expect(409).lacks(SECRETS).present("/data/email")),
                Scenario.named("secrets: duplicate sign-up differing in case 409")
                        .users("alice")
                        .when(signUp("ALICE@example.com", "password123").expect(409).lacks(SECRETS).present("/data/email")),
                Scenario.named("secrets: passwordConfirm mismatch 400")
                        .when(post(USERS, "{'email':'carol@example.com','password':'password123','passwordConfirm':'password124'}")
                                .as("anon").expect(400).lacks(SECRETS).lacks("password124").present("/data/passwordConfirm")),
                Scenario.named("secrets: a too short password 400 does not echo it")
                        .when(signUp("carol@example.com", "short12").expect(400).present("/data/password").lacks("short12")),
                Scenario.named("secrets: an invalid email 400 does not echo the password")
                        .when(signUp("not-an-email", "password123").expect(400).present("/data/email").lacks(SECRETS)),
                Scenario.named("secrets: failed login answers")
                        .users("alice")
                        .when(pbLogin("users", "alice@example.com", "wrongpass999").expect(400).lacks(SECRETS).lacks("wrongpass999"))
                        .then(seedLogin("users", "alice@example.com", "wrongpass999").expect(400).lacks(SECRETS).lacks("wrongpass999")),
                Scenario.named("secrets: wrong oldPassword answer")
                        .users("alice")
                        .when(changePassword(ALICE, "wrongpass999", NEW_PASSWORD).as("alice").expect(400)
                                .lacks(SECRETS).lacks("wrongpass999", NEW_PASSWORD)));
    }

    // -------------------------------------------------------------------- hidden fields, filter, sort

    static List<Scenario> hiddenInFilterAndSort() {
        List<Scenario> out = new ArrayList<>();
        String[][] cases = {
                {"filter", "password != ''"},
                {"filter", "password ~ '$2'"},
                {"filter", "tokenKey != ''"},
                {"filter", "id != '' && tokenKey > 'a'"},
                {"sort", "password"},
                {"sort", "-tokenKey"},
                {"sort", "email,password"},
        };
        for (String[] c : cases) {
            out.add(Scenario.named("hidden field refused in a user's " + c[0] + " " + c[1] + " → 400")
                    .users("alice")
                    .when(list("users", c[0], c[1]).as("alice").expect(400).present("/data/" + c[0])
                            .missing("/items").lacks(SECRET_VALUES)));
            out.add(Scenario.named("password/tokenKey refused even in a superuser's " + c[0] + " " + c[1] + " → 400")
                    .users("alice")
                    .when(list("users", c[0], c[1]).expect(400).present("/data/" + c[0])
                            .missing("/items").lacks(SECRET_VALUES)));
        }
        out.add(Scenario.named("hidden field refused in a user's filter on a base collection → 400")
                .users("alice")
                .given(collection(POSTS), create("posts", "{'title':'a','secret':'" + SECRET + "'}"))
                .when(list("posts", "filter", "secret ~ 'TOP'").as("alice").expect(400).present("/data/filter").lacks(SECRET)));
        out.add(Scenario.named("hidden field refused in a user's sort on a base collection → 400")
                .users("alice")
                .given(collection(POSTS), create("posts", "{'title':'a','secret':'" + SECRET + "'}"))
                .when(list("posts", "sort", "-secret").as("alice").expect(400).present("/data/sort").lacks(SECRET)));
        return out;
    }

    // ------------------------------------------------------------------------------- password length

    static List<Scenario> passwordLength() {
        String b72 = "a".repeat(72);
        String b73 = "a".repeat(73);
        String e36 = "é".repeat(36);             // 36 characters, 72 bytes
        String e37 = "é".repeat(37);             // 37 characters, 74 bytes
        String mixed = "é€".repeat(25);          // 50 characters, 125 bytes
        String mixed14 = "é€".repeat(14) + "ab"; // 30 characters, 72 bytes
        String mixed15 = "é€".repeat(15);        // 30 characters, 75 bytes
        check(b72, 72);
        check(b73, 73);
        check(e36, 72);
        check(e37, 74);
        check(mixed, 125);
        check(mixed14, 72);
        check(mixed15, 75);
        return List.of(
                refused("73 ASCII bytes", b73),
                refused("37 × é (37 characters, 74 bytes)", e37),
                refused("25 × é€ (50 characters, 125 bytes)", mixed),
                refused("15 × é€ (30 characters, 75 bytes)", mixed15),
                accepted("72 ASCII bytes", b72),
                accepted("36 × é (72 bytes)", e36),
                accepted("14 × é€ + ab (72 bytes)", mixed14),
                Scenario.named("password length: a change to 73 bytes is refused and the old password stays")
                        .users("alice")
                        .when(changePassword(ALICE, "password123", b73).as("alice").expect(400).present("/data/password").lacks(b73))
                        .then(pbLogin("users", "alice@example.com", "password123").expect(200),
                                get(ALICE).as("alice").expect(200)),
                Scenario.named("password length: a superuser's reset to 74 bytes (multibyte) is refused")
                        .users("alice")
                        .when(patch(ALICE, "{'password':'" + e37 + "','passwordConfirm':'" + e37 + "'}").expect(400)
                                .present("/data/password"))
                        .then(pbLogin("users", "alice@example.com", "password123").expect(200)),
                Scenario.named("password length: a 73-byte password never logs in to an account whose password is its 72-byte prefix")
                        .given(signUp("carol@example.com", b72).expect(200))
                        .when(pbLogin("users", "carol@example.com", b73).expect(400).missing("/token"))
                        .then(seedLogin("users", "carol@example.com", b73).expect(400).missing("/token")));
    }

    private static void check(String s, int bytes) {
        if (s.getBytes(StandardCharsets.UTF_8).length != bytes) throw new IllegalStateException(s + " is not " + bytes + " bytes");
    }

    private static Scenario refused(String what, String password) {
        return Scenario.named("password length: sign-up with " + what + " is 400 data.password and nothing is stored")
                .when(post(USERS, "").rawBody(signUpRaw("carol@example.com", password)).as("anon").expect(400)
                        .present("/data/password").lacks(password))
                .then(list("users").at("/totalItems", 0),
                        post("/api/collections/users/auth-with-password", "")
                                .rawBody("{\"identity\":\"carol@example.com\",\"password\":\"" + password + "\"}")
                                .as("anon").expect(400));
    }

    private static Scenario accepted(String what, String password) {
        return Scenario.named("password length: sign-up with " + what + " is accepted and logs in")
                .when(post(USERS, "").rawBody(signUpRaw("carol@example.com", password)).as("anon").expect(200)
                        .lacks(password).missing("/password"))
                .then(post("/api/collections/users/auth-with-password", "")
                                .rawBody("{\"identity\":\"carol@example.com\",\"password\":\"" + password + "\"}")
                                .as("anon").expect(200).present("/token"),
                        // one byte less (or one character less) is another password, not a prefix match
                        post("/api/collections/users/auth-with-password", "")
                                .rawBody("{\"identity\":\"carol@example.com\",\"password\":\""
                                        + password.substring(0, password.length() - 1) + "\"}")
                                .as("anon").expect(400));
    }

    // ------------------------------------------------------------------------------------ rate limit

    static List<Scenario> rateLimit() {
        // no users() and no superuser step: the runner's own logins would count against the client's limit
        Step carol = signUp("carol@example.com", "password123").expect(200);
        Step wrong = pbLogin("users", "carol@example.com", "wrongpass999").expect(400);
        Step seedWrong = seedLogin("users", "carol@example.com", "wrongpass999").expect(400);
        return List.of(
                Scenario.named("rate limit 3/1m: the 4th failed auth-with-password is 429 with Retry-After")
                        .env("AUTH_RATE_LIMIT", "3/1m")
                        .given(carol, wrong, wrong, wrong)
                        .when(pbLogin("users", "carol@example.com", "wrongpass999").expect(429)
                                .responseHeader("Retry-After", "")
                                .at("/status", 429).present("/message").present("/data"))
                        .then(pbLogin("users", "carol@example.com", "password123").expect(429).missing("/token")),
                Scenario.named("rate limit 3/1m: the seed login route is limited too")
                        .env("AUTH_RATE_LIMIT", "3/1m")
                        .given(carol, seedWrong, seedWrong, seedWrong)
                        .when(seedLogin("users", "carol@example.com", "wrongpass999").expect(429)
                                .responseHeader("Retry-After", "").at("/status", 429).present("/data"))
                        .then(seedLogin("users", "carol@example.com", "password123").expect(429).missing("/token")),
                Scenario.named("rate limit 3/1m: unknown emails count as attempts too")
                        .env("AUTH_RATE_LIMIT", "3/1m")
                        .given(pbLogin("users", "ghost@example.com", "wrongpass999").expect(400),
                                pbLogin("users", "ghost@example.com", "wrongpass999").expect(400),
                                pbLogin("users", "ghost@example.com", "wrongpass999").expect(400))
                        .when(pbLogin("users", "ghost@example.com", "wrongpass999").expect(429).responseHeader("Retry-After", "")),
                Scenario.named("rate limit 3/1m: three failures then a success are allowed")
                        .env("AUTH_RATE_LIMIT", "3/1m")
                        .given(carol, wrong, wrong)
                        .when(pbLogin("users", "carol@example.com", "password123").expect(200).present("/token")));
    }

    // ------------------------------------------------------------------------- Authorization forms

    static List<Scenario> authorizationHeader() {
        return List.of(
                Scenario.named("Authorization: garbage 'Bearer xyz' is 401, never anonymous")
                        .given(collection(POSTS))
                        .when(list("posts").header("Authorization", "Bearer xyz").expect(401).lacks("'items'")),
                Scenario.named("Authorization: a bare garbage token is 401")
                        .given(collection(POSTS))
                        .when(list("posts").header("Authorization", "xyz").expect(401)),
                Scenario.named("Authorization: 'Bearer ' with a three-part garbage token is 401")
                        .given(collection(POSTS))
                        .when(list("posts").header("Authorization", "Bearer aaa.bbb.ccc").expect(401)),
                Scenario.named("Authorization: Basic credentials are 401")
                        .given(collection(POSTS))
                        .when(list("posts").header("Authorization", "Basic YWRtaW5AbG9jYWwuaG9zdDpwYXNzd29yZDEyMw==").expect(401)),
                Scenario.named("Authorization: a users token sent as 'Bearer <t>' acts as that user")
                        .users("alice")
                        .given(collection(NOTES), create("notes", "{'title':'a'}").as("alice").expect(200).at("/owner_id", "{alice}"))
                        // the runner sends bare tokens; TokenForgeryTest sends 'Bearer <t>' with a real token
                        .when(patch(NOTE, "{'title':'b'}").as("alice").expect(200).at("/title", "b")));
    }

    // ------------------------------------------------------------------------- direct (non-table) tests

    /** The same status and the same full body for an unknown email and a wrong password, on both login routes. */
    @Test
    void unknownEmailAndWrongPasswordAnswerAlike() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.signUp("alice@example.com");
            String[][] routes = {
                    {"/api/collections/users/auth-with-password", "identity", ""},
                    {"/api/auth/login", "email", ",\"collection\":\"users\""},
            };
            for (String[] r : routes) {
                HttpResponse<String> unknown = server.send("POST", r[0],
                        "{\"" + r[1] + "\":\"nobody@example.com\",\"password\":\"password123\"" + r[2] + "}");
                HttpResponse<String> wrong = server.send("POST", r[0],
                        "{\"" + r[1] + "\":\"alice@example.com\",\"password\":\"wrongpass999\"" + r[2] + "}");
                HttpResponse<String> wrongCase = server.send("POST", r[0],
                        "{\"" + r[1] + "\":\"ALICE@example.com\",\"password\":\"wrongpass999\"" + r[2] + "}");
                HttpResponse<String> ok = server.send("POST", r[0],
                        "{\"" + r[1] + "\":\"alice@example.com\",\"password\":\"password123\"" + r[2] + "}");
                assertThat(ok.statusCode()).as(r[0] + " control: the right password logs in: " + ok.body()).isEqualTo(200);
                assertThat(unknown.statusCode()).as(r[0] + " unknown email: " + unknown.body()).isIn(400, 401);
                assertThat(wrong.statusCode()).as(r[0] + " wrong password vs unknown email").isEqualTo(unknown.statusCode());
                assertThat(wrong.body()).as(r[0] + " wrong password body vs unknown email body").isEqualTo(unknown.body());
                assertThat(wrongCase.statusCode()).isEqualTo(unknown.statusCode());
                assertThat(wrongCase.body()).isEqualTo(unknown.body());
                assertThat(unknown.headers().firstValue("content-type").orElse("")).contains("application/json");
                assertThat(unknown.body()).doesNotContain("nobody@example.com", "alice@example.com", "password123", "wrongpass999");
                JsonNode node = ScenarioRunner.JSON.readTree(unknown.body());
                assertThat(node.path("status").asInt()).isEqualTo(unknown.statusCode());
                assertThat(node.path("message").asText()).isNotBlank();
            }
            // both routes answer a failed login the same way too
            HttpResponse<String> pb = server.send("POST", routes[0][0], "{\"identity\":\"nobody@example.com\",\"password\":\"x2345678\"}");
            HttpResponse<String> seed = server.send("POST", routes[1][0], "{\"email\":\"nobody@example.com\",\"password\":\"x2345678\",\"collection\":\"users\"}");
            assertThat(seed.statusCode()).isEqualTo(pb.statusCode());
            assertThat(seed.body()).isEqualTo(pb.body());
        }
    }

    /** AUTH_RATE_LIMIT=3/1m: the 4th failed attempt is 429, Retry-After a whole number of seconds within the window. */
    @Test
    void rateLimitAnswerShape() throws Exception {
        try (TestServer server = TestServer.start(Map.of("AUTH_RATE_LIMIT", "3/1m"))) {
            server.signUp("carol@example.com");
            String wrong = "{\"identity\":\"carol@example.com\",\"password\":\"wrongpass999\"}";
            for (int i = 1; i <= 3; i++) {
                HttpResponse<String> r = server.send("POST", "/api/collections/users/auth-with-password", wrong);
                assertThat(r.statusCode()).as("attempt " + i + ": " + r.body()).isEqualTo(400);
                assertThat(r.headers().firstValue("Retry-After")).as("attempt " + i).isEmpty();
            }
            HttpResponse<String> limited = server.send("POST", "/api/collections/users/auth-with-password", wrong);
            assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
            String retry = limited.headers().firstValue("Retry-After").orElse("");
            assertThat(retry).as("Retry-After").matches("\\d+");
            assertThat(Integer.parseInt(retry)).isBetween(1, 60);
            assertThat(limited.headers().firstValue("content-type").orElse("")).contains("application/json");
            JsonNode node = ScenarioRunner.JSON.readTree(limited.body());
            assertThat(node.path("status").asInt()).isEqualTo(429);
            assertThat(node.path("message").asText()).isNotBlank();
            assertThat(node.path("error")).isEqualTo(node.path("message"));
            assertThat(node.path("data").isObject()).isTrue();
            assertThat(node.has("token")).isFalse();
            // the right password does not get through while limited (no oracle, no bypass)
            HttpResponse<String> right = server.send("POST", "/api/collections/users/auth-with-password",
                    "{\"identity\":\"carol@example.com\",\"password\":\"password123\"}");
            assertThat(right.statusCode()).as(right.body()).isEqualTo(429);
            assertThat(right.body()).doesNotContain("token");
        }
    }

    /** bcrypt at cost 10 when configured so, and the default cost is 10; a stored password is never the plain text. */
    @Test
    void bcryptCostAndStoredHash() {
        assertThat(ConfigLoader.load(Map.of("DB_PATH", "/tmp/nanodb-config-only"), null).bcryptCost())
                .as("the default BCRYPT_COST").isEqualTo(10);
        try (TestServer server = TestServer.start(Map.of("BCRYPT_COST", "10"))) {
            String id = server.signUp("carol@example.com");
            Record r = server.store().get("users", id).orElseThrow();
            Object hash = r.data().get("password");
            assertThat(hash).isInstanceOf(String.class);
            // the cost (the version prefix is checked on its own in bcryptVersionIs2b)
            assertThat((String) hash).matches("\\$2[aby]\\$10\\$[./A-Za-z0-9]{53}").doesNotContain("password123");
            assertThat(r.data().values()).doesNotContain("password123");
            assertThat(r.data()).doesNotContainKeys("passwordConfirm", "oldPassword");
            assertThat(r.data().get("tokenKey")).isInstanceOf(String.class);
            assertThat(((String) r.data().get("tokenKey")).length()).isGreaterThanOrEqualTo(32);
            // the stored JSON as a whole holds no plain password either
            assertThat(new String(r.json(), StandardCharsets.UTF_8)).doesNotContain("password123");

            // the first superuser (created at start-up) is hashed at the configured cost too
            var su = server.store().query(new dev.nanodb.store.Query("_superusers", null, List.of(), 1, 10, true)).items();
            assertThat(su).hasSize(1);
            assertThat((String) su.get(0).data().get("password")).matches("\\$2[aby]\\$10\\$.{53}");

            // a changed password is stored hashed at the same cost, and differs from the old hash (fresh salt)
            String token = server.login("users", "carol@example.com", "password123");
            HttpResponse<String> change = server.send("PATCH", "/api/collections/users/records/" + id,
                    "{\"oldPassword\":\"password123\",\"password\":\"password123\",\"passwordConfirm\":\"password123\"}",
                    "Authorization", token);
            assertThat(change.statusCode()).as(change.body()).isEqualTo(200);
            Record after = server.store().get("users", id).orElseThrow();
            assertThat((String) after.data().get("password")).matches("\\$2[aby]\\$10\\$.{53}").isNotEqualTo(hash);
            assertThat(after.data().get("tokenKey")).as("a password change rotates tokenKey").isNotEqualTo(r.data().get("tokenKey"));
        }
    }

    /** Hashes are bcrypt version 2b (what the seed's Node bcrypt wrote, and what Passwords means to produce). */
    @Test
    void bcryptVersionIs2b() {
        try (TestServer server = TestServer.start(Map.of("BCRYPT_COST", "10"))) {
            String id = server.signUp("carol@example.com");
            String hash = (String) server.store().get("users", id).orElseThrow().data().get("password");
            assertThat(hash).as("stored hash of a sign-up").startsWith("$2b$10$");
        }
    }
}
