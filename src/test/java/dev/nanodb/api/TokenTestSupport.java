package dev.nanodb.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nanodb.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Shared fixture of the white-box token tests ({@link TokenForgeryTest}, {@link TokenLifetimeTest}): one server per
 * test class with a known {@code JWT_SECRET}, fresh users with real tokens, tokens crafted with the server's key
 * construction ({@code JWT_SECRET + "\0" + collectionId + "\0" + tokenKey}, see {@code dev.nanodb.auth.Tokens}), and
 * the checks that an answer is a leak-free 401 or the user's own record.
 */
abstract class TokenTestSupport {
    static final String SECRET = "test-secret-0123456789-abcdefghijklmnop";
    static final String USERS_ID = "pbc_users000000";
    static final String SUPERUSERS_ID = "pbc_superusers0";
    static final AtomicInteger SEQ = new AtomicInteger();
    static TestServer server;

    @BeforeAll
    static void start() {
        // these classes check the refusals of INVALID_TOKEN=reject; the guest default: InvalidTokenGuestTest
        server = TestServer.start(Map.of("JWT_SECRET", SECRET, "INVALID_TOKEN", "reject"));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }


    /** A fresh user of {@code users}: its id and a real token from auth-with-password. */
    record User(String email, String id, String token) {
        String tokenKey() {
            return (String) server.store().get("users", id).orElseThrow().data().get("tokenKey");
        }

        String url() {
            return "/api/collections/users/records/" + id;
        }
    }

    static User newUser() {
        String email = "u" + SEQ.incrementAndGet() + "@example.com";
        String id = server.signUp(email);
        return new User(email, id, server.login("users", email, "password123"));
    }

    /** The signing key the server derives for a record: secret, NUL, collection id, NUL, tokenKey. */
    static byte[] key(String secret, String collectionId, String tokenKey) {
        return (secret + "\u0000" + collectionId + "\u0000" + tokenKey).getBytes(StandardCharsets.UTF_8);
    }

    /** A token with PocketBase's claims, signed with {@code alg}. */
    static String craft(Algorithm alg, String id, String collectionId, Instant iat, Instant exp) {
        var b = JWT.create().withClaim("id", id).withClaim("collectionId", collectionId).withClaim("type", "auth")
                .withClaim("refreshable", true).withIssuedAt(iat);
        if (exp != null) b = b.withExpiresAt(exp);
        return b.sign(alg);
    }

    static String craftFor(User u, Instant exp) {
        return craft(Algorithm.HMAC256(key(SECRET, USERS_ID, u.tokenKey())), u.id(), USERS_ID,
                Instant.now().minusSeconds(5), exp);
    }

    static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static String unb64(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    /** GET of the user's own record with {@code authorization}; the status. */
    static HttpResponse<String> viewOwn(User u, String authorization) {
        return server.send("GET", u.url(), null, "Authorization", authorization);
    }

    /** Expects a 401 in the JSON error shape that leaks nothing of the user. */
    static void assertRefused(HttpResponse<String> r, String what) {
        assertThat(r.statusCode()).as(what + " → " + r.body()).isEqualTo(401);
        JsonNode node;
        try {
            node = ScenarioRunner.JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(what + ": the 401 body is not JSON: " + r.body(), e);
        }
        assertThat(node.path("status").asInt()).as(what).isEqualTo(401);
        assertThat(node.path("message").asText()).as(what).isNotBlank();
        assertThat(r.body()).as(what).doesNotContain("@example.com", "$2b$", "tokenKey");
    }

    static void assertAccepted(HttpResponse<String> r, User u, String what) {
        assertThat(r.statusCode()).as(what + " → " + r.body()).isEqualTo(200);
        assertThat(r.body()).as(what).contains("\"id\":\"" + u.id() + "\"");
    }

    /** A top-level text member of a JSON answer. */
    static String field(HttpResponse<String> r, String name) {
        try {
            return ScenarioRunner.JSON.readTree(r.body()).path(name).asText();
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }
}
