package dev.nanodb.files;

import dev.nanodb.error.ApiException;
import dev.nanodb.store.Change;
import dev.nanodb.store.ChangeListener;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import dev.nanodb.store.Store;
import java.time.Instant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records' files: checks and stores a write's uploads before the write commits, and removes files once a
 * committed write no longer names them (see the package's durability rule). Every storage call runs on this
 * service's own threads, never on an event loop.
 */
public final class FileService implements ChangeListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileService.class);
    private final FileStorage storage;
    private final Store store;
    private final ExecutorService io = Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon().name("nanodb-files-", 0).factory());
    private final Thumbnails thumbnails;

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
                    FileKey key = new FileKey(c.id(), recordId, FileNames.stored(u.filename()));
                    storage.put(key, u.path());
                    keys.add(key);
                    names.computeIfAbsent(u.part(), k -> new ArrayList<>()).add(key.name());
                }
            } catch (IOException e) {
                remove(keys);
                throw new UncheckedIOException(e);
            }
            return new Staged(names, keys);
        }, io);
    }

    /** A single file field takes one file per write (PocketBase: too many values), so no upload is stored unnamed. */
    private static void single(CollectionDef c, List<Upload> uploads, Map<String, Object> errors) {
        Map<String, Integer> count = new LinkedHashMap<>();
        for (Upload u : uploads) count.merge(u.field(), 1, Integer::sum);
        count.forEach((field, n) -> c.field(field).filter(f -> f.type() == FieldType.FILE && !f.multiple() && n > 1)
                .ifPresent(f -> errors.putIfAbsent(field, ApiException.fieldError("validation_too_many_values",
                        "A single file field takes one file."))));
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
        if (!s.keys().isEmpty()) io.execute(() -> remove(s.keys()));
    }

    /** Removes files a committed write no longer names; call only once the commit is durable. */
    public void removeAfterCommit(CollectionDef c, String recordId, Collection<String> names) {
        if (names.isEmpty()) return;
        List<FileKey> keys = names.stream().filter(FileKey::validSegment).map(n -> new FileKey(c.id(), recordId, n)).toList();
        io.execute(() -> remove(keys));
    }

    public Optional<FileStorage.Blob> find(FileKey key) throws IOException {
        return storage.find(key);
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
     * only by the write that uploaded it, which commits soon after storing it, or never). Runs on the caller's thread.
     *
     * @return how many files were removed
     */
    public int sweep(Instant before) throws IOException {
        int removed = 0;
        for (FileStorage.Entry e : storage.list("")) {
            if (!e.modified().isBefore(before) || named(e.key())) continue;
            storage.delete(e.key());
            removed++;
        }
        return removed;
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

    /** Removes files and their thumbnails (a thumbnail first, so none outlives its original but by a failure). */
    private void remove(List<FileKey> keys) {
        for (FileKey k : keys) {
            try {
                for (FileStorage.Entry t : storage.list(k.thumbnailsPrefix())) storage.delete(t.key());
                storage.delete(k);
            } catch (IOException | RuntimeException e) {
                LOG.warn("could not remove the file {} (the sweep will): {}", k, e.toString());
            }
        }
    }
}
