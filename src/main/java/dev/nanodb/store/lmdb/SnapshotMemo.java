package dev.nanodb.store.lmdb;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.lmdbjava.Txn;

/**
 * Values that reads computed from one LMDB snapshot, kept for the later reads of the same snapshot: a list whose
 * rule follows a relation asks, on every request, for the same target ids, the same value counters and the same
 * first index entries, while nothing is written in between.
 *
 * <p>Invariant — a value is never stale: it is stored and returned only for a read-only transaction, under the
 * environment and the transaction id of that transaction, and it must be a function of that snapshot and of its key
 * alone. Within one environment LMDB gives every commit a new, larger id, and every read transaction with one id
 * reads the pages that commit left, so a returned value is exactly what recomputing it would give. A write
 * transaction is never served nor stored (it sees its own uncommitted changes, under an id that is not a committed
 * snapshot's yet, and may abort); a restore opens a new environment, whose ids start over, so values belong to one
 * environment object. One snapshot is kept at a time: the first value stored for a newer snapshot drops the older
 * ones, and a read of an older snapshot (begun before the last commit) computes without the memo. At most
 * {@link #MAX_WEIGHT} units (ids, keys) are kept per snapshot; past that, values are computed and not kept.
 */
final class SnapshotMemo {
    static final int MAX_WEIGHT = 50_000;

    private record Generation(Object env, long txnId, ConcurrentHashMap<Object, Object> values, AtomicInteger weight) {}

    private final AtomicReference<Generation> current = new AtomicReference<>(new Generation(null, -1, null, null));

    /**
     * The value of {@code key} in {@code txn}'s snapshot: memoised, or computed by {@code compute} (which must read
     * only through {@code txn} and return an immutable value) and kept when there is room for its {@code weight} in units.
     */
    <V> V get(Lmdb db, Txn<ByteBuffer> txn, Object key, ToIntFunction<V> weight, Supplier<V> compute) {
        if (!txn.isReadOnly()) return compute.get();
        Object env = db.env;
        long id = txn.getId();
        Generation g = current.get();
        boolean same = g.env() == env && g.txnId() == id;
        if (same) {
            @SuppressWarnings("unchecked") V known = (V) g.values().get(key);
            if (known != null) return known;
        }
        V v = compute.get();
        if (!same) {
            if (g.env() == env && g.txnId() > id) return v;
            Generation fresh = new Generation(env, id, new ConcurrentHashMap<>(), new AtomicInteger());
            g = current.compareAndSet(g, fresh) ? fresh : current.get();
            if (g.env() != env || g.txnId() != id) return v;
        }
        if (v != null && g.weight().addAndGet(Math.max(1, weight.applyAsInt(v))) <= MAX_WEIGHT) g.values().putIfAbsent(key, v);
        return v;
    }
}
