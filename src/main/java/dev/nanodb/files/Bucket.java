package dev.nanodb.files;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Named objects in an S3-compatible bucket, for what is not a record's file (backup archives). Every method blocks
 * on the network: callers run them off the event loop. A {@link #put} is atomic and durable when it returns (a
 * reader sees the whole object or none); names are the caller's to validate.
 */
public interface Bucket {
    /** Stores the bytes of {@code source} as {@code name}, replacing any object of that name. */
    void put(String name, Path source) throws IOException;

    /** The object, or empty. */
    Optional<FileStorage.Blob> find(String name) throws IOException;

    /** Every object at the bucket's root (no {@code /} in its name), in no particular order. */
    List<Listed> list() throws IOException;

    /** Removes the object; a missing one is not an error. */
    void delete(String name) throws IOException;

    /** One object as listed. */
    record Listed(String name, long size, Instant modified) {}
}
