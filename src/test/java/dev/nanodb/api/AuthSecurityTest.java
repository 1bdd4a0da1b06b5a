package dev.nanodb.api;

import static dev.nanodb.api.AuthSteps.ALICE;
import static dev.nanodb.api.AuthSteps.NEW_PASSWORD;
import static dev.nanodb.api.AuthSteps.NOTE;
import static dev.nanodb.api.AuthSteps.NOTES;
import static dev.nanodb.api.AuthSteps.SECRETS;
import static dev.nanodb.api.AuthSteps.SUPERUSERS;
import static dev.nanodb.api.AuthSteps.USERS;
import static dev.nanodb.api.AuthSteps.changePassword;
import static dev.nanodb.api.AuthSteps.clean;
import static dev.nanodb.api.AuthSteps.pbLogin;
import static dev.nanodb.api.AuthSteps.seedLogin;
import static dev.nanodb.api.Fixtures.POSTS;
import static dev.nanodb.api.Fixtures.record;
import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.delete;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.list;
import static dev.nanodb.api.Step.patch;
import static dev.nanodb.api.Step.post;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Auth hardening (issue "Done when" #2), who a token lets in, as API scenarios: revoked tokens (deleted user,
 * password change) are 401, password changes need the old password and touch only the caller, users' tokens are
 * 403 on superuser-only routes (the {@code _superusers} records, the collections API, the other collection's
 * auth-refresh), and garbage or Basic Authorization headers are 401, never anonymous. What a request may write and
 * an answer may show is in {@link FieldProtectionTest}; passwords, bcrypt and the login rate limit in
 * {@link PasswordPolicyTest}; crafted tokens in {@link TokenForgeryTest} and {@link TokenLifetimeTest}.
 */
class AuthSecurityTest {
    @TestFactory
    Stream<DynamicTest> authSecurity() {
        return ScenarioRunner.tests(Stream.of(revocation(), everyRoute(), superuserOnly(), authorizationHeader())
                .flatMap(List::stream).toList());
    }

    // ----------------------------------------------------------------------------------- revoked tokens

    static List<Scenario> revocation() {
        return List.of(
                Scenario.named("token of a deleted user is 401").env("INVALID_TOKEN", "reject")
                        .users("alice")
                        .given(get(ALICE).as("alice").expect(200), delete(ALICE))
                        .when(get(USERS).as("alice").expect(401))
                        .then(get(record("users", "{alice}")).expect(404),
                                list("users").at("/totalItems", 0)),
                Scenario.named("password change: the old token is 401 afterwards").env("INVALID_TOKEN", "reject")
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

    // ------------------------------------------------------------------------------- every route

    /**
     * Every route of {@link TokenRoutes}: a deleted user's token is 401 on each (the logins, which ignore the header,
     * let that client log in again); without a token each answers what it documents; and the superuser's token
     * passes each, so that the 401s come from the token, not from the route. Forged, expired and garbage tokens on
     * every route are in {@link EveryRouteTokenTest}.
     */
    static List<Scenario> everyRoute() {
        List<Step> revoked = new ArrayList<>();
        List<Step> anonymous = new ArrayList<>();
        List<Step> superuser = new ArrayList<>();
        for (TokenRoutes.Route r : TokenRoutes.ROUTES) {
            revoked.add(r.step().as("alice").expect(401).lacks(SECRETS));
            if (r.stream()) continue;
            anonymous.add(r.step().as("anon").expect(r.anonymous()));
            superuser.add(r.step().expect(r.superuser()));
        }
        for (TokenRoutes.Route r : TokenRoutes.LOGINS) revoked.add(r.step().as("alice").expect(200).present("/token"));
        List<Step> setup = new ArrayList<>(TokenRoutes.setup());
        setup.add(delete(ALICE));
        return List.of(
                Scenario.named("token of a deleted user is 401 on every route, also auth-refresh").env("INVALID_TOKEN", "reject")
                        .users("alice")
                        .given(setup.toArray(Step[]::new))
                        .when(post("/api/collections/users/auth-refresh", null).as("alice").expect(401).lacks(SECRETS))
                        .then(revoked.toArray(Step[]::new)),
                Scenario.named("no token: every route answers what it documents for an anonymous caller")
                        .given(TokenRoutes.setup().toArray(Step[]::new))
                        .when(anonymous.getFirst())
                        .then(anonymous.subList(1, anonymous.size()).toArray(Step[]::new)),
                Scenario.named("the superuser's token passes every route")
                        .given(TokenRoutes.setup().toArray(Step[]::new))
                        .when(superuser.getFirst())
                        .then(superuser.subList(1, superuser.size()).toArray(Step[]::new)));
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

    // ------------------------------------------------------------------------- Authorization forms

    static List<Scenario> authorizationHeader() {
        return List.of(
                Scenario.named("Authorization: garbage 'Bearer xyz' is 401, never anonymous").env("INVALID_TOKEN", "reject")
                        .given(collection(POSTS))
                        .when(list("posts").header("Authorization", "Bearer xyz").expect(401).lacks("'items'")),
                Scenario.named("Authorization: a bare garbage token is 401").env("INVALID_TOKEN", "reject")
                        .given(collection(POSTS))
                        .when(list("posts").header("Authorization", "xyz").expect(401)),
                Scenario.named("Authorization: 'Bearer ' with a three-part garbage token is 401").env("INVALID_TOKEN", "reject")
                        .given(collection(POSTS))
                        .when(list("posts").header("Authorization", "Bearer aaa.bbb.ccc").expect(401)),
                Scenario.named("Authorization: Basic credentials are 401").env("INVALID_TOKEN", "reject")
                        .given(collection(POSTS))
                        .when(list("posts").header("Authorization", "Basic YWRtaW5AbG9jYWwuaG9zdDpwYXNzd29yZDEyMw==").expect(401)),
                Scenario.named("Authorization: a users token sent as 'Bearer <t>' acts as that user")
                        .users("alice")
                        .given(collection(NOTES), create("notes", "{'title':'a'}").as("alice").expect(200).at("/owner_id", "{alice}"))
                        // the runner sends bare tokens; TokenForgeryTest sends 'Bearer <t>' with a real token
                        .when(patch(NOTE, "{'title':'b'}").as("alice").expect(200).at("/title", "b")));
    }
}
