package dev.nanodb.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.nanodb.error.ApiException;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.Record;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * HS256 auth tokens in PocketBase's shape: claims {@code id}, {@code collectionId}, {@code type = "auth"},
 * {@code refreshable}, {@code iat}, {@code exp}.
 *
 * <p>The signing key is the server secret, the collection id and the record's {@code tokenKey} together. So a
 * token is only valid for the record and the collection it was issued for, and rotating a record's token key
 * (password change) — or deleting the record — invalidates every token issued before. Verification accepts only
 * HS256: {@code alg: none} and every other algorithm fail, as do bad signatures and expired tokens.
 */
public final class Tokens {
    public static final String TYPE = "auth";
    /** The type of a file token ({@link #issueFile}): it opens protected files and nothing else. */
    public static final String FILE_TYPE = "file";
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private final byte[] secret;
    private final Duration ttl;

    public Tokens(byte[] secret, Duration ttl) {
        this.secret = secret.clone();
        this.ttl = ttl;
    }

    /** The unverified claims a token names, needed to find the key it must be verified with. */
    public record Claims(String id, String collectionId, DecodedJWT jwt) {}

    /**
     * A short-lived token that opens the protected files {@code r} may view; never accepted as an auth token. It
     * lives for the collection's {@code fileToken.duration}.
     */
    public String issueFile(CollectionDef c, Record r) {
        Instant now = Instant.now();
        return JWT.create().withClaim("id", r.id()).withClaim("collectionId", c.id()).withClaim("type", FILE_TYPE)
                .withIssuedAt(now).withExpiresAt(now.plusSeconds(c.authOptions().tokens().file())).sign(algorithm(c, r));
    }

    /**
     * An auth token for {@code r}, living for the collection's {@code authToken.duration}, or the server's
     * {@code JWT_EXPIRES_IN} when the collection sets none.
     */
    public String issue(CollectionDef c, Record r) {
        return issue(c, r, authDuration(c), true);
    }

    /**
     * A non-refreshable auth token (PocketBase's static token, given by impersonation): {@code auth-refresh} hands
     * it back unchanged instead of a new one, so it stops working when its {@code duration} ends;
     * {@code duration} zero or less = the collection's auth token duration.
     */
    public String issueStatic(CollectionDef c, Record r, Duration duration) {
        return issue(c, r, duration.isZero() || duration.isNegative() ? authDuration(c) : duration, false);
    }

    /** Whether a token (already verified) may be exchanged for a fresh one ({@code refreshable} claim). */
    public static boolean refreshable(String token) {
        return Boolean.TRUE.equals(peek(token).jwt().getClaim("refreshable").asBoolean());
    }

    private Duration authDuration(CollectionDef c) {
        return Duration.ofSeconds(c.authOptions().authTokenSeconds(ttl.toSeconds()));
    }

    private String issue(CollectionDef c, Record r, Duration lifetime, boolean refreshable) {
        Instant now = Instant.now();
        return JWT.create().withClaim("id", r.id()).withClaim("collectionId", c.id()).withClaim("type", TYPE)
                .withClaim("refreshable", refreshable).withIssuedAt(now).withExpiresAt(now.plus(lifetime))
                .sign(algorithm(c, r));
    }

    /** Reads the claims without trusting them; 401 when the token is not even well formed. */
    public static Claims peek(String token) {
        try {
            DecodedJWT jwt = JWT.decode(token);
            String id = jwt.getClaim("id").asString();
            String collectionId = jwt.getClaim("collectionId").asString();
            if (id == null || collectionId == null) throw invalid();
            return new Claims(id, collectionId, jwt);
        } catch (JWTVerificationException e) {
            throw invalid();
        }
    }

    /**
     * 401 unless the token was issued by this server for exactly this record of this collection and is current.
     *
     * @return the token's expiry, in epoch milliseconds
     */
    public long verify(Claims claims, CollectionDef c, Record r) {
        return verify(claims, c, r, TYPE);
    }

    /** As {@link #verify(Claims, CollectionDef, Record)} for a token of {@code type} ({@link #TYPE}, {@link #FILE_TYPE}). */
    public long verify(Claims claims, CollectionDef c, Record r, String type) {
        return verified(claims, c, r, type).getExpiresAtAsInstant().toEpochMilli();
    }


    /**
     * A single-purpose token of an account flow ({@code verification}, {@code passwordReset}, {@code emailChange}:
     * PocketBase's types), with the flow's own claims (e.g. {@code email}, {@code newEmail}). It is signed with the
     * record's token key like every token, so a password change (or an e-mail change) voids it, and it is never
     * accepted as an auth token: verification checks the type.
     */
    public String issueFor(String type, CollectionDef c, Record r, Duration lifetime, java.util.Map<String, String> extra) {
        Instant now = Instant.now();
        var jwt = JWT.create().withClaim("id", r.id()).withClaim("collectionId", c.id()).withClaim("type", type);
        extra.forEach(jwt::withClaim);
        return jwt.withIssuedAt(now).withExpiresAt(now.plus(lifetime)).sign(algorithm(c, r));
    }

    /** The verified token of {@code type} for exactly this record; 401 ({@link #invalid}) otherwise. */
    public DecodedJWT verified(Claims claims, CollectionDef c, Record r, String type) {
        try {
            return JWT.require(algorithm(c, r)).withClaim("type", type).withClaim("id", r.id())
                    .withClaim("collectionId", c.id()).withClaimPresence("exp").build().verify(claims.jwt());
        } catch (JWTVerificationException e) {
            throw invalid();
        }
    }

    /** A fresh random token key (256 bits); rotating it revokes every token of its record. */
    public static String newTokenKey() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static ApiException invalid() {
        return new ApiException(401, "The request token is invalid or has expired.");
    }

    private Algorithm algorithm(CollectionDef c, Record r) {
        Object tokenKey = r.data().get("tokenKey");
        byte[] extra = ("\u0000" + c.id() + "\u0000" + (tokenKey == null ? "" : tokenKey)).getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[secret.length + extra.length];
        System.arraycopy(secret, 0, key, 0, secret.length);
        System.arraycopy(extra, 0, key, secret.length, extra.length);
        return Algorithm.HMAC256(key);
    }
}
