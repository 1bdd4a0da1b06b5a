package dev.nanodb.accounts;

import dev.nanodb.auth.AttemptLimiter;
import dev.nanodb.auth.AuthService;
import dev.nanodb.auth.Tokens;
import dev.nanodb.collections.SystemCollections;
import dev.nanodb.error.ApiException;
import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Literal;
import dev.nanodb.filter.Op;
import dev.nanodb.mail.Outbox;
import dev.nanodb.rules.Identity;
import dev.nanodb.schema.Ids;
import dev.nanodb.schema.Times;
import dev.nanodb.settings.SettingsService;
import dev.nanodb.store.AuthOptions;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.Query;
import dev.nanodb.store.Record;
import dev.nanodb.store.Store;
import dev.nanodb.store.StoreException;
import dev.nanodb.store.WriteOp;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;

/**
 * One-time codes (PocketBase's {@code request-otp} and {@code auth-with-otp}), kept in {@code _otps} so that every
 * node of a shared database accepts a code another node mailed.
 *
 * <p>A code is digits from a {@link SecureRandom}, stored only as a bcrypt hash and compared with bcrypt (constant
 * time); it lives the collection's {@code otp.duration}, and is deleted in the very write that signs in with it, so
 * it works once (a concurrent second use finds it gone). A request for an unknown address answers a random id
 * after the same bcrypt work, so the answer does not tell whether an account exists; an account holding ten live
 * codes gets a random id too and no new mail (PocketBase gives the newest code's id again, which tells that the
 * account exists, and lets anyone flood its owner's mailbox further). Wrong guesses are limited per code (5 per 3
 * minutes, PocketBase's figure) on top of the per-client route limits: a stranger guessing one code cannot lock
 * the owner out of a fresh one. Blocking: call on a worker.
 */
public final class Otps {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_LIVE = 10;
    private final Store store;
    private final AuthService auth;
    private final Outbox outbox;
    private final AccountMails mails;
    private final AttemptLimiter attempts = new AttemptLimiter(5, 180_000);

    public Otps(Store store, AuthService auth, Outbox outbox, SettingsService settings) {
        this.store = store;
        this.auth = auth;
        this.outbox = outbox;
        this.mails = new AccountMails(settings);
    }

    /** @return the id of the code to send back with it ({@code otpId}) */
    public String request(String collection, Object email) {
        CollectionDef c = auth.authCollection(collection);
        AuthOptions.Otp o = enabled(c);
        String address = AccountFlows.checkedEmail("email", email);
        Record r = AccountFlows.findByEmail(store, c, address);
        String code = digits(o.length());
        String hash = auth.passwords().hash(code).join();
        if (r == null) return Ids.newId();
        List<Record> mine = codesOf(r.id());
        List<WriteOp> ops = new ArrayList<>();
        int live = 0;
        for (Record otp : mine) {
            if (expired(otp, o.duration())) {
                ops.add(new WriteOp.Delete(SystemCollections.OTPS, otp.id(), otp.version()));
            } else {
                live++;
            }
        }
        if (live >= MAX_LIVE) return Ids.newId();
        String id = Ids.newId();
        String now = Times.now();
        Map<String, Object> data = Map.of("collectionRef", c.id(), "recordRef", r.id(), "password", hash, "sentTo", address);
        ops.add(new WriteOp.Create(SystemCollections.OTPS, new Record(id, now, now, 1, data)));
        store.write(ops).join();
        outbox.offer(mails.compose(o.emailTemplate(), c, r, address, Map.of("OTP", code, "OTP_ID", id)));
        return id;
    }

    /**
     * Signs in with a code: the account it was made for, now verified when the code went to its current address
     * (PocketBase). Whoever registered the address before its owner proved it loses every hold on the account in that
     * write: its sessions (the token key rotates), its OAuth2 links, and, unless MFA is on (then the password is the
     * owner's first factor), the password they chose.
     */
    public Identity authenticate(String collection, Object otpId, Object password) {
        CollectionDef c = auth.authCollection(collection);
        AuthOptions o = FlowOptions.options(c);
        enabled(c);
        if (!(otpId instanceof String id) || id.isBlank() || id.length() > 255) {
            throw ApiException.invalidField("otpId", "validation_required", "Cannot be blank.");
        }
        if (!(password instanceof String code) || code.isEmpty() || code.length() > 71) {
            throw ApiException.invalidField("password", "validation_required", "Cannot be blank.");
        }
        Record otp = Ids.valid(id) ? store.get(SystemCollections.OTPS, id).orElse(null) : null;
        if (otp == null || !c.id().equals(otp.data().get("collectionRef")) || expired(otp, o.otp().duration())) throw invalid();
        Record r = store.get(c.name(), String.valueOf(otp.data().get("recordRef"))).orElseThrow(Otps::invalid);
        long wait = attempts.waitFor(otp.id());
        if (wait > 0) throw new ApiException(429, "Too many attempts, please try again later with a new OTP.");
        attempts.fail(otp.id());
        if (!auth.passwords().verify(code, (String) otp.data().get("password")).join()) throw invalid();
        List<WriteOp> ops = new ArrayList<>();
        ops.add(new WriteOp.Delete(SystemCollections.OTPS, otp.id(), otp.version()));
        boolean proves = !Boolean.TRUE.equals(r.data().get("verified")) && Objects.equals(otp.data().get("sentTo"), r.data().get("email"));
        if (proves) {
            ops.add(verifies(c, r, o.mfa().enabled() ? null : auth.passwords().hash(Tokens.newTokenKey()).join()));
            ops.addAll(new ExternalAuths(store).deletesOf(c.id(), r.id()));
        }
        try {
            store.write(ops).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof StoreException.NotFound || e.getCause() instanceof StoreException.VersionConflict
                    || e.getCause() instanceof StoreException.Rejected) {
                throw invalid();
            }
            throw e;
        }
        attempts.reset(otp.id());
        return new Identity(c, proves ? store.get(c.name(), r.id()).orElseThrow(Otps::invalid) : r);
    }

    private static WriteOp verifies(CollectionDef c, Record r, String newPasswordHash) {
        Object email = r.data().get("email");
        return new WriteOp.Update(c.name(), r.id(), null, stored -> {
            if (!Objects.equals(stored.data().get("email"), email)) throw invalid();
        }, stored -> {
            Map<String, Object> data = new HashMap<>(stored.data());
            data.put("verified", true);
            data.put("tokenKey", Tokens.newTokenKey());
            if (newPasswordHash != null) data.put("password", newPasswordHash);
            return stored.next(c, data, Times.now());
        });
    }

    private List<Record> codesOf(String recordId) {
        Query q = new Query(SystemCollections.OTPS, new Compare(new Field("recordRef"), Op.EQ, new Literal(recordId)),
                List.of(), 1, 200, true);
        return store.query(q).items();
    }

    static boolean expired(Record r, long seconds) {
        return Instant.parse(r.created()).plusSeconds(seconds).isBefore(Instant.now());
    }

    private static AuthOptions.Otp enabled(CollectionDef c) {
        AuthOptions.Otp o = FlowOptions.options(c).otp();
        if (!o.enabled()) throw new ApiException(403, "The collection is not configured to allow OTP authentication.");
        return o;
    }

    private static String digits(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) out.append((char) ('0' + RANDOM.nextInt(10)));
        return out.toString();
    }

    static ApiException invalid() {
        return new ApiException(400, "Invalid or expired OTP.");
    }
}
