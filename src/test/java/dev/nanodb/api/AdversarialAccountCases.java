package dev.nanodb.api;

import static dev.nanodb.api.Attack.ALICE;
import static dev.nanodb.api.Attack.ANON;
import static dev.nanodb.api.Attack.BOB;
import static dev.nanodb.api.Attack.MEMBER;
import static dev.nanodb.api.Attack.RULES;
import static dev.nanodb.api.Attack.attack;
import static dev.nanodb.api.Attack.http;
import static dev.nanodb.api.Attack.oracle;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.realtime.SseClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Account routes and options as an attacker uses them: {@code impersonate} by anyone but a superuser (and as an
 * oracle of who exists), OAuth2 client secrets through {@code auth-methods} and the collections API, and alice's
 * hidden email (it is a marker of {@link AdversarialWorld}) once bob may view her record — through a view, a list,
 * {@code fields}, filters that would test guesses, and realtime events. Rows that open the users rules run on a
 * fresh server (their {@code env} asks for one), so the shared world keeps its rules.
 */
final class AdversarialAccountCases {
    private AdversarialAccountCases() {}

    /** Any setting makes a row run on a fresh server; this one is the default anyway. */
    private static final String FRESH = "AUTO_COLLECTIONS";
    private static final String OPEN_USERS = "{'listRule':'','viewRule':''}";
    private static final String ALICE_USER = "/api/collections/users/records/{alice}";

    static List<Attack> all() {
        List<Attack> c = new ArrayList<>();
        c.add(http(RULES, "bob impersonates alice", BOB, "POST", "/api/collections/users/impersonate/{alice}", "{}", 403));
        c.add(http(RULES, "an anonymous caller impersonates alice", ANON, "POST", "/api/collections/users/impersonate/{alice}",
                "{'duration':1}", 401));
        c.add(http(RULES, "a member impersonates the superuser", MEMBER, "POST",
                "/api/collections/_superusers/impersonate/{admin}", "{}", 403));
        c.add(http(RULES, "alice impersonates herself for longer", ALICE, "POST", "/api/collections/users/impersonate/{alice}",
                "{'duration':90000000}", 403));
        c.add(oracle("impersonate of an existing and of a missing account", BOB, "POST", "/api/collections/users/impersonate/{id}",
                "{}", "alice", 403));
        c.add(http(RULES, "auth-methods of the superusers answers no secret", ANON, "GET",
                "/api/collections/_superusers/auth-methods", null, 200));
        c.add(attack(RULES, "an OAuth2 client secret through auth-methods and a collections request of a user", 200, s -> {
            s.admin("PATCH", "/api/collections/members", "{\"oauth2\":{\"enabled\":true,\"providers\":[{\"name\":\"oidc\","
                    + "\"clientId\":\"client\",\"clientSecret\":\"ZQX-CLIENT-SECRET\",\"authURL\":\"https://id.example.com/auth\","
                    + "\"tokenURL\":\"https://id.example.com/token\",\"userInfoURL\":\"https://id.example.com/me\"}]}}");
            s.send(ANON, "GET", "/api/collections/members/auth-methods", null);
            s.send(MEMBER, "GET", "/api/collections/members/auth-methods", null);
            s.send(BOB, "GET", "/api/collections/members", null);
        }).env(FRESH, "true").changes("the superuser configures a provider")
                .then(s -> assertThat(s.first().body()).contains("\"name\":\"oidc\"")));
        c.add(attack(RULES, "alice's hidden email through view, list, fields and sort", 200, s -> {
            s.admin("PATCH", "/api/collections/users", OPEN_USERS);
            s.send(BOB, "GET", ALICE_USER, null);
            s.send(ANON, "GET", ALICE_USER + "?fields=id,email", null);
            s.list(BOB, "users", "fields", "email,id");
            s.list(ANON, "users", "sort", "-email");
        }).env(FRESH, "true").changes("the superuser opens the users rules")
                .then(s -> assertThat(s.first().body()).contains("\"emailVisibility\":false")));
        c.add(attack(RULES, "filters that test guesses of alice's hidden email match nothing", 200, s -> {
            s.admin("PATCH", "/api/collections/users", OPEN_USERS);
            s.list(BOB, "users", "filter", "email = 'alice-zqx@example.com'");
            s.list(BOB, "users", "filter", "email ~ 'zqx'");
            s.list(ANON, "users", "filter", "email:lower ~ 'alice' || id = 'nothing'");
            s.list(BOB, "users", "filter", "!(email != 'alice-zqx@example.com')");
        }).env(FRESH, "true").changes("the superuser opens the users rules").then(s -> {
            for (var a : s.answers()) assertThat(AdversarialTest.json(a.body()).path("totalItems").asInt()).isZero();
        }));
        c.add(attack(Attack.REALTIME, "alice's hidden email in realtime events", 204, s -> {
            s.admin("PATCH", "/api/collections/users", OPEN_USERS);
            SseClient attacker = s.stream("", BOB);
            s.subscribe(attacker, BOB, "users/*", "users/{alice}");
            s.admin("PATCH", ALICE_USER, "{\"name\":\"Alice Z\"}");
            List<SseClient.Event> got = attacker.untilRecord(s.w.ids.get("alice"), java.time.Duration.ofSeconds(10));
            assertThat(got.getLast().record()).containsEntry("name", "Alice Z").doesNotContainKey("email");
        }).env(FRESH, "true").changes("the superuser opens the users rules and renames alice"));
        c.add(http(RULES, "a password reset with a forged token", ANON, "POST", "/api/collections/users/confirm-password-reset",
                "{'token':'eyJhbGciOiJub25lIn0.eyJpZCI6IngifQ.','password':'new-password-1','passwordConfirm':'new-password-1'}", 400));
        c.add(attack(RULES, "bob's auth token as a password-reset or e-mail-change token", 400, s -> {
            s.send(ANON, "POST", "/api/collections/users/confirm-password-reset", "{'token':'" + s.w.bobToken
                    + "','password':'new-password-1','passwordConfirm':'new-password-1'}");
            s.send(ANON, "POST", "/api/collections/users/confirm-email-change", "{'token':'" + s.w.bobToken + "','password':'"
                    + AdversarialWorld.PASSWORD + "'}");
            s.send(ANON, "POST", "/api/collections/users/confirm-verification", "{'token':'" + s.w.bobToken + "'}");
        }).then(s -> {
            for (var a : s.answers()) {
                assertThat(a.status()).isEqualTo(400);
                assertThat(AdversarialTest.json(a.body()).at("/data/token/code").asText()).isEqualTo("validation_invalid_token");
            }
        }));
        c.add(http(RULES, "request an e-mail change of alice as anonymous", ANON, "POST", "/api/collections/users/request-email-change",
                "{'newEmail':'mallory@example.com'}", 401));
        c.add(http(RULES, "a member asks a users e-mail change", MEMBER, "POST", "/api/collections/users/request-email-change",
                "{'newEmail':'mallory@example.com'}", 403));
        c.add(http(RULES, "sign in with a code of a collection without codes", ANON, "POST", "/api/collections/users/auth-with-otp",
                "{'otpId':'aaaaaaaaaaaaaaa','password':'12345678'}", 403));
        return c;
    }
}
