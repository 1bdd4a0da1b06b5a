package dev.nanodb.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.nanodb.store.Record;
import dev.nanodb.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * White-box token lifetime tests, with tokens crafted as in {@link TokenForgeryTest}: a correctly signed token is
 * a 401 once its {@code exp} has passed or when it has no {@code exp}, a real token stops working after
 * {@code JWT_EXPIRES_IN} and cannot be refreshed then, and revocation holds for crafted tokens too: a
 * {@code tokenKey} cannot be chosen at sign-up or in an update, a password change rotates it (so tokens signed with
 * the old key, real or crafted, are 401), and a deleted user's tokens are 401.
 */
class TokenLifetimeTest extends TokenTestSupport {

    // ----------------------------------------------------------------------------------------- expiry

    @Test
    void correctlySignedButExpiredTokenIsRefused() {
        User u = newUser();
        Algorithm alg = Algorithm.HMAC256(key(SECRET, USERS_ID, u.tokenKey()));
        Instant now = Instant.now();
        assertRefused(viewOwn(u, craft(alg, u.id(), USERS_ID, now.minusSeconds(3600), now.minusSeconds(60))),
                "exp a minute ago");
        assertRefused(viewOwn(u, craft(alg, u.id(), USERS_ID, now.minus(8, ChronoUnit.DAYS), now.minus(1, ChronoUnit.DAYS))),
                "exp a day ago");
        assertRefused(viewOwn(u, craft(alg, u.id(), USERS_ID, now.minusSeconds(60), now.minusSeconds(3))),
                "exp three seconds ago");
        assertRefused(server.send("POST", "/api/collections/users/auth-refresh", null, "Authorization",
                craft(alg, u.id(), USERS_ID, now.minusSeconds(3600), now.minusSeconds(60))), "expired token on auth-refresh");
        assertAccepted(viewOwn(u, craft(alg, u.id(), USERS_ID, now.minusSeconds(60), now.plusSeconds(60))), u,
                "control: exp in a minute");
    }

    @Test
    void correctlySignedTokenWithoutExpIsRefused() {
        User u = newUser();
        Algorithm alg = Algorithm.HMAC256(key(SECRET, USERS_ID, u.tokenKey()));
        assertRefused(viewOwn(u, craft(alg, u.id(), USERS_ID, Instant.now(), null)), "no exp claim");
    }

    @Test
    void realTokenExpiresAfterJwtExpiresIn() throws Exception {
        try (TestServer short1 = TestServer.start(Map.of("JWT_EXPIRES_IN", "1s", "INVALID_TOKEN", "reject"))) {
            String id = short1.signUp("carol@example.com");
            // log in at the start of a second, so exp (whole seconds) is almost a full second ahead
            while (System.currentTimeMillis() % 1000 > 100) Thread.sleep(5);
            String token = short1.login("users", "carol@example.com", "password123");
            DecodedJWT jwt = JWT.decode(token);
            assertThat(jwt.getExpiresAtAsInstant().getEpochSecond() - jwt.getIssuedAtAsInstant().getEpochSecond())
                    .as("exp - iat with JWT_EXPIRES_IN=1s").isEqualTo(1);
            HttpResponse<String> fresh = short1.send("GET", "/api/collections/users/records/" + id, null, "Authorization", token);
            assertThat(fresh.statusCode()).as("a fresh token works: " + fresh.body()).isEqualTo(200);
            Thread.sleep(2100);
            HttpResponse<String> stale = short1.send("GET", "/api/collections/users/records/" + id, null, "Authorization", token);
            assertThat(stale.statusCode()).as("an expired token: " + stale.body()).isEqualTo(401);
            HttpResponse<String> staleBearer = short1.send("GET", "/api/collections/users/records/" + id, null,
                    "Authorization", "Bearer " + token);
            assertThat(staleBearer.statusCode()).isEqualTo(401);
            HttpResponse<String> refresh = short1.send("POST", "/api/collections/users/auth-refresh", null, "Authorization", token);
            assertThat(refresh.statusCode()).as("an expired token cannot be refreshed: " + refresh.body()).isEqualTo(401);
            assertThat(refresh.body()).doesNotContain("\"token\"");
        }
    }

    // ------------------------------------------------------------------------------- revocation, white-box

    @Test
    void tokenKeyChosenInASignUpBodyIsIgnored() {
        String email = "u" + SEQ.incrementAndGet() + "@example.com";
        HttpResponse<String> r = server.send("POST", "/api/collections/users/records", "{\"email\":\"" + email
                + "\",\"password\":\"password123\",\"passwordConfirm\":\"password123\",\"tokenKey\":\"attacker-chosen-key\"}");
        assertThat(r.statusCode()).as(r.body()).isIn(200, 400);
        if (r.statusCode() == 400) return; // refusing the key outright is as good as ignoring it
        String id = field(r, "id");
        Record stored = server.store().get("users", id).orElseThrow();
        assertThat(stored.data().get("tokenKey")).isNotEqualTo("attacker-chosen-key");
        String forged = craft(Algorithm.HMAC256(key(SECRET, USERS_ID, "attacker-chosen-key")), id, USERS_ID,
                Instant.now(), Instant.now().plusSeconds(600));
        assertRefused(server.send("GET", "/api/collections/users/records/" + id, null, "Authorization", forged),
                "token keyed with the tokenKey chosen at sign-up");
    }

    @Test
    void tokenKeyInAnOwnUpdateIsIgnored() {
        User u = newUser();
        String before = u.tokenKey();
        HttpResponse<String> r = server.send("PATCH", u.url(), "{\"tokenKey\":\"attacker-chosen-key\"}", "Authorization", u.token());
        assertThat(r.statusCode()).as(r.body()).isIn(200, 400);
        assertThat(u.tokenKey()).isEqualTo(before);
        assertAccepted(viewOwn(u, u.token()), u, "the token still works");
    }

    @Test
    void passwordChangeRotatesTheKeyAndRevokesCraftedTokensToo() {
        User u = newUser();
        String oldKey = u.tokenKey();
        String crafted = craftFor(u, Instant.now().plusSeconds(600));
        assertAccepted(viewOwn(u, crafted), u, "crafted before the change");
        HttpResponse<String> change = server.send("PATCH", u.url(),
                "{\"oldPassword\":\"password123\",\"password\":\"newpassword456\",\"passwordConfirm\":\"newpassword456\"}",
                "Authorization", "Bearer " + u.token());
        assertThat(change.statusCode()).as(change.body()).isEqualTo(200);
        assertThat(u.tokenKey()).isNotEqualTo(oldKey);
        assertRefused(viewOwn(u, u.token()), "login token after the password change");
        assertRefused(viewOwn(u, crafted), "crafted token with the old tokenKey after the password change");
        String fresh = server.login("users", u.email(), "newpassword456");
        assertAccepted(viewOwn(u, "Bearer " + fresh), u, "new login");
    }

    @Test
    void deletedUserTokenIsRefused() {
        User u = newUser();
        String key = u.tokenKey();
        assertAccepted(viewOwn(u, u.token()), u, "before the delete");
        HttpResponse<String> del = server.delete(u.url());
        assertThat(del.statusCode()).as(del.body()).isBetween(200, 204);
        assertRefused(viewOwn(u, u.token()), "token of a deleted user");
        assertRefused(server.send("GET", "/api/collections/users/records", null, "Authorization", "Bearer " + u.token()),
                "token of a deleted user on list");
        String crafted = craft(Algorithm.HMAC256(key(SECRET, USERS_ID, key)), u.id(), USERS_ID, Instant.now(), Instant.now().plusSeconds(600));
        assertRefused(viewOwn(u, crafted), "crafted with the deleted record's key");
    }
}
