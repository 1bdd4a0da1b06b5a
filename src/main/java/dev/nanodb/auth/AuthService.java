package dev.nanodb.auth;

import dev.nanodb.error.ApiException;
import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Literal;
import dev.nanodb.filter.Op;
import dev.nanodb.rules.Identity;
import dev.nanodb.schema.Ids;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.Query;
import dev.nanodb.store.Record;
import dev.nanodb.store.Store;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Who is calling, and logging in.
 *
 * <p>Login takes one path whether or not the account exists: the limits are counted, the account is looked up,
 * and a bcrypt comparison runs (against a dummy hash when there is no account); both failures give the same 400
 * with the same message. Failed attempts are limited per client (its address; an IPv6 client's network) and,
 * separately, per identity, so neither one client nor a botnet aiming at one account can guess passwords quickly.
 */
public final class AuthService {
    private final Store store;
    private final Passwords passwords;
    private final Tokens tokens;
    private final AttemptLimiter perClient;
    private final AttemptLimiter perIdentity;
    private final VerifiedTokens verified = new VerifiedTokens();
    /** File tokens apart from auth tokens, so that one is never taken for the other. */
    private final VerifiedTokens verifiedFiles = new VerifiedTokens();

    public AuthService(Store store, Passwords passwords, Tokens tokens, int maxAttempts, long windowMillis) {
        this.store = store;
        this.passwords = passwords;
        this.tokens = tokens;
        this.perClient = new AttemptLimiter(maxAttempts, windowMillis);
        this.perIdentity = new AttemptLimiter(maxAttempts, windowMillis);
    }

    public Passwords passwords() {
        return passwords;
    }

    /** A login's result: who, and a fresh token. */
    public record Login(Identity identity, String token) {}

    /**
     * The caller behind an {@code Authorization} value ({@code Bearer <token>} or the bare token the PocketBase
     * SDK sends); null when there is none. 401 when a token is present but invalid, expired, revoked, or names
     * a record or collection that does not exist.
     */
    /** A file token for the caller ({@code POST /api/files/token}). */
    public String fileToken(Identity who) {
        return tokens.issueFile(who.collection(), who.record());
    }

    /** Whose file token {@code token} is; null when it is not a current file token of an existing auth record. */
    public Identity identifyFileToken(String token) {
        if (token == null || token.isBlank()) return null;
        try {
            VerifiedTokens.Entry known = verifiedFiles.get(token);
            if (known != null) return current(verifiedFiles, token, known);
            Tokens.Claims claims = Tokens.peek(token);
            if (!Ids.valid(claims.id())) return null;
            CollectionDef c = authCollectionById(claims.collectionId());
            Record r = store.get(c.name(), claims.id()).orElse(null);
            if (r == null) return null;
            long expiresAt = tokens.verify(claims, c, r, Tokens.FILE_TYPE);
            verifiedFiles.put(token, new VerifiedTokens.Entry(r.id(), c.id(), expiresAt, (String) r.data().get("tokenKey")));
            return new Identity(c, r);
        } catch (ApiException invalid) {
            return null;
        }
    }

    public Identity identify(String authorization) {
        if (authorization == null || authorization.isBlank()) return null;
        String token = authorization.strip();
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) token = token.substring(7).strip();
        VerifiedTokens.Entry known = verified.get(token);
        if (known != null) return current(verified, token, known);
        Tokens.Claims claims = Tokens.peek(token);
        CollectionDef c = authCollectionById(claims.collectionId());
        if (!Ids.valid(claims.id())) throw Tokens.invalid();
        Record r = store.get(c.name(), claims.id()).orElseThrow(Tokens::invalid);
        long expiresAt = tokens.verify(claims, c, r);
        verified.put(token, new VerifiedTokens.Entry(r.id(), c.id(), expiresAt, (String) r.data().get("tokenKey")));
        return new Identity(c, r);
    }

    /**
     * The identity of a token verified before: its signature is a fact about the token and the key it was
     * checked with, so only what can change is checked again — the expiry, and the record as stored now (a
     * deleted record or a rotated token key refuses it, exactly as a full verification would).
     */
    private Identity current(VerifiedTokens table, String token, VerifiedTokens.Entry known) {
        if (System.currentTimeMillis() >= known.expiresAt()) {
            table.remove(token);
            throw Tokens.invalid();
        }
        CollectionDef c = authCollectionById(known.collectionId());
        Record r = store.get(c.name(), known.id()).orElse(null);
        if (r == null || !known.tokenKey().equals(r.resolve("tokenKey"))) {
            table.remove(token);
            throw Tokens.invalid();
        }
        return new Identity(c, r);
    }

    private CollectionDef authCollectionById(String id) {
        return store.collection(id).filter(d -> d.isAuth() && d.id().equals(id)).orElseThrow(Tokens::invalid);
    }

    public String token(Identity who) {
        return tokens.issue(who.collection(), who.record());
    }

    /**
     * Logs in with an email and a password; completes on the bcrypt pool.
     *
     * @param clientKey what the per-client limit counts the caller as: its address, or an IPv6 caller's network
     */
    public CompletableFuture<Login> login(String collection, Object identity, Object password, String clientKey) {
        CollectionDef c = authCollection(collection);
        if (!(identity instanceof String raw) || raw.isBlank()) {
            throw ApiException.invalidField("identity", "validation_required", "An email is required.");
        }
        if (!(password instanceof String pw) || pw.isEmpty()) {
            throw ApiException.invalidField("password", "validation_required", "A password is required.");
        }
        String email = normalizeEmail(raw);
        String who = c.id() + ":" + email;
        String client = String.valueOf(clientKey);
        long wait = Math.max(perClient.waitFor(client), perIdentity.waitFor(who));
        if (wait > 0) throw ApiException.tooManyRequests(wait);
        Record r = email.length() > 254 ? null : findByEmail(c, email);
        String hash = r == null ? null : (String) r.data().get("password");
        return passwords.verify(pw, hash).thenApply(ok -> {
            if (!ok) {
                perClient.fail(client);
                perIdentity.fail(who);
                throw new ApiException(400, "Failed to authenticate.");
            }
            perIdentity.reset(who);
            return new Login(new Identity(c, r), tokens.issue(c, r));
        });
    }

    /** The auth collection of that name; 404 otherwise (a base collection has no logins). */
    public CollectionDef authCollection(String name) {
        return store.collection(name).filter(CollectionDef::isAuth)
                .orElseThrow(() -> ApiException.notFound("Missing or invalid auth collection context."));
    }

    /**
     * Emails are compared and stored in lower case and in Unicode's composed form (NFC), so {@code Ann@x.io} and
     * {@code ann@x.io} are one account, and so are {@code é@x.io} written with one code point or with {@code e} and
     * a combining accent: addresses that look the same are the same.
     */
    public static String normalizeEmail(String email) {
        return java.text.Normalizer.normalize(email.strip(), java.text.Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }

    private Record findByEmail(CollectionDef c, String email) {
        Query q = new Query(c.name(), new Compare(new Field("email"), Op.EQ, new Literal(email)), List.of(), 1, 1, true);
        List<Record> found = store.query(q).items();
        return found.isEmpty() ? null : found.get(0);
    }
}
