package dev.nanodb.store;

import java.nio.file.Path;

/**
 * The optional capability of a store whose whole data can be copied to one file and replaced by such a file
 * (the embedded backend). A backend that delegates backups to its database's own tools (PostgreSQL) does not
 * implement it; callers test {@code store instanceof Snapshots}.
 *
 * <p>Invariants: a snapshot is taken in one read transaction while reads and writes go on, so it holds exactly
 * the writes committed before it started (every write acknowledged before the call, since a write is
 * acknowledged only once durable). A restore changes nothing unless the file passed {@link #verify}.
 */
public interface Snapshots {

    /**
     * Writes a consistent, compacted copy of the whole store to {@code target}, which must not exist. The file
     * appears under that name only when complete (written beside it, synced, then renamed).
     */
    void snapshot(Path target, Operations.Operation progress);

    /**
     * Opens {@code file} read-only, without changing it, and checks that it is a snapshot of this kind of store and
     * that every index and counter agrees with the records.
     *
     * @throws StoreException.InvalidValue on field {@code "file"} when it is not a readable snapshot
     */
    ConsistencyReport verify(Path file);

    /**
     * Replaces the live data with a copy of {@code file}: the copy is staged and verified first (a failure changes
     * nothing); then {@code beforeSwap} runs on the caller's thread (a failure there changes nothing in the store
     * either); then, with writes held back, the live data is snapshotted to {@code previous} and the store
     * swaps to the copy. Writes submitted meanwhile wait and apply to the restored data; definitions are reloaded
     * and every change listener is told with {@link ChangeListener#onReset()}.
     *
     * @param beforeSwap work that must be done once the file is known good and before any record of it is visible
     *                   (a backup's files are stored there)
     * @throws StoreException.InvalidValue on field {@code "file"} when the file does not verify
     */
    void restore(Path file, Path previous, Runnable beforeSwap, Operations.Operation progress);
}
