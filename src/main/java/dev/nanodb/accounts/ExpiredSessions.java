package dev.nanodb.accounts;

import dev.nanodb.collections.SystemCollections;
import dev.nanodb.filter.And;
import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Literal;
import dev.nanodb.filter.Op;
import dev.nanodb.schema.Times;
import dev.nanodb.store.AuthOptions;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.Query;
import dev.nanodb.store.Record;
import dev.nanodb.store.Store;
import dev.nanodb.store.StoreException;
import dev.nanodb.store.WriteOp;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.ToLongFunction;

/**
 * Removes expired one-time codes ({@code _otps}) and MFA sessions ({@code _mfas}) of every auth collection: the
 * cron jobs {@code __pbOTPCleanup__} and {@code __pbMFACleanup__} (PocketBase's, hourly). An account's expired rows
 * also go when it gets a new one; these jobs take those of accounts that never come back. A row is expired by its
 * collection's duration ({@code otp.duration}, {@code mfa.duration}), as a sign-in judges it.
 *
 * <p>Deletes go in writes of at most {@value #PAGE} rows, each naming the version read, so a row a sign-in consumed
 * meanwhile is left to that sign-in; a run deletes at most {@value #MAX_PAGES} pages (the next run goes on).
 */
public final class ExpiredSessions {
    private static final int PAGE = 200;
    private static final int MAX_PAGES = 500;
    private final Store store;

    public ExpiredSessions(Store store) {
        this.store = store;
    }

    /** @return how many expired codes were removed */
    public int removeCodes() {
        return remove(SystemCollections.OTPS, o -> o.otp().duration());
    }

    /** @return how many expired MFA sessions were removed */
    public int removeMfaSessions() {
        return remove(SystemCollections.MFAS, o -> o.mfa().duration());
    }

    private int remove(String rows, ToLongFunction<AuthOptions> seconds) {
        int removed = 0;
        for (CollectionDef c : store.collections()) {
            if (!c.isAuth()) continue;
            String before = Times.format(Instant.now().minusSeconds(seconds.applyAsLong(FlowOptions.options(c))));
            Query q = new Query(rows, new And(List.of(new Compare(new Field("collectionRef"), Op.EQ, new Literal(c.id())),
                    new Compare(new Field("created"), Op.LT, new Literal(before)))), List.of(), 1, PAGE, true);
            for (int page = 0; page < MAX_PAGES; page++) {
                List<Record> expired = store.query(q).items();
                if (expired.isEmpty()) break;
                removed += delete(rows, expired);
                if (expired.size() < PAGE) break;
            }
        }
        return removed;
    }

    /** One write; should a row be gone or changed meanwhile, each row is tried alone. */
    private int delete(String rows, List<Record> expired) {
        try {
            store.write(expired.stream().<WriteOp>map(r -> new WriteOp.Delete(rows, r.id(), r.version())).toList()).join();
            return expired.size();
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof StoreException.NotFound || e.getCause() instanceof StoreException.VersionConflict)) throw e;
        }
        int n = 0;
        for (Record r : expired) {
            try {
                store.write(List.of(new WriteOp.Delete(rows, r.id(), r.version()))).join();
                n++;
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof StoreException.NotFound || e.getCause() instanceof StoreException.VersionConflict)) throw e;
            }
        }
        return n;
    }
}
