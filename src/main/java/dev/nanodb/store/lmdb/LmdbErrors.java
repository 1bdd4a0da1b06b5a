package dev.nanodb.store.lmdb;

import dev.nanodb.store.StoreException;
import java.io.File;
import org.lmdbjava.Env;
import org.lmdbjava.LmdbNativeException;

/** The one place where LMDB failures become {@link StoreException}s. */
final class LmdbErrors {
    private static final int EIO = 5;
    private static final int ENOSPC = 28;
    private static final int EDQUOT = 122;
    /** Below this much free space, an EIO from a write is taken for a full disk (see {@link #translate(Throwable, File)}). */
    static final long LOW_SPACE_BYTES = 64L << 20;

    private LmdbErrors() {}

    /**
     * As {@link #translate(Throwable)}, for a failed write to the data folder {@code dataDir}. LMDB reports a short
     * {@code pwrite} — what a file system that fills up in the middle of a commit returns — as EIO, not ENOSPC;
     * an EIO while the file system has less than {@link #LOW_SPACE_BYTES} free is therefore a full disk (507).
     */
    static StoreException translate(Throwable t, File dataDir) {
        if (t instanceof LmdbNativeException ne && ne.getResultCode() == EIO && dataDir.getUsableSpace() < LOW_SPACE_BYTES) {
            return new StoreException.StorageFull(t);
        }
        return translate(t);
    }

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
