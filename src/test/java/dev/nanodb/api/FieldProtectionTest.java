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
import static dev.nanodb.api.AuthSteps.signUp;
import static dev.nanodb.api.Fixtures.POSTS;
import static dev.nanodb.api.Fixtures.SECRET;
import static dev.nanodb.api.Fixtures.record;
import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
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
 * Auth hardening (issue "Done when" #2), what a request may write and what an answer may show, as API scenarios:
 * protected fields ({@code owner_id}, {@code id}, the system fields, {@code verified}, {@code tokenKey}) cannot be
 * mass-assigned by a user (a superuser may set some), no answer of any route ever carries a password, a bcrypt hash
 * or a token key, and hidden fields are refused in a user's filter and sort ({@code password} and {@code tokenKey}
 * even in a superuser's).
 */
class FieldProtectionTest {
    @TestFactory
    Stream<DynamicTest> fieldProtection() {
        return ScenarioRunner.tests(Stream.of(massAssignment(), noSecretsInAnswers(), hiddenInFilterAndSort())
                .flatMap(List::stream).toList());
    }

    /**
     * The secret values only, for answers that may name the field {@code tokenKey} (an error about the caller's
     * own filter names the field it refuses; the key's value is what must never appear).
     */
    private static final String[] SECRET_VALUES = {"password123", "$2b$", "$2a$", "$2y$"};

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
                        .when(create("notes", "{'title':'planted','owner_id':'{bob}'}").as("anon").expect(400).present("/data/owner_id"))
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
                Scenario.named("system fields: another id in a user's update body is 400 and does not move the record")
                        .users("alice")
                        .given(collection(NOTES), create("notes", "{'title':'a'}").as("alice"))
                        .when(patch(NOTE, "{'id':'chosenid0000001','title':'b'}").as("alice").expect(400)
                                .at("/data/id/code", "validation_pk_change"))
                        .then(get(NOTE).at("/id", "{id}").at("/title", "a"),
                                patch(NOTE, "{'id':'{id}','title':'b'}").as("alice").expect(200).at("/id", "{id}"),
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
}
