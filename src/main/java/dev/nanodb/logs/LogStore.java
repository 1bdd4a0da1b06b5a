package dev.nanodb.logs;

import java.util.List;

/**
 * Where log entries are kept: a bounded, disposable store of its own, apart from the records' store, keyed by
 * {@link LogIds id} (so key order is time order). Implemented by {@code logs.lmdb}; reached only through this
 * interface, so no storage type leaves its package.
 *
 * <p>Writes may come from the writer thread and the cleanup at once and are serialised by the implementation;
 * reads run concurrently with them on a consistent snapshot.
 */
public interface LogStore extends AutoCloseable {
    /** One entry to store: its id, its level (kept beside the JSON so a level cut needs no parsing) and its JSON. */
    record Entry(String id, int level, byte[] json) {}

    /** What a scan sees of one entry; valid only during the {@link Visitor#visit} call that receives it. */
    interface Cursor {
        String id();

        int level();

        /** The entry's JSON (a copy the caller may keep). */
        byte[] json();
    }

    @FunctionalInterface
    interface Visitor {
        /** @return false to stop the scan */
        boolean visit(Cursor entry);
    }

    /**
     * Stores entries. When the store is full the oldest entries make room; of a batch larger than the budget only
     * the newest that fit are stored (the others would be removed at once). Should making room fail, the part not
     * stored is counted in the returned number.
     *
     * @return how many of {@code entries} could not be stored for want of room (0 normally)
     */
    int append(List<Entry> entries);

    /** The JSON of entry {@code id}; null when there is none. */
    byte[] get(String id);

    /** Walks the entries in id order (newest first when {@code descending}), on one snapshot, until the visitor stops. */
    void scan(boolean descending, Visitor visitor);

    /** Removes every entry whose id is at most {@code lastId}; returns how many. */
    long deleteThrough(String lastId);

    /** Removes every entry below {@code level}; returns how many. */
    long deleteBelow(int level);

    /** Removes the oldest entries until at most {@code bytes} remain (as {@link #bytes} counts them); returns how many. */
    long trimTo(long bytes);

    long count();

    /** Bytes the stored entries take in the store's pages (its files take more: index pages and free space). */
    long bytes();

    /** The most bytes of entries this store is meant to hold ({@link #bytes} is kept below it). */
    long budget();

    @Override
    void close();
}
