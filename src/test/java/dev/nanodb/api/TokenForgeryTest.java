package dev.nanodb.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nanodb.store.Record;
import dev.nanodb.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * White-box token tests: tokens are HS256 JWTs keyed by {@code JWT_SECRET + "\0" + collectionId + "\0" + tokenKey}
 * (see {@code dev.nanodb.auth.Tokens}). With a known {@code JWT_SECRET} the test crafts tokens itself: a correctly
 * crafted, current token is accepted (the control that proves the crafting is right), and every deviation — a
 * flipped signature character, {@code alg: none}, HS512/RS256, an expiry in the past, claims naming another
 * collection or record, a wrong type, no {@code exp}, another secret — is a 401.
 */
class TokenForgeryTest {
    static final String SECRET = "test-secret-0123456789-abcdefghijklmnop";
    static final String USERS_ID = "pbc_users000000";
    static final String SUPERUSERS_ID = "pbc_superusers0";
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("JWT_SECRET", SECRET));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    // --------------------------------------------------------------------------------------- helpers

    /** A fresh user of {@code users}: its id and a real token from auth-with-password. */
    private record User(String email, String id, String token) {
        String tokenKey() {
            return (String) server.store().get("users", id).orElseThrow().data().get("tokenKey");
        }

        String url() {
            return "/api/collections/users/records/" + id;
        }
    }

    private static User newUser() {
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

    private static String craftFor(User u, Instant exp) {
        return craft(Algorithm.HMAC256(key(SECRET, USERS_ID, u.tokenKey())), u.id(), USERS_ID,
                Instant.now().minusSeconds(5), exp);
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    /** GET of the user's own record with {@code authorization}; the status. */
    private static HttpResponse<String> viewOwn(User u, String authorization) {
        return server.send("GET", u.url(), null, "Authorization", authorization);
    }

    /** Expects a 401 in the JSON error shape that leaks nothing of the user. */
    private static void assertRefused(HttpResponse<String> r, String what) {
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

    private static void assertAccepted(HttpResponse<String> r, User u, String what) {
        assertThat(r.statusCode()).as(what + " → " + r.body()).isEqualTo(200);
        assertThat(r.body()).as(what).contains("\"id\":\"" + u.id() + "\"");
    }

    /** A top-level text member of a JSON answer. */
    private static String field(HttpResponse<String> r, String name) {
        try {
            return ScenarioRunner.JSON.readTree(r.body()).path(name).asText();
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    private static String flip(char c) {
        return String.valueOf(c == 'A' ? 'B' : 'A');
    }

    // ----------------------------------------------------------------------------------------- controls

    @Test
    void realTokenWorksBareAndAsBearer() {
        User u = newUser();
        assertAccepted(viewOwn(u, u.token()), u, "bare token");
        assertAccepted(viewOwn(u, "Bearer " + u.token()), u, "Bearer token");
        HttpResponse<String> list = server.send("GET", "/api/collections/users/records", null, "Authorization", "Bearer " + u.token());
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        assertThat(list.body()).contains(u.id()).contains("\"totalItems\":1");
        HttpResponse<String> refresh = server.send("POST", "/api/collections/users/auth-refresh", null, "Authorization", "Bearer " + u.token());
        assertThat(refresh.statusCode()).as(refresh.body()).isEqualTo(200);
        assertThat(refresh.body()).contains(u.id()).contains("\"token\":");
    }

    @Test
    void garbageBearerIsRefused() {
        User u = newUser();
        assertRefused(viewOwn(u, "Bearer xyz"), "Bearer xyz");
        assertRefused(viewOwn(u, "Bearer " + u.token() + "x"), "token with a trailing character");
        assertRefused(viewOwn(u, "Bearer Bearer " + u.token()), "Bearer twice");
        assertRefused(viewOwn(u, u.token().substring(0, u.token().lastIndexOf('.'))), "token without its signature part");
        assertRefused(viewOwn(u, u.token().substring(0, u.token().lastIndexOf('.') + 1)), "token with an empty signature");
    }

    @Test
    void craftedTokenWithTheRightKeyIsAccepted() {
        User u = newUser();
        // proves the key construction used by every forgery below is the server's: a current token passes
        assertAccepted(viewOwn(u, "Bearer " + craftFor(u, Instant.now().plusSeconds(600))), u, "crafted current token");
        assertAccepted(viewOwn(u, craftFor(u, Instant.now().plusSeconds(600))), u, "crafted current token, bare");
    }

    // ----------------------------------------------------------------------------------------- signatures

    @Test
    void tamperedSignatureIsRefused() {
        User u = newUser();
        String t = u.token();
        int sig = t.lastIndexOf('.') + 1;
        // flip characters inside the signature (not the last one, whose low bits may be padding)
        for (int i : new int[] {sig, sig + 10, t.length() - 2}) {
            String tampered = t.substring(0, i) + flip(t.charAt(i)) + t.substring(i + 1);
            assertThat(tampered).isNotEqualTo(t);
            assertRefused(viewOwn(u, "Bearer " + tampered), "signature character " + (i - sig) + " flipped");
        }
        // the untampered token still works (the refusals above were for the tampering)
        assertAccepted(viewOwn(u, "Bearer " + t), u, "original token");
    }

    @Test
    void tamperedPayloadIsRefused() {
        User u = newUser();
        User other = newUser();
        String[] parts = u.token().split("\\.");
        String payload = unb64(parts[1]);
        assertThat(payload).contains(u.id());
        // swap the id for another user's, keep header and signature
        String swapped = parts[0] + "." + b64(payload.replace(u.id(), other.id())) + "." + parts[2];
        assertRefused(viewOwn(other, swapped), "payload id swapped to another user");
        // stretch exp, keep the signature
        String stretched = parts[0] + "." + b64(payload.replaceAll("\"exp\":\\d+", "\"exp\":4102444800")) + "." + parts[2];
        assertRefused(viewOwn(u, stretched), "payload exp changed");
        // claim the superusers collection, keep the signature
        String promoted = parts[0] + "." + b64(payload.replace(USERS_ID, SUPERUSERS_ID)) + "." + parts[2];
        assertRefused(viewOwn(u, promoted), "payload collectionId changed to _superusers");
    }

    // ----------------------------------------------------------------------------------------- algorithms

    @Test
    void algNoneIsRefused() {
        User u = newUser();
        long now = Instant.now().getEpochSecond();
        String claims = "{\"id\":\"" + u.id() + "\",\"collectionId\":\"" + USERS_ID
                + "\",\"type\":\"auth\",\"refreshable\":true,\"iat\":" + (now - 5) + ",\"exp\":" + (now + 600) + "}";
        for (String alg : new String[] {"none", "None", "NONE", "nOnE"}) {
            String header = "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}";
            String token = b64(header) + "." + b64(claims) + ".";
            assertRefused(viewOwn(u, "Bearer " + token), "alg " + alg + ", empty signature");
            assertRefused(viewOwn(u, token), "alg " + alg + ", empty signature, bare");
            // with the signature of a real token appended
            String real = u.token().substring(u.token().lastIndexOf('.') + 1);
            assertRefused(viewOwn(u, b64(header) + "." + b64(claims) + "." + real), "alg " + alg + " with a real signature");
        }
        // java-jwt's own none algorithm
        assertRefused(viewOwn(u, craft(Algorithm.none(), u.id(), USERS_ID, Instant.now(), Instant.now().plusSeconds(600))),
                "Algorithm.none()");
        // and a superuser-looking none token
        String su = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64("{\"id\":\"" + u.id() + "\",\"collectionId\":\""
                + SUPERUSERS_ID + "\",\"type\":\"auth\",\"exp\":" + (now + 600) + "}") + ".";
        HttpResponse<String> r = server.send("GET", "/api/collections", null, "Authorization", su);
        assertRefused(r, "alg none claiming _superusers on the collections API");
    }

    @Test
    void otherAlgorithmsAreRefused() throws Exception {
        User u = newUser();
        byte[] key = key(SECRET, USERS_ID, u.tokenKey());
        Instant exp = Instant.now().plusSeconds(600);
        Instant iat = Instant.now().minusSeconds(5);
        assertRefused(viewOwn(u, craft(Algorithm.HMAC512(key), u.id(), USERS_ID, iat, exp)), "HS512 with the right key");
        assertRefused(viewOwn(u, craft(Algorithm.HMAC384(key), u.id(), USERS_ID, iat, exp)), "HS384 with the right key");
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair pair = gen.generateKeyPair();
        assertRefused(viewOwn(u, craft(Algorithm.RSA256((RSAPublicKey) pair.getPublic(), (RSAPrivateKey) pair.getPrivate()),
                u.id(), USERS_ID, iat, exp)), "RS256 with an attacker's key pair");
        // an HS256 token whose header is relabelled HS512 / RS256 (signature unchanged)
        String good = craftFor(u, exp);
        String body = good.substring(good.indexOf('.'));
        for (String alg : new String[] {"HS512", "RS256", "ES256", "PS256"}) {
            String relabelled = b64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + body;
            assertRefused(viewOwn(u, relabelled), "header relabelled " + alg);
        }
        // control: the same claims signed HS256 pass
        assertAccepted(viewOwn(u, good), u, "HS256 control");
    }

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
        try (TestServer short1 = TestServer.start(Map.of("JWT_EXPIRES_IN", "1s"))) {
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

    // ----------------------------------------------------------------------------------------- claims

    @Test
    void superusersCollectionIdWithAUsersRecordIsRefused() {
        User u = newUser();
        Instant exp = Instant.now().plusSeconds(600);
        Instant iat = Instant.now().minusSeconds(5);
        // signed with the key the server would use for (_superusers, this record's tokenKey)
        String asSuper = craft(Algorithm.HMAC256(key(SECRET, SUPERUSERS_ID, u.tokenKey())), u.id(), SUPERUSERS_ID, iat, exp);
        assertRefused(server.send("GET", "/api/collections", null, "Authorization", asSuper), "_superusers claim, users record: collections API");
        assertRefused(viewOwn(u, asSuper), "_superusers claim, users record: own record");
        assertRefused(server.send("GET", "/api/collections/_superusers/records", null, "Authorization", asSuper),
                "_superusers claim, users record: _superusers list");
        // signed with the users key but claiming _superusers
        String mixed = craft(Algorithm.HMAC256(key(SECRET, USERS_ID, u.tokenKey())), u.id(), SUPERUSERS_ID, iat, exp);
        assertRefused(server.send("GET", "/api/collections", null, "Authorization", mixed), "users key, _superusers claim");
        // the collection's name instead of its id
        String byName = craft(Algorithm.HMAC256(key(SECRET, USERS_ID, u.tokenKey())), u.id(), "users", iat, exp);
        assertRefused(viewOwn(u, byName), "collectionId given as the name 'users'");
        String superByName = craft(Algorithm.HMAC256(key(SECRET, SUPERUSERS_ID, u.tokenKey())), u.id(), "_superusers", iat, exp);
        assertRefused(server.send("GET", "/api/collections", null, "Authorization", superByName), "collectionId '_superusers' by name");
        // nothing was granted meanwhile: the user's real token is still a plain user's
        HttpResponse<String> collections = server.send("GET", "/api/collections", null, "Authorization", u.token());
        assertThat(collections.statusCode()).isEqualTo(403);
    }

    @Test
    void tokenForAnotherAuthCollectionWithTheSameIdIsRefused() {
        User u = newUser();
        String def = "{\"name\":\"members" + SEQ.incrementAndGet() + "\",\"type\":\"auth\",\"listRule\":\"\",\"viewRule\":\"\"}";
        HttpResponse<String> created = server.post("/api/collections", def);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String name = def.substring(9, def.indexOf('"', 9));
        String membersId = field(created, "id");
        // a members record with the same id as the user
        HttpResponse<String> member = server.post("/api/collections/" + name + "/records", "{\"id\":\"" + u.id()
                + "\",\"email\":\"" + u.email() + "\",\"password\":\"password123\",\"passwordConfirm\":\"password123\"}");
        assertThat(member.statusCode()).as(member.body()).isEqualTo(200);
        // the users token's payload relabelled to the members collection (signature kept) is refused
        String[] parts = u.token().split("\\.");
        String relabelled = parts[0] + "." + b64(unb64(parts[1]).replace(USERS_ID, membersId)) + "." + parts[2];
        HttpResponse<String> r = server.send("GET", "/api/collections/" + name + "/records/" + u.id(), null, "Authorization", relabelled);
        assertRefused(r, "users token relabelled to another auth collection");
        // the users tokenKey with the members collection id: the members record has its own tokenKey
        String cross = craft(Algorithm.HMAC256(key(SECRET, membersId, u.tokenKey())), u.id(), membersId,
                Instant.now().minusSeconds(5), Instant.now().plusSeconds(600));
        assertRefused(server.send("POST", "/api/collections/" + name + "/auth-refresh", null, "Authorization", cross),
                "members claim signed with the users record's tokenKey");
        // the real users token on the members auth-refresh: not this collection's
        HttpResponse<String> refresh = server.send("POST", "/api/collections/" + name + "/auth-refresh", null, "Authorization", u.token());
        assertThat(refresh.statusCode()).as(refresh.body()).isEqualTo(403);
        assertThat(refresh.body()).doesNotContain("\"token\"");
    }

    @Test
    void idClaimOfAnotherUserIsRefused() {
        User alice = newUser();
        User bob = newUser();
        Instant exp = Instant.now().plusSeconds(600);
        // alice's key, bob's id
        String t = craft(Algorithm.HMAC256(key(SECRET, USERS_ID, alice.tokenKey())), bob.id(), USERS_ID, Instant.now(), exp);
        assertRefused(viewOwn(bob, t), "alice's key with bob's id");
        // unknown / malformed ids
        String ghost = craft(Algorithm.HMAC256(key(SECRET, USERS_ID, "")), "ghost0000000000", USERS_ID, Instant.now(), exp);
        assertRefused(viewOwn(alice, ghost), "id of no record, empty tokenKey");
        String bad = craft(Algorithm.HMAC256(key(SECRET, USERS_ID, "")), "../../etc", USERS_ID, Instant.now(), exp);
        assertRefused(viewOwn(alice, bad), "malformed id");
    }

    @Test
    void wrongTypeOrWrongSecretIsRefused() {
        User u = newUser();
        Instant exp = Instant.now().plusSeconds(600);
        Algorithm right = Algorithm.HMAC256(key(SECRET, USERS_ID, u.tokenKey()));
        for (String type : new String[] {"file", "refresh", "verification", ""}) {
            String t = JWT.create().withClaim("id", u.id()).withClaim("collectionId", USERS_ID).withClaim("type", type)
                    .withIssuedAt(Instant.now()).withExpiresAt(exp).sign(right);
            assertRefused(viewOwn(u, t), "type '" + type + "'");
        }
        String noType = JWT.create().withClaim("id", u.id()).withClaim("collectionId", USERS_ID)
                .withIssuedAt(Instant.now()).withExpiresAt(exp).sign(right);
        assertRefused(viewOwn(u, noType), "no type claim");
        String otherSecret = craft(Algorithm.HMAC256(key(SECRET + "-other", USERS_ID, u.tokenKey())), u.id(), USERS_ID, Instant.now(), exp);
        assertRefused(viewOwn(u, otherSecret), "another server secret");
        String noSecret = craft(Algorithm.HMAC256(key("", USERS_ID, u.tokenKey())), u.id(), USERS_ID, Instant.now(), exp);
        assertRefused(viewOwn(u, noSecret), "empty server secret (tokenKey alone)");
        String secretOnly = craft(Algorithm.HMAC256(SECRET.getBytes(StandardCharsets.UTF_8)), u.id(), USERS_ID, Instant.now(), exp);
        assertRefused(viewOwn(u, secretOnly), "server secret alone");
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
