package dev.nanodb.auth;

import dev.nanodb.error.ApiException;
import dev.nanodb.rules.Access;
import dev.nanodb.rules.Action;
import dev.nanodb.rules.CompiledRules;
import dev.nanodb.rules.Identity;
import dev.nanodb.rules.RequestInfo;
import dev.nanodb.schema.Ids;
import dev.nanodb.store.AuthOptions;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.Record;
import dev.nanodb.store.Store;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

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
    private final Function<CollectionDef, CompiledRules> rules;
    private final AttemptLimiter perClient;
    private final AttemptLimiter perIdentity;
    private final VerifiedTokens verified = new VerifiedTokens();
    /** File tokens apart from auth tokens, so that one is never taken for the other. */
    private final VerifiedTokens verifiedFiles = new VerifiedTokens();

    /**
     * @param rules the compiled rules of a definition (the collections capability's cache), for {@code authRule}
     */
    public AuthService(Store store, Passwords passwords, Tokens tokens, Limit limit, Function<CollectionDef, CompiledRules> rules) {
        this.store = store;
        this.rules = rules;
        this.passwords = passwords;
        this.tokens = tokens;
        this.perClient = new AttemptLimiter(limit.maxAttempts(), limit.windowMillis());
        this.perIdentity = new AttemptLimiter(limit.maxAttempts(), limit.windowMillis());
    }

    /** Failed sign-ins allowed per client and per identity within a window. */
    public record Limit(int maxAttempts, long windowMillis) {}

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
        String token = bare(authorization);
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

    private static String bare(String authorization) {
        String token = authorization.strip();
        return token.regionMatches(true, 0, "Bearer ", 0, 7) ? token.substring(7).strip() : token;
    }

    public String token(Identity who) {
        return tokens.issue(who.collection(), who.record());
    }

    /**
     * The token {@code auth-refresh} answers {@code who} (already identified by {@code authorization}): a fresh one,
     * or the very same one when it is not refreshable (an impersonation token keeps its end, as in PocketBase).
     * The collection's {@code authRule} is checked again, with {@code who} as the caller.
     */
    public String refresh(Identity who, String authorization) {
        checkAuthRule(who, who);
        String token = bare(authorization);
        return Tokens.refreshable(token) ? token(who) : token;
    }

    /**
     * A superuser's non-refreshable token for the record {@code id} of {@code collection} (404 when there is none),
     * living {@code seconds} (0 = the collection's auth token duration).
     */
    public Login impersonate(String collection, String id, long seconds, Identity caller) {
        CollectionDef c = authCollection(collection);
        Record r = Ids.valid(id) ? store.get(c.name(), id).orElse(null) : null;
        if (r == null) throw ApiException.notFound("The requested resource wasn't found.");
        Identity who = new Identity(c, r);
        checkAuthRule(who, caller);
        return new Login(who, tokens.issueStatic(c, r, java.time.Duration.ofSeconds(seconds)));
    }

    /**
     * Logs in with an identity and a password; completes on the bcrypt pool. The identity is looked up in the
     * collection's {@code passwordAuth.identityFields} ({@code email} first, and only when it looks like an
     * address; emails compared normalized, other fields exactly as stored), or only in {@code identityField} when
     * the caller names one of them. After the password, the collection's {@code authRule} is checked against the
     * record (PocketBase: 403 when it does not hold; a null rule lets no one sign in).
     *
     * @param identityField null, or the one identity field to match (PocketBase's optional body parameter)
     * @param clientKey     what the per-client limit counts the caller as: its address, or an IPv6 caller's network
     */
    public CompletableFuture<Login> login(String collection, Object identity, Object identityField, Object password,
                                          String clientKey) {
        CollectionDef c = authCollection(collection);
        AuthOptions.PasswordAuth options = c.authOptions().passwordAuth();
        if (!options.enabled()) {
            throw new ApiException(403, "The collection is not configured to allow password authentication.");
        }
        if (!(identity instanceof String raw) || raw.isBlank()) {
            throw ApiException.invalidField("identity", "validation_required", "An identity is required.");
        }
        if (!(password instanceof String pw) || pw.isEmpty()) {
            throw ApiException.invalidField("password", "validation_required", "A password is required.");
        }
        List<String> fields = IdentityLookup.fields(options, identityField);
        String who = c.id() + ":" + normalizeEmail(raw);
        String client = String.valueOf(clientKey);
        long wait = Math.max(perClient.waitFor(client), perIdentity.waitFor(who));
        if (wait > 0) throw ApiException.tooManyRequests(wait);
        Record r = IdentityLookup.find(store, c, fields, raw);
        String hash = r == null ? null : (String) r.data().get("password");
        return passwords.verify(pw, hash).thenApply(ok -> {
            if (!ok) {
                perClient.fail(client);
                perIdentity.fail(who);
                throw new ApiException(400, "Failed to authenticate.");
            }
            perIdentity.reset(who);
            Identity signedIn = new Identity(c, r);
            checkAuthRule(signedIn, null);
            return new Login(signedIn, tokens.issue(c, r));
        });
    }

    /**
     * 403 unless the collection's {@code authRule} admits {@code who} for a request made by {@code caller} (null =
     * anonymous, as at sign-in; a superuser caller is always admitted, as in PocketBase). Every answer that hands
     * out an auth token checks it: sign-in, refresh, impersonation.
     */
    public void checkAuthRule(Identity who, Identity caller) {
        RequestInfo req = new RequestInfo(caller, "POST", Map.of(), Map.of());
        if (!Access.admits(rules.apply(who.collection()), Action.AUTH, req, who.record())) {
            throw new ApiException(403, "The request doesn't satisfy the collection requirements to authenticate.");
        }
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
}
