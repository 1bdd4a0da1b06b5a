package dev.nanodb.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the bytes of records' files live. Implementations: local disk ({@code files.local}), S3-compatible object
 * storage. Every method may block (disk or network): callers run them off the event loop.
 *
 * <p>Contract (checked for every implementation by the storage contract tests): {@link #put} is durable and atomic
 * when it returns — a reader sees the whole file or none, also after a crash; a key outside the storage's root is
 * impossible by construction ({@link FileKey}); {@link #delete} of a missing key is not an error.
 */
public interface FileStorage {

    /** Stores the bytes of {@code source} (a local file, e.g. a streamed upload) under {@code key}, durably. */
    void put(FileKey key, Path source) throws IOException;

    /**
     * As {@link #put}, for a source the caller no longer needs (a streamed upload): the storage may take the file
     * itself instead of copying its bytes; afterwards {@code source} may be gone.
     */
    default void adopt(FileKey key, Path source) throws IOException {
        put(key, source);
    }

    /** The stored file, or empty. */
    Optional<Blob> find(FileKey key) throws IOException;

    /**
     * Whether {@link #find} is a local file-system lookup (a {@code stat}, microseconds, as cheap as the open that
     * sending a file costs anyway), so that a download may be answered on the event loop without a worker's hop.
     */
    default boolean findsLocally() {
        return false;
    }

    /** Removes the file; a missing file is not an error. */
    void delete(FileKey key) throws IOException;

    /** Every stored file whose key starts with {@code prefix} ({@code ""}: all), in no particular order. */
    List<Entry> list(String prefix) throws IOException;

    /** One stored file as listed: its key and when it was last written. */
    record Entry(FileKey key, Instant modified) {}

    /** A stored file's bytes. */
    interface Blob {
        long size();

        Instant modified();

        /** {@code length} bytes from {@code offset} (both within {@link #size()}); the caller closes the stream. */
        InputStream open(long offset, long length) throws IOException;

        /** The file on local disk, when it is one: then a server may send it without copying through the heap. */
        default Optional<Path> localPath() {
            return Optional.empty();
        }
    }
}
