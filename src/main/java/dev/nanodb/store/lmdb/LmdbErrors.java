package dev.nanodb.store.lmdb;

import dev.nanodb.store.StoreException;
import org.lmdbjava.Env;
import org.lmdbjava.LmdbNativeException;

/** The one place where LMDB failures become {@link StoreException}s. */
final class LmdbErrors {
    private static final int ENOSPC = 28;
    private static final int EDQUOT = 122;

    private LmdbErrors() {}

    static StoreException translate(Throwable t) {
        if (t instanceof StoreException se) return se;
        if (t instanceof Env.MapFullException) return new StoreException.StorageFull(t);
        if (t instanceof LmdbNativeException ne && (ne.getResultCode() == ENOSPC || ne.getResultCode() == EDQUOT)) {
            return new StoreException.StorageFull(t);
        }
        if (t instanceof LmdbNativeException || t instanceof org.lmdbjava.LmdbException) {
            return new StoreException.Unavailable("The storage could not complete the operation.", t);
        }
        return new StoreException.Unavailable("Unexpected storage failure.", t);
    }
}
