package dev.nanodb.accounts;

import dev.nanodb.collections.SystemCollections;
import dev.nanodb.error.ApiException;
import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Literal;
import dev.nanodb.filter.Op;
import dev.nanodb.rules.Access;
import dev.nanodb.rules.Action;
import dev.nanodb.rules.CompiledRules;
import dev.nanodb.rules.Identity;
import dev.nanodb.rules.RequestInfo;
import dev.nanodb.schema.Ids;
import dev.nanodb.schema.Times;
import dev.nanodb.store.AuthOptions;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.Query;
import dev.nanodb.store.Record;
import dev.nanodb.store.Store;
import dev.nanodb.store.StoreException;
import dev.nanodb.store.WriteOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Multi-factor sign-in (PocketBase's MFA): with {@code mfa.enabled} and an account its {@code mfa.rule} selects ("" =
 * every account), a first successful sign-in answers 401 {@code {mfaId}} instead of a token, and a second sign-in by
 * another method ({@code password}, {@code otp}, {@code oauth2}) that names that {@code mfaId} completes it.
 *
 * <p>Sessions are records of {@code _mfas} (shared by every node), live the collection's {@code mfa.duration}, belong
 * to one account, and are deleted by the write that completes them: each works once. Blocking: call on a worker.
 */
public final class Mfas {
    public static final String PASSWORD = "password";
    public static final String OTP = "otp";
    public static final String OAUTH2 = "oauth2";
    private final Store store;
    private final Function<CollectionDef, CompiledRules> rules;

    public Mfas(Store store, Function<CollectionDef, CompiledRules> rules) {
        this.store = store;
        this.rules = rules;
    }

    /**
     * @param mfaId the id a first factor answered, or null/"" for a first factor
     * @return null when {@code who} may have a token now; else the id of the new MFA session to answer with 401
     */
    public String check(Identity who, String method, String mfaId) {
        CollectionDef c = who.collection();
        AuthOptions.Mfa o = FlowOptions.options(c).mfa();
        if (!o.enabled() || !wanted(who)) return null;
        if (mfaId == null || mfaId.isBlank()) return open(who, method, o.duration());
        Record m = Ids.valid(mfaId) ? store.get(SystemCollections.MFAS, mfaId).orElse(null) : null;
        if (m == null || Otps.expired(m, o.duration())) {
            if (m != null) delete(m);
            throw new ApiException(400, "Invalid or expired MFA session.");
        }
        if (!who.record().id().equals(m.data().get("recordRef")) || !c.id().equals(m.data().get("collectionRef"))) {
            throw new ApiException(400, "Invalid MFA session.");
        }
        if (method.equals(m.data().get("method"))) throw new ApiException(400, "A different authentication method is required.");
        if (!delete(m)) throw new ApiException(400, "Invalid or expired MFA session.");
        return null;
    }

    private boolean wanted(Identity who) {
        RequestInfo req = new RequestInfo(who, "POST", Map.of(), Map.of());
        return Access.admits(rules.apply(who.collection()), Action.MFA, req, who.record());
    }

    /** A new session for the account; its expired sessions go in the same write. */
    private String open(Identity who, String method, long seconds) {
        List<WriteOp> ops = new ArrayList<>();
        Query q = new Query(SystemCollections.MFAS, new Compare(new Field("recordRef"), Op.EQ, new Literal(who.record().id())),
                List.of(), 1, 200, true);
        for (Record old : store.query(q).items()) {
            if (Otps.expired(old, seconds)) ops.add(new WriteOp.Delete(SystemCollections.MFAS, old.id(), old.version()));
        }
        String id = Ids.newId();
        String now = Times.now();
        ops.add(new WriteOp.Create(SystemCollections.MFAS, new Record(id, now, now, 1,
                Map.of("collectionRef", who.collection().id(), "recordRef", who.record().id(), "method", method))));
        store.write(ops).join();
        return id;
    }

    /** @return false when another sign-in deleted it first */
    private boolean delete(Record m) {
        try {
            store.write(List.of(new WriteOp.Delete(SystemCollections.MFAS, m.id(), m.version()))).join();
            return true;
        } catch (CompletionException e) {
            if (e.getCause() instanceof StoreException.NotFound || e.getCause() instanceof StoreException.VersionConflict) return false;
            throw e;
        }
    }
}
