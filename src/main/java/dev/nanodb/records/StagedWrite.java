package dev.nanodb.records;

import dev.nanodb.error.ApiException;
import dev.nanodb.files.FileService;
import dev.nanodb.store.Change;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.StoreException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A prepared create or update whose uploads are already stored ({@link RecordFiles}): write {@link #prepared()} —
 * alone, or with the other operations of a batch — then report the outcome exactly once, {@link #committed} or
 * {@link #failed}, so that its files follow the durability rule of {@code files}: the uploads of a write that
 * certainly did not commit are removed; the files a committed update no longer names are removed, only then.
 */
public final class StagedWrite {
    private final RecordService.Prepared prepared;
    private final FileService files;
    private final String id;
    private final FileService.Staged staged;
    private final AtomicReference<List<String>> before;

    StagedWrite(RecordService.Prepared prepared, FileService files, String id, FileService.Staged staged,
                AtomicReference<List<String>> before) {
        this.prepared = prepared;
        this.files = files;
        this.id = id;
        this.staged = staged;
        this.before = before;
    }

    public RecordService.Prepared prepared() {
        return prepared;
    }

    /** The write committed as {@code change}: an update's replaced files go. */
    public void committed(Change change) {
        if (before == null) return;
        CollectionDef c = prepared.collection();
        Set<String> kept = new HashSet<>(FileService.names(c, change.record().data()));
        files.removeAfterCommit(c, id, before.get().stream().filter(n -> !kept.contains(n)).toList());
    }

    /** The write was never attempted (another operation of its batch failed first): its uploads go. */
    public void abandoned() {
        files.discard(staged);
    }

    /** The write failed with {@code t}: its uploads go when it certainly did not commit ({@link #certainlyNotWritten}). */
    public void failed(Throwable t) {
        if (certainlyNotWritten(t)) files.discard(staged);
    }

    /**
     * Whether a failed write certainly did not commit (refused before or inside its transaction), so that its files
     * may go. A failure whose outcome is unknown — a connection lost during a PostgreSQL commit — keeps them: a record
     * that did commit then still has its files, and one that did not leaves files no record names (for the sweep).
     */
    static boolean certainlyNotWritten(Throwable t) {
        Throwable cause = t;
        while (cause instanceof CompletionException && cause.getCause() != null) cause = cause.getCause();
        if (cause instanceof StoreException.Unavailable) return false;
        if (cause instanceof ApiException || cause instanceof StoreException) return true;
        return cause.getCause() instanceof ApiException || cause.getCause() instanceof StoreException s
                && !(s instanceof StoreException.Unavailable);
    }
}
