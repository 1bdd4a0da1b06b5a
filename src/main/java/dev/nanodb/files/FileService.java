package dev.nanodb.files;

import dev.nanodb.error.ApiException;
import dev.nanodb.store.Change;
import dev.nanodb.store.ChangeListener;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import dev.nanodb.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.StampedLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records' files: checks and stores a write's uploads before the write commits, and removes files once a
 * committed write no longer names them (see the package's durability rule). Every storage call runs on this
 * service's own threads, never on an event loop.
 *
 * <p>Removal invariants, which backups and restores rely on: a file is deleted only while no committed record names
 * it, checked just before the delete under the shared side of {@link #removals}; while a {@link Hold} is open
 * (the exclusive side) nothing is deleted — removals asked for meanwhile wait in {@link #deferred} and are checked
 * again when the hold closes. So every file a record names stays in storage as long as a hold taken before the
 * record's data was read (a backup's snapshot) is open, and a restore that stores files and swaps the store under a
 * hold can never see them removed for a commit made before the swap.
 */
public final class FileService implements ChangeListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileService.class);
    private final FileStorage storage;
    private final Store store;
    private final ExecutorService io = Executors.newFixedThreadPool(8, Thread.ofPlatform().daemon().name("nanodb-files-", 0).factory());
    private final Thumbnails thumbnails;
    private final StampedLock removals = new StampedLock();
    private final List<FileKey> deferred = new ArrayList<>();

    /** Removals held back until {@link #close()}. */
    public interface Hold extends AutoCloseable {
        @Override
        void close();
    }

    /** @param store where the records that name files are (for a deleted record's fields and for the sweep) */
    public FileService(FileStorage storage, Store store) {
        this.storage = storage;
        this.store = store;
        this.thumbnails = new Thumbnails(storage);
    }

    /**
     * What a write stored ahead of its commit: the new stored names per form part ({@code avatar}, {@code files+})
     * and their keys, to remove if the write fails.
     */
    public record Staged(Map<String, List<String>> names, List<FileKey> keys) {
        public static final Staged NONE = new Staged(Map.of(), List.of());
    }

    /**
     * Checks every upload against its field (a file field of {@code c}, within its {@code maxSize}, of an allowed
     * type judged on its bytes) before storing any, then stores each under a fresh name in {@code recordId}'s folder.
     * A failure part way removes what was stored.
     */
    public CompletableFuture<Staged> stage(CollectionDef c, String recordId, List<Upload> uploads) {
        if (uploads.isEmpty()) return CompletableFuture.completedFuture(Staged.NONE);
        return CompletableFuture.supplyAsync(() -> {
            Map<String, Object> errors = new LinkedHashMap<>();
            for (Upload u : uploads) check(c, u, errors);
            single(c, uploads, errors);
            if (!errors.isEmpty()) throw new ApiException(400, "Failed to validate the uploaded files.", errors);
            Map<String, List<String>> names = new LinkedHashMap<>();
            List<FileKey> keys = new ArrayList<>();
            try {
                for (Upload u : uploads) {
                    FileKey key = new FileKey(c.id(), recordId, FileNames.stored(u.filename(), () -> MimeSniffer.sniff(u.path())));
                    keys.add(key); // before it is stored: a failure part way (a folder not forced) removes it too
                    storage.adopt(key, u.path());
                    names.computeIfAbsent(u.part(), k -> new ArrayList<>()).add(key.name());
                }
            } catch (IOException | RuntimeException e) {
                remove(keys);
                throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
            }
            return new Staged(names, keys);
        }, io);
    }

    /** A single file field takes one file per write (PocketBase: too many values), so no upload is stored unnamed. */
    private static void single(CollectionDef c, List<Upload> uploads, Map<String, Object> errors) {
        Map<String, Integer> count = new LinkedHashMap<>();
        for (Upload u : uploads) count.merge(u.field(), 1, Integer::sum);
        count.forEach((field, n) -> c.field(field).filter(f -> f.type() == FieldType.FILE && !f.multiple() && n > 1)
                .ifPresent(f -> errors.putIfAbsent(field, ApiException.fieldError("validation_too_many_files",
                        "The maximum allowed files is 1"))));
    }

    private static void check(CollectionDef c, Upload u, Map<String, Object> errors) {
        FieldDef f = c.field(u.field()).filter(d -> d.type() == FieldType.FILE).orElse(null);
        if (f == null) {
            errors.put(u.field(), ApiException.fieldError("validation_file_unsupported", "Not a file field."));
        } else if (u.size() > f.files().effectiveMaxSize()) {
            errors.put(u.field(), ApiException.fieldError("validation_file_size_limit",
                    "Each file may hold at most " + f.files().effectiveMaxSize() + " bytes."));
        } else if (!f.files().mimeTypes().isEmpty()) {
            String type = MimeSniffer.sniff(u.path());
            if (!f.files().mimeTypes().contains(type)) {
                errors.put(u.field(), ApiException.fieldError("validation_invalid_mime_type",
                        "The file's content is " + type + "; allowed: " + String.join(", ", f.files().mimeTypes()) + "."));
            }
        }
    }

    /** Removes what a failed write stored. */
    public void discard(Staged s) {
        discard(s.keys());
    }

    /** Removes files a committed write no longer names; call only once the commit is durable. */
    public void removeAfterCommit(CollectionDef c, String recordId, Collection<String> names) {
        if (names.isEmpty()) return;
        execute(names.stream().filter(FileKey::validSegment).map(n -> new FileKey(c.id(), recordId, n)).toList());
    }

    public Optional<FileStorage.Blob> find(FileKey key) throws IOException {
        return storage.find(key);
    }

    /** See {@link FileStorage#findsLocally()}. */
    public boolean findsLocally() {
        return storage.findsLocally();
    }

    /**
     * The thumbnail of {@code size} of a stored file, made off the caller's thread on first request; empty when the
     * file is no image (by name: PocketBase's PNG, JPEG, GIF, WebP), cannot be decoded, or thumbnails are busy —
     * then the original is to be served, as PocketBase does.
     */
    public CompletableFuture<Optional<FileStorage.Blob>> thumbnail(FileKey original, ThumbSize size) {
        if (!ThumbImage.thumbnailable(original.name())) return CompletableFuture.completedFuture(Optional.empty());
        return thumbnails.get(original, size);
    }

    /** The content type of a thumbnail of the file {@code name}: JPEG for JPEG, GIF for GIF, else PNG. */
    public static String thumbnailType(String name) {
        return "image/" + ThumbImage.format(name);
    }

    /** Every stored file (a backup's file list), in no particular order. */
    public List<FileStorage.Entry> list() throws IOException {
        return storage.list("");
    }

    /**
     * Stores a file of a backup being restored unless its key is taken: a key names one upload for good (names are
     * never reused), so a stored file under it already has these bytes — and a live file is never overwritten.
     *
     * @return whether the file was stored
     */
    public boolean restore(FileKey key, Path source) throws IOException {
        if (storage.find(key).isPresent()) return false;
        storage.put(key, source);
        return true;
    }

    /** Removes files stored for a restore that did not happen (each only if no record names it). */
    public void discard(Collection<FileKey> keys) {
        if (!keys.isEmpty()) execute(List.copyOf(keys));
    }

    /**
     * Holds back every removal, after waiting for those under way, until the hold is closed (a backup or a
     * restore runs meanwhile). Uploads go on.
     */
    public Hold holdRemovals() {
        long stamp = removals.writeLock();
        return () -> {
            List<FileKey> later;
            synchronized (deferred) {
                removals.unlockWrite(stamp);
                later = List.copyOf(deferred);
                deferred.clear();
            }
            if (!later.isEmpty()) execute(later);
        };
    }

    /** A deleted record's files go once its delete (direct, cascaded or in a batch) has committed. */
    @Override
    public void onCommit(List<Change> changes) {
        for (Change ch : changes) {
            if (ch.action() != Change.Action.DELETE) continue;
            CollectionDef c = store.collection(ch.collectionId()).orElse(null);
            if (c != null) removeAfterCommit(c, ch.record().id(), names(c, ch.record().data()));
        }
    }

    /** Every file name the file fields of {@code c} hold in {@code data}. */
    public static List<String> names(CollectionDef c, Map<String, Object> data) {
        List<String> out = new ArrayList<>();
        for (FieldDef f : c.fields()) {
            if (f.type() == FieldType.FILE) out.addAll(namesIn(data.get(f.name())));
        }
        return out;
    }

    /** The file names one file field's value holds: one name, a list of them, or none. */
    public static List<String> namesIn(Object value) {
        if (value instanceof String s) return s.isEmpty() ? List.of() : List.of(s);
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> l) for (Object o : l) if (o instanceof String s && !s.isEmpty()) out.add(s);
        return out;
    }

    /**
     * Removes stored files that no committed record names and that are older than {@code before}: left by a crash
     * between storing and committing, a commit whose outcome was lost, a batch update, a deleted collection or file
     * field. Safe against writes in flight as long as {@code before} is older than any write takes (a file is named
     * only by the write that uploaded it, which commits soon after storing it, or never). Runs on the caller's thread;
     * stops early while a {@link Hold} is open (the next sweep goes on).
     *
     * @return how many files were removed
     */
    public int sweep(Instant before) throws IOException {
        int removed = 0;
        for (FileStorage.Entry e : storage.list("")) {
            if (!e.modified().isBefore(before)) continue;
            long stamp = removals.tryReadLock();
            if (stamp == 0) break;
            try {
                if (removeUnnamed(e.key())) removed++;
            } finally {
                removals.unlockRead(stamp);
            }
        }
        return removed;
    }

    /**
     * Deletes the file unless a committed record names it, an original's thumbnails first (so none outlives it but
     * by a failure); the caller holds the shared side of {@link #removals}.
     */
    private boolean removeUnnamed(FileKey key) throws IOException {
        if (named(key)) return false;
        if (key.thumb() == null) for (FileStorage.Entry t : storage.list(key.thumbnailsPrefix())) storage.delete(t.key());
        storage.delete(key);
        return true;
    }

    private boolean named(FileKey key) {
        CollectionDef c = store.collection(key.collectionId()).orElse(null);
        if (c == null || !c.id().equals(key.collectionId())) return false;
        return store.get(c.name(), key.recordId()).map(r -> names(c, r.data()).contains(key.name())).orElse(false);
    }

    @Override
    public void close() {
        thumbnails.close();
        io.shutdown();
    }

    private void execute(List<FileKey> keys) {
        try {
            io.execute(() -> remove(keys));
        } catch (RejectedExecutionException closing) {
            LOG.debug("{} files left for the sweep: the file service is closing", keys.size());
        }
    }

    /** Deletes each file no record names, or keeps them all for later while a {@link Hold} is open. */
    private void remove(List<FileKey> keys) {
        long stamp;
        synchronized (deferred) {
            stamp = removals.tryReadLock();
            if (stamp == 0) {
                deferred.addAll(keys);
                return;
            }
        }
        try {
            for (FileKey k : keys) {
                try {
                    removeUnnamed(k);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("could not remove the file {} (the sweep will): {}", k, e.toString());
                }
            }
        } finally {
            removals.unlockRead(stamp);
        }
    }
}
