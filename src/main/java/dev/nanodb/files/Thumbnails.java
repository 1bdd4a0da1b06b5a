package dev.nanodb.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thumbnails made on first request and kept in the file storage beside their original ({@link FileKey#thumbnail}).
 * A stored file never changes under its name (names are never reused), so a stored thumbnail is never stale.
 *
 * <p>Bounds: at most {@link #WORKERS} thumbnails are made at once, on this class's own threads (never an event loop);
 * one request for a thumbnail already being made waits for that one (one generation per key); when
 * {@link #QUEUE} requests already wait, a further one is answered with "no thumbnail" at once and the caller
 * serves the original — PocketBase's fallback, which keeps a burst of first requests from piling up work.
 */
final class Thumbnails implements AutoCloseable {
    static final int WORKERS = 2;
    static final int QUEUE = 256;
    /** Originals larger than this are not thumbnailed (an image that large is beyond {@link ThumbImage}'s bounds anyway). */
    static final long MAX_SOURCE_BYTES = 64L << 20;
    /** How many thumbnails known to be impossible are remembered (the table starts over when full). */
    static final int REMEMBERED = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(Thumbnails.class);
    private final FileStorage storage;
    private final ConcurrentHashMap<FileKey, CompletableFuture<Optional<FileStorage.Blob>>> pending = new ConcurrentHashMap<>();
    /**
     * Thumbnails found impossible (no image the readers take, too large): a stored file never changes under its
     * name, so asking again would only read the original again (from S3: download it) to the same end.
     */
    private final java.util.Set<FileKey> impossible = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE), Thread.ofPlatform().daemon().name("nanodb-thumbs-", 0).factory());

    Thumbnails(FileStorage storage) {
        this.storage = storage;
    }

    /** The stored thumbnail, made now if missing; empty when the original is missing or no image that can be made one. */
    CompletableFuture<Optional<FileStorage.Blob>> get(FileKey original, ThumbSize size) {
        FileKey key = original.thumbnail(size);
        if (impossible.contains(key)) return CompletableFuture.completedFuture(Optional.empty());
        CompletableFuture<Optional<FileStorage.Blob>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<FileStorage.Blob>> running = pending.putIfAbsent(key, mine);
        if (running != null) return running;
        try {
            workers.execute(() -> {
                try {
                    mine.complete(storage.find(key).or(() -> make(original, key, size)));
                } catch (IOException | RuntimeException | Error e) {
                    LOG.warn("could not make the thumbnail {} (the original is served): {}", key, e.toString());
                    mine.complete(Optional.empty());
                } finally {
                    pending.remove(key, mine);
                }
            });
        } catch (RejectedExecutionException busy) {
            pending.remove(key, mine);
            mine.complete(Optional.empty());
        }
        return mine;
    }

    private Optional<FileStorage.Blob> make(FileKey original, FileKey key, ThumbSize size) {
        Path copy = null;
        Path out = null;
        try {
            FileStorage.Blob blob = storage.find(original).orElse(null);
            if (blob == null) return Optional.empty();
            if (blob.size() > MAX_SOURCE_BYTES) return impossible(key);
            Path source = blob.localPath().orElse(null);
            if (source == null) {
                source = copy = Files.createTempFile("nanodb-original-", ".tmp");
                try (InputStream in = blob.open(0, blob.size())) {
                    Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            out = Files.createTempFile("nanodb-thumb-", ".tmp");
            if (!ThumbImage.write(source, size, ThumbImage.format(original.name()), out)) return impossible(key);
            storage.put(key, out);
            return storage.find(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTemp(out);
            deleteTemp(copy);
        }
    }

    private Optional<FileStorage.Blob> impossible(FileKey key) {
        if (impossible.size() >= REMEMBERED) impossible.clear();
        impossible.add(key);
        return Optional.empty();
    }

    private static void deleteTemp(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("could not remove the temporary file {}: {}", p, e.toString());
        }
    }

    @Override
    public void close() {
        workers.shutdown();
    }
}
