package dev.nanodb.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * White-box token tests: tokens are HS256 JWTs keyed by {@code JWT_SECRET + "\0" + collectionId + "\0" + tokenKey}
 * (see {@code dev.nanodb.auth.Tokens}). With a known {@code JWT_SECRET} the test crafts tokens itself: a correctly
 * crafted, current token is accepted (the control that proves the crafting is right), and every forgery — a
 * flipped signature character, a tampered payload, {@code alg: none}, HS512/HS384/RS256 or a relabelled header,
 * claims naming another collection or record, a wrong type, another secret — is a 401. Expiry and revocation of
 * correctly signed tokens are in {@link TokenLifetimeTest}.
 */
class TokenForgeryTest extends TokenTestSupport {
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
}
