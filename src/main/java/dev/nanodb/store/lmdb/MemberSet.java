package dev.nanodb.store.lmdb;

import java.util.List;

/**
 * The keys a {@link Plan.Kind#SET} plan walks for one {@link dev.nanodb.filter.Member} conjunct, read in one
 * snapshot: record keys in key order (field {@code id}) or the value prefixes of an index in key order, and the
 * number of records they hold. As a {@link SnapshotMemo} value it is shared by the reads of that snapshot, so it
 * is immutable but for {@link #heads}, which every reader of the snapshot would compute alike.
 *
 * @param count the records the keys hold: the sum of the values' counters (-1 for record keys, not counted)
 * @param keys  the keys, each at most {@link IndexKeys#MAX_KEY} bytes
 */
record MemberSet(long count, List<byte[]> keys, Heads heads) {
    /** An index value's next entry in an id-ordered merge of several values: its id, its key, its value's end. */
    record Head(String id, byte[] key, byte[] end) {}

    /** The first entry of each index value with one, once a merge has read them; set at most once per snapshot. */
    static final class Heads {
        private volatile List<Head> first;

        List<Head> get() {
            return first;
        }

        void set(List<Head> heads) {
            first = List.copyOf(heads);
        }
    }

    MemberSet(long count, List<byte[]> keys) {
        this(count, List.copyOf(keys), new Heads());
    }
}
