package dev.nanodb.api;

import static dev.nanodb.api.AuthSteps.ALICE;
import static dev.nanodb.api.AuthSteps.USERS;
import static dev.nanodb.api.AuthSteps.changePassword;
import static dev.nanodb.api.AuthSteps.pbLogin;
import static dev.nanodb.api.AuthSteps.seedLogin;
import static dev.nanodb.api.AuthSteps.signUp;
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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Auth hardening (issue "Done when" #2), passwords and logins: the 72-byte bcrypt limit (counted in UTF-8 bytes, on
 * sign-up, change and reset, with no prefix match), login rate limiting (both login routes, unknown emails count,
 * 429 with Retry-After, no bypass with the right password), the same answer for an unknown email and a wrong
 * password, and stored hashes (bcrypt 2b at the configured cost, never the plain text, {@code tokenKey} rotated by
 * a password change). The scenario tables run through {@link ScenarioRunner}; the rest are direct tests on a
 * {@link TestServer}.
 */
class PasswordPolicyTest {
    @TestFactory
    Stream<DynamicTest> passwordPolicy() {
        return ScenarioRunner.tests(Stream.of(passwordLength(), rateLimit()).flatMap(List::stream).toList());
    }

    /** A JSON string literal for a scenario body that is sent byte for byte (no quote conversion). */
    private static String signUpRaw(String email, String password) {
        return "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"passwordConfirm\":\"" + password + "\"}";
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
        Step right = pbLogin("users", "carol@example.com", "password123").expect(200);
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
                        .when(pbLogin("users", "carol@example.com", "password123").expect(200).present("/token")),
                Scenario.named("rate limit 3/1m: successful logins are not counted (one office, one IP)")
                        .env("AUTH_RATE_LIMIT", "3/1m")
                        .given(carol, right, right, right, right, right)
                        .when(pbLogin("users", "carol@example.com", "password123").expect(200).present("/token"))
                        .then(wrong, wrong, wrong, pbLogin("users", "carol@example.com", "password123").expect(429)));
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
