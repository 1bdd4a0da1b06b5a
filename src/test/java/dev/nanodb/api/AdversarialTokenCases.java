package dev.nanodb.api;

import static dev.nanodb.api.Attack.ANON;
import static dev.nanodb.api.Attack.MEMBER;
import static dev.nanodb.api.Attack.TOKENS;
import static dev.nanodb.api.Attack.attack;
import static dev.nanodb.api.Attack.http;
import static dev.nanodb.api.Attack.pb;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.nanodb.realtime.SseClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Token forgery: tokens an attacker can make or keep — unsigned ({@code alg: none}), signed with a guessed
 * secret, with a claim changed under a kept signature, of another auth collection, expired, of a deleted account,
 * issued before a password change, of another algorithm or type — sent to the records, batch and realtime routes.
 * Each must be a 401 (a present but invalid token is never read as anonymous) that shows nothing of the account
 * it names. Some forgeries are signed with the real key construction (secret, collection id, token key: as
 * {@link TokenTestSupport} does) to prove that the claims, not only the signature, are checked.
 */
final class AdversarialTokenCases {
    private AdversarialTokenCases() {}

    private static final String ALICE_NOTE = "/api/collections/notes/records/{aliceNote}";

    static List<Attack> all() {
        List<Attack> c = new ArrayList<>();
        c.add(forged("alg:none on a record", w -> none(w, "alice"), "GET", ALICE_NOTE, null));
        c.add(forged("alg:none as Bearer on a batch", w -> "Bearer " + none(w, "alice"), "POST", "/api/batch",
                pb("PATCH", "/api/collections/notes/records/{aliceNote}", "{'title':'x'}")));
        c.add(forged("a guessed secret on a list", w -> TokenTestSupport.craft(Algorithm.HMAC256(TokenTestSupport.key(
                "guessed-secret-0123456789-abcdefghij", usersId(w), w.tokenKey("users", w.ids.get("alice")))),
                w.ids.get("alice"), usersId(w), Instant.now(), Instant.now().plusSeconds(600)), "GET", "/api/collections/notes/records", null));
        c.add(attack(TOKENS, "a guessed secret on a seed stream", 401, s -> s.refusedStream("?collections=notes&token="
                + TokenTestSupport.craft(Algorithm.HMAC256("guessed-secret-0123456789-abcdefghij"), s.w.ids.get("alice"),
                usersId(s.w), Instant.now(), Instant.now().plusSeconds(600)))));
        c.add(forged("bob's token with alice's id under bob's signature", w -> swapClaim(w.bobToken, "\"id\":\"" + w.ids.get("bob"),
                "\"id\":\"" + w.ids.get("alice")), "GET", ALICE_NOTE, null));
        c.add(forged("bob's token claiming the superusers collection", w -> swapClaim(w.bobToken, "\"collectionId\":\"" + usersId(w),
                "\"collectionId\":\"" + w.server.store().collection("_superusers").orElseThrow().id()), "GET", "/api/admin/consistency", null));
        c.add(forged("a member's token re-signed as a users token", w -> TokenTestSupport.craft(Algorithm.HMAC256(TokenTestSupport.key(
                AdversarialWorld.JWT_SECRET, usersId(w), w.tokenKey("members", w.ids.get("member")))), w.ids.get("member"), usersId(w),
                Instant.now(), Instant.now().plusSeconds(600)), "GET", "/api/collections/users/records", null));
        c.add(http(TOKENS, "a member's token refreshed as a users token", MEMBER, "POST", "/api/collections/users/auth-refresh", null, 403));
        c.add(http(TOKENS, "bob's token refreshed as a superuser's", Attack.BOB, "POST", "/api/collections/_superusers/auth-refresh",
                null, 403));
        c.add(forged("alice's expired token", w -> aliceSigned(w, Instant.now().minusSeconds(3600), Instant.now().minusSeconds(60)),
                "GET", "/api/collections/notes/records", null));
        c.add(forged("alice's token signed with HS512", w -> TokenTestSupport.craft(Algorithm.HMAC512(aliceKey(w)), w.ids.get("alice"),
                usersId(w), Instant.now(), Instant.now().plusSeconds(600)), "GET", ALICE_NOTE, null));
        c.add(forged("alice's key on a token of another type", w -> JWT.create().withClaim("id", w.ids.get("alice"))
                .withClaim("collectionId", usersId(w)).withClaim("type", "passwordReset").withIssuedAt(Instant.now())
                .withExpiresAt(Instant.now().plusSeconds(600)).sign(Algorithm.HMAC256(aliceKey(w))), "GET", ALICE_NOTE, null));
        c.add(forged("alice's key on a token that never expires", w -> aliceSigned(w, Instant.now(), null), "GET", ALICE_NOTE, null));
        c.add(forged("a 60 KB token", w -> none(w, "alice") + "x".repeat(60_000), "GET", ALICE_NOTE, null));
        c.add(attack(TOKENS, "the token of a deleted account on its record", 401,
                s -> s.sendToken(s.w.ids.get("goneToken"), "GET", "/api/collections/users/records/{gone}", null))
                .given(w -> deletedUser(w, "gone")));
        c.add(attack(TOKENS, "the token of a deleted account on a seed stream", 401,
                s -> s.refusedStream("?collections=users&token=" + s.w.ids.get("vanishedToken"))).given(w -> deletedUser(w, "vanished")));
        c.add(attack(TOKENS, "a token issued before a password change, on a batch", 401,
                s -> s.sendToken(s.w.ids.get("oldToken"), "POST", "/api/batch",
                        pb("POST", "/api/collections/notes/records", "{'title':'with an old token'}")))
                .given(AdversarialTokenCases::changedPassword));
        c.add(attack(TOKENS, "a forged token subscribing a stream", 401, s -> {
            SseClient stream = s.stream("", ANON);
            s.subscribe(stream, w -> none(w, "alice"), "notes/*");
        }));
        return c;
    }

    private static Attack forged(String name, Attack.Who token, String method, String path, String body) {
        return http(TOKENS, name, token, method, path, body, 401);
    }

    static String usersId(AdversarialWorld w) {
        return w.server.store().collection("users").orElseThrow().id();
    }

    /** An unsigned token ({@code alg: none}) with the claims of {@code who}'s real token. */
    static String none(AdversarialWorld w, String who) {
        long now = Instant.now().getEpochSecond();
        return TokenTestSupport.b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + TokenTestSupport.b64("{\"id\":\"" + w.ids.get(who)
                + "\",\"collectionId\":\"" + usersId(w) + "\",\"type\":\"auth\",\"refreshable\":true,\"iat\":" + now
                + ",\"exp\":" + (now + 600) + "}") + ".";
    }

    /** {@code token} with one fragment of its payload replaced and its signature kept. */
    static String swapClaim(String token, String from, String to) {
        String[] parts = token.split("\\.");
        String payload = TokenTestSupport.unb64(parts[1]);
        if (!payload.contains(from)) throw new IllegalStateException("no " + from + " in " + payload);
        return parts[0] + "." + TokenTestSupport.b64(payload.replace(from, to)) + "." + parts[2];
    }

    private static byte[] aliceKey(AdversarialWorld w) {
        return TokenTestSupport.key(AdversarialWorld.JWT_SECRET, usersId(w), w.tokenKey("users", w.ids.get("alice")));
    }

    private static String aliceSigned(AdversarialWorld w, Instant iat, Instant exp) {
        return TokenTestSupport.craft(Algorithm.HMAC256(aliceKey(w)), w.ids.get("alice"), usersId(w), iat, exp);
    }

    /** A user who signed in and was then deleted by the superuser: {@code {key}} its id, {@code {keyToken}} its token. */
    private static void deletedUser(AdversarialWorld w, String key) {
        String[] u = w.throwAwayUser(key);
        if (w.server.delete("/api/collections/users/records/" + u[0]).statusCode() != 200) throw new AssertionError("delete failed");
        w.ids.put(key, u[0]);
        w.ids.put(key + "Token", u[1]);
    }

    /** A user who signed in and then changed its password: {@code {oldToken}} is the token from before. */
    private static void changedPassword(AdversarialWorld w) {
        String[] u = w.throwAwayUser("changed");
        var r = w.server.send("PATCH", "/api/collections/users/records/" + u[0], AdversarialWorld.q("{'oldPassword':'password123',"
                + "'password':'password456','passwordConfirm':'password456'}"), "Authorization", u[1]);
        if (r.statusCode() != 200) throw new AssertionError("password change failed: " + r.statusCode() + " " + r.body());
        w.ids.put("oldToken", u[1]);
    }
}
