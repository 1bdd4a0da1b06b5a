package dev.nanodb.accounts;

import com.auth0.jwt.interfaces.DecodedJWT;
import dev.nanodb.auth.AuthService;
import dev.nanodb.auth.Passwords;
import dev.nanodb.auth.Tokens;
import dev.nanodb.error.ApiException;
import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Literal;
import dev.nanodb.filter.Op;
import dev.nanodb.mail.Outbox;
import dev.nanodb.rules.Identity;
import dev.nanodb.schema.Ids;
import dev.nanodb.schema.RecordValidator;
import dev.nanodb.schema.Times;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.Query;
import dev.nanodb.store.Record;
import dev.nanodb.store.Store;
import dev.nanodb.store.StoreException;
import dev.nanodb.store.WriteOp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;

/**
 * Verification, password reset and e-mail change (PocketBase's routes and token types).
 *
 * <p>A request answers the same whether or not the address belongs to an account, and whether or not a message went
 * (a message per purpose and account at most every two minutes: {@link ResendGuard}); mail is only handed to the
 * outbox. A confirmation verifies the token for the record it names and then changes the record in one store write
 * whose check runs again on the stored record: the e-mail the token was issued for must still be the record's, and
 * for a reset or an e-mail change the token key must be the one the token was verified with — the change rotates
 * it, so a second use of the same token (even a concurrent one) fails.
 */
public final class AccountFlows {
    private static final long RESEND_WINDOW_MS = 120_000;
    private final Store store;
    private final AuthService auth;
    private final Tokens tokens;
    private final Outbox outbox;
    private final AccountMails mails;
    private final ResendGuard resend = new ResendGuard(RESEND_WINDOW_MS, 100_000);

    /** The parts the flows use: the store, sign-in and tokens, the outbox and the settings' sender. */
    public record Parts(Store store, AuthService auth, Tokens tokens, Outbox outbox, dev.nanodb.settings.SettingsService settings) {}

    public AccountFlows(Parts parts) {
        this.store = parts.store();
        this.auth = parts.auth();
        this.tokens = parts.tokens();
        this.outbox = parts.outbox();
        this.mails = new AccountMails(parts.settings());
    }

    public void requestVerification(String collection, Object email) {
        CollectionDef c = auth.authCollection(collection);
        if (c.name().equals(Identity.SUPERUSERS)) throw new ApiException(400, "All superusers are verified by default.");
        Record r = findByEmail(store, c, checkedEmail("email", email));
        if (r == null || Boolean.TRUE.equals(r.data().get("verified"))) return;
        send(FlowOptions.Flow.VERIFICATION, c, r, email(r), Map.of("email", email(r)));
    }

    public void requestPasswordReset(String collection, Object email) {
        CollectionDef c = auth.authCollection(collection);
        Record r = findByEmail(store, c, checkedEmail("email", email));
        if (r == null) return;
        send(FlowOptions.Flow.PASSWORD_RESET, c, r, email(r), Map.of("email", email(r)));
    }

    /** Mails a confirmation to the new address; the caller must be signed in as a record of this collection. */
    public void requestEmailChange(String collection, Identity who, Object newEmail) {
        CollectionDef c = auth.authCollection(collection);
        if (who == null || who.superuser() && !c.name().equals(Identity.SUPERUSERS)) {
            throw new ApiException(401, "The request requires valid record authorization token.");
        }
        if (!who.collection().id().equals(c.id())) throw new ApiException(403, "The authorized record is not of this collection.");
        String to = checkedEmail("newEmail", newEmail);
        Record r = who.record();
        if (to.equals(email(r))) {
            throw ApiException.invalidField("newEmail", "validation_same_email", "Must be different from the current email.");
        }
        send(FlowOptions.Flow.EMAIL_CHANGE, c, r, to, Map.of("email", email(r), "newEmail", to));
    }

    /** Marks the record verified; a token for an address the record no longer has is refused. */
    public CompletableFuture<Void> confirmVerification(String collection, Object token) {
        Verified v = verify(collection, token, FlowOptions.Flow.VERIFICATION);
        if (Boolean.TRUE.equals(v.record().data().get("verified"))) return CompletableFuture.completedFuture(null);
        return change(v, false, data -> data.put("verified", true));
    }

    /** Sets a new password (rotating the token key: every earlier token and realtime stream of the record ends). */
    public CompletableFuture<Void> confirmPasswordReset(String collection, Object token, Object password, Object confirm) {
        String plain = Passwords.check("password", password);
        if (!plain.equals(confirm)) {
            throw ApiException.invalidField("passwordConfirm", "validation_values_mismatch", "Values don't match.");
        }
        Verified v = verify(collection, token, FlowOptions.Flow.PASSWORD_RESET);
        return auth.passwords().hash(plain).thenCompose(hash -> change(v, true, data -> {
            data.put("password", hash);
            data.put("verified", true);
        }));
    }

    /** Moves the record to the new address after checking its password; the address counts as verified. */
    public CompletableFuture<Void> confirmEmailChange(String collection, Object token, Object password) {
        if (!(password instanceof String plain) || plain.isEmpty()) {
            throw ApiException.invalidField("password", "validation_required", "Cannot be blank.");
        }
        Verified v = verify(collection, token, FlowOptions.Flow.EMAIL_CHANGE);
        String newEmail = v.jwt().getClaim("newEmail").asString();
        if (newEmail == null || newEmail.isEmpty()) throw invalidToken();
        return auth.passwords().verify(plain, (String) v.record().data().get("password")).thenCompose(ok -> {
            if (!ok) throw ApiException.invalidField("password", "validation_invalid_password", "Invalid password.");
            return change(v, true, data -> {
                data.put("email", newEmail);
                data.put("verified", true);
            });
        }).exceptionally(t -> {
            Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            if (cause instanceof StoreException.UniqueViolation) {
                throw ApiException.invalidField("newEmail", "validation_not_unique", "The email is already in use.");
            }
            throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
        });
    }

    private record Verified(CollectionDef collection, Record record, DecodedJWT jwt) {}

    private Verified verify(String collection, Object token, FlowOptions.Flow flow) {
        CollectionDef c = auth.authCollection(collection);
        if (!(token instanceof String t) || t.isBlank()) {
            throw ApiException.invalidField("token", "validation_required", "Cannot be blank.");
        }
        try {
            Tokens.Claims claims = Tokens.peek(t);
            if (!c.id().equals(claims.collectionId()) || !Ids.valid(claims.id())) throw invalidToken();
            Record r = store.get(c.name(), claims.id()).orElseThrow(AccountFlows::invalidToken);
            DecodedJWT jwt = tokens.verified(claims, c, r, flow.type);
            if (!Objects.equals(jwt.getClaim("email").asString(), email(r))) throw invalidToken();
            return new Verified(c, r, jwt);
        } catch (ApiException e) {
            if (e.status() == 401) throw invalidToken();
            throw e;
        }
    }

    /**
     * One write: the stored record must still have the e-mail the token names (and, when {@code rotate}, the token
     * key it was verified with, which the write then replaces). An account not verified until now loses its OAuth2
     * links in the same write: whoever registered the address before its owner proved it may have linked a provider
     * account of their own, which must not survive the owner's taking it over.
     */
    private CompletableFuture<Void> change(Verified v, boolean rotate, java.util.function.Consumer<Map<String, Object>> edit) {
        Object email = v.record().data().get("email");
        Object tokenKey = v.record().data().get("tokenKey");
        UnaryOperator<Record> next = stored -> {
            Map<String, Object> data = new HashMap<>(stored.data());
            edit.accept(data);
            if (rotate) data.put("tokenKey", Tokens.newTokenKey());
            return stored.next(v.collection(), data, Times.now());
        };
        WriteOp op = new WriteOp.Update(v.collection().name(), v.record().id(), null, stored -> {
            if (!Objects.equals(stored.data().get("email"), email) || rotate && !Objects.equals(stored.data().get("tokenKey"), tokenKey)) {
                throw invalidToken();
            }
        }, next);
        List<WriteOp> ops = new java.util.ArrayList<>(List.of(op));
        if (!Boolean.TRUE.equals(v.record().data().get("verified"))) {
            ops.addAll(new ExternalAuths(store).deletesOf(v.collection().id(), v.record().id()));
        }
        return store.write(ops).handle((changes, t) -> {
            if (t == null) return null;
            Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            if (cause instanceof StoreException.Rejected || cause instanceof StoreException.NotFound) throw invalidToken();
            throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
        });
    }

    private void send(FlowOptions.Flow flow, CollectionDef c, Record r, String to, Map<String, String> claims) {
        if (!resend.allow(flow.type + ":" + c.id() + ":" + r.id() + ":" + to)) return;
        String token = tokens.issueFor(flow.type, c, r, FlowOptions.lifetime(c, flow), claims);
        Map<String, String> values = new HashMap<>();
        values.put("TOKEN", token);
        outbox.offer(mails.compose(FlowOptions.template(c, flow), c, r, to, values));
    }

    static Record findByEmail(Store store, CollectionDef c, String email) {
        Query q = new Query(c.name(), new Compare(new Field("email"), Op.EQ, new Literal(email)), List.of(), 1, 1, true);
        List<Record> found = store.query(q).items();
        return found.isEmpty() ? null : found.get(0);
    }

    private static String email(Record r) {
        return String.valueOf(r.data().get("email"));
    }

    static String checkedEmail(String field, Object value) {
        if (!(value instanceof String s) || s.isBlank()) throw ApiException.invalidField(field, "validation_required", "Cannot be blank.");
        String email = AuthService.normalizeEmail(s);
        if (email.length() > 255 || !RecordValidator.emailSyntax(email)) {
            throw ApiException.invalidField(field, "validation_is_email", "Must be a valid email address.");
        }
        return email;
    }

    static ApiException invalidToken() {
        return ApiException.invalidField("token", "validation_invalid_token", "Invalid or expired token.");
    }
}
