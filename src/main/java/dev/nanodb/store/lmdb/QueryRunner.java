package dev.nanodb.store.lmdb;

import dev.nanodb.filter.Evaluator;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Values;
import dev.nanodb.store.Page;
import dev.nanodb.store.Query;
import dev.nanodb.store.Record;
import dev.nanodb.store.SortKey;
import dev.nanodb.store.StoreException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ThreadLocalRandom;
import org.lmdbjava.Cursor;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * Executes a {@link Plan} inside one read transaction, so a page and its totals come from the same snapshot.
 *
 * <p>Totals are always exact: they come from a stored counter when the plan allows it, otherwise from counting
 * every match. When the walk's order is not the requested order, matches are ranked with a bounded heap of
 * (sort values, id) — never more than {@code offset + perPage} entries — and only the page's records are kept.
 * Ties are broken by id, in the direction of the first sort key, which is also the order an index walk yields.
 */
final class QueryRunner {
    /** Most entries a sort that no index provides may rank, so a deep page cannot exhaust a small heap. */
    static final int MAX_RANKED = 50_000;
    private final Lmdb db;
    private final SnapshotMemo memo = new SnapshotMemo();

    QueryRunner(Lmdb db) {
        this.db = db;
    }


    /** Visits candidate records of a plan in walk order; returns false from the visitor to stop. */
    interface Visitor {
        boolean visit(String id, ByteBuffer indexOrRecordValue);
    }

    Page run(Txn<ByteBuffer> txn, StoredCollection sc, Query q) {
        Plan plan = Plan.make(db, txn, memo, sc, q.filter(), q.sort(), q.offset() + q.perPage());
        return plan.sorted() ? streamed(txn, sc, q, plan) : ranked(txn, sc, q, plan);
    }

    /**
     * See {@link dev.nanodb.store.Store#ids}: the plan's walk, reading a record only to evaluate a residual filter;
     * once per snapshot for one collection, filter and limit ({@link SnapshotMemo}).
     */
    List<String> ids(Txn<ByteBuffer> txn, StoredCollection sc, Expr filter, int limit) {
        return memo.get(db, txn, new IdsKey(sc, filter, limit), List::size, () -> List.copyOf(walkIds(txn, sc, filter, limit)));
    }

    /** The key of {@link #ids}: the collection as installed (identity: its index ids decide the plan), filter, limit. */
    private record IdsKey(StoredCollection sc, Expr filter, int limit) {
        @Override
        public boolean equals(Object o) {
            return o instanceof IdsKey k && k.sc == sc && k.limit == limit && java.util.Objects.equals(k.filter, filter);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(sc) * 31 * 31 + java.util.Objects.hashCode(filter) * 31 + limit;
        }
    }

    private List<String> walkIds(Txn<ByteBuffer> txn, StoredCollection sc, Expr filter, int limit) {
        Plan plan = Plan.make(db, txn, memo, sc, filter, List.of(), limit);
        List<String> out = new ArrayList<>();
        try (Loader kb = new Loader(txn, sc)) {
            walk(txn, sc, plan, (id, v) -> {
                if (plan.residual() == null || matches(txn, sc, plan, id, v, kb) != null) out.add(id);
                return out.size() < limit;
            });
        }
        return out;
    }

    long count(Txn<ByteBuffer> txn, StoredCollection sc, Expr filter) {
        if (filter == null) return RecordWriter.readCounter(db, txn, IndexKeys.collectionCounter(sc.tag()));
        Plan plan = Plan.make(db, txn, memo, sc, filter, List.of(), 0);
        if (plan.exactCount() >= 0) return plan.exactCount();
        long[] n = {0};
        try (Loader kb = new Loader(txn, sc)) {
            walk(txn, sc, plan, (id, v) -> {
                if (plan.residual() == null || matches(txn, sc, plan, id, v, kb) != null) n[0]++;
                return true;
            });
        }
        return n[0];
    }

    /**
     * The page when the plan bounds the work (see {@link dev.nanodb.store.Store#queryBounded}), else null. A plan
     * with a residual filter is never bounded, even by id: the filter's cost grows with the records it reads (a
     * {@code ~} over a megabyte-long value), and the caller runs this on an event loop.
     */
    Page runBounded(Txn<ByteBuffer> txn, StoredCollection sc, Query q) {
        Plan plan = Plan.make(db, txn, memo, sc, q.filter(), q.sort(), q.offset() + q.perPage());
        boolean totalsFree = q.skipTotal() || q.filter() == null || plan.exactCount() >= 0;
        boolean bounded = plan.residual() == null
                && (plan.kind() == Plan.Kind.ID || plan.sorted() && totalsFree && q.offset() <= 10_000);
        return bounded ? (plan.sorted() ? streamed(txn, sc, q, plan) : ranked(txn, sc, q, plan)) : null;
    }

    private Page streamed(Txn<ByteBuffer> txn, StoredCollection sc, Query q, Plan plan) {
        try (Loader kb = new Loader(txn, sc)) {
            return streamed(txn, sc, q, plan, kb);
        }
    }

    private Page streamed(Txn<ByteBuffer> txn, StoredCollection sc, Query q, Plan plan, Loader kb) {
        List<Record> items = new ArrayList<>(Math.min(q.perPage(), 64));
        long offset = q.offset();
        Long known = knownTotal(txn, sc, q, plan);
        boolean needCount = !q.skipTotal() && known == null;
        long[] matched = {0};
        walk(txn, sc, plan, (id, v) -> {
            long index = matched[0];
            boolean inPage = index >= offset && index < offset + q.perPage();
            if (plan.residual() == null && !inPage) {
                matched[0]++;
                return needCount || index < offset;
            }
            Record r = matches(txn, sc, plan, id, v, kb);
            if (r == null) return true;
            if (inPage) items.add(r);
            matched[0]++;
            return needCount || matched[0] < offset + q.perPage();
        });
        return Page.of(q, items, known != null ? known : matched[0]);
    }

    private Long knownTotal(Txn<ByteBuffer> txn, StoredCollection sc, Query q, Plan plan) {
        if (q.skipTotal()) return 0L;
        if (q.filter() == null) return RecordWriter.readCounter(db, txn, IndexKeys.collectionCounter(sc.tag()));
        if (plan.exactCount() >= 0) return plan.exactCount();
        return null;
    }

    private record Ranked(Object[] keys, String id) {}

    private Page ranked(Txn<ByteBuffer> txn, StoredCollection sc, Query q, Plan plan) {
        try (Loader kb = new Loader(txn, sc)) {
            return ranked(txn, sc, q, plan, kb);
        }
    }

    private Page ranked(Txn<ByteBuffer> txn, StoredCollection sc, Query q, Plan plan, Loader kb) {
        List<SortKey> sort = q.sort();
        Comparator<Ranked> order = rankOrder(sort);
        long limit = q.offset() + q.perPage();
        if (limit > MAX_RANKED) {
            throw new StoreException.InvalidValue("page", "Pages past the first " + MAX_RANKED + " records need a sort on"
                    + " an indexed field (or a filter that narrows the list).");
        }
        PriorityQueue<Ranked> heap = new PriorityQueue<>(order.reversed());
        long[] matched = {0};
        // Ranked by id alone with nothing left to evaluate (a semi-join's walk): the walk's ids decide, and only the
        // page's records are read.
        boolean idsDecide = sort.isEmpty() && plan.residual() == null && plan.kind() != Plan.Kind.SCAN;
        walk(txn, sc, plan, (id, v) -> {
            Record r = idsDecide ? null : matches(txn, sc, plan, id, v, kb);
            if (r == null && !idsDecide) return true;
            matched[0]++;
            Object[] keys = new Object[sort.size()];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = sort.get(i).random() ? ThreadLocalRandom.current().nextLong() : sort.get(i).value(r::resolve);
            }
            Ranked entry = new Ranked(keys, id);
            if (heap.size() < limit) {
                heap.add(entry);
            } else if (order.compare(entry, heap.peek()) < 0) {
                heap.poll();
                heap.add(entry);
            }
            return true;
        });
        List<Ranked> all = new ArrayList<>(heap);
        all.sort(order);
        List<Record> items = new ArrayList<>();
        for (long i = q.offset(); i < all.size(); i++) {
            items.add(kb.load(all.get((int) i).id()));
        }
        return Page.of(q, items, matched[0]);
    }

    private static Comparator<Ranked> rankOrder(List<SortKey> sort) {
        boolean idDesc = !sort.isEmpty() && sort.get(0).descending();
        return (a, b) -> {
            for (int i = 0; i < sort.size(); i++) {
                int c = Values.compare(a.keys()[i], b.keys()[i]);
                if (c != 0) return sort.get(i).descending() ? -c : c;
            }
            int c = Values.compareStrings(a.id(), b.id());
            return idDesc ? -c : c;
        };
    }

    /** The record if it satisfies the plan's residual filter, else null. */
    private Record matches(Txn<ByteBuffer> txn, StoredCollection sc, Plan plan, String id, ByteBuffer v, Loader kb) {
        Record r = plan.kind() == Plan.Kind.SCAN ? RecordCodec.decode(id, Lmdb.bytes(v)) : kb.load(id);
        if (r == null) return null;
        if (plan.residual() != null && !Evaluator.test(plan.residual(), r::resolve)) return null;
        return r;
    }

    /**
     * The point reads of one query: one key buffer and one records cursor. LMDB's cursor lookup first checks the
     * page it is already on, so reading ids in key order (as an index walk yields them within one value) mostly
     * skips the descent from the root. Closed by the query's end (the read transaction's end closes it anyway).
     */
    private final class Loader implements AutoCloseable {
        private final Txn<ByteBuffer> txn;
        private final StoredCollection sc;
        private final ByteBuffer kb = Lmdb.keyBufferB();
        private Cursor<ByteBuffer> cursor;

        Loader(Txn<ByteBuffer> txn, StoredCollection sc) {
            this.txn = txn;
            this.sc = sc;
        }

        Record load(String id) {
            if (cursor == null) cursor = db.records.openCursor(txn);
            if (!cursor.get(Lmdb.fill(kb, IndexKeys.record(sc.tag(), id)), GetOp.MDB_SET_KEY)) return null;
            return RecordCodec.decode(id, Lmdb.bytes(cursor.val()));
        }

        @Override
        public void close() {
            if (cursor != null) cursor.close();
        }
    }

    private void walk(Txn<ByteBuffer> txn, StoredCollection sc, Plan plan, Visitor visitor) {
        if (plan.kind() == Plan.Kind.ID) {
            byte[] key = IndexKeys.record(sc.tag(), plan.field());
            if (key.length > IndexKeys.MAX_KEY) return;
            ByteBuffer v = db.records.get(txn, Lmdb.keyB(key));
            if (v != null) visitor.visit(plan.field(), v);
            return;
        }
        if (plan.kind() == Plan.Kind.SET) {
            walkSet(txn, plan, visitor);
            return;
        }
        org.lmdbjava.Dbi<ByteBuffer> dbi = plan.kind() == Plan.Kind.SCAN ? db.records : db.index;
        try (Cursor<ByteBuffer> c = dbi.openCursor(txn)) {
            boolean ok = plan.reverse() ? seekLast(c, plan.high()) : c.get(Lmdb.keyA(plan.low()), GetOp.MDB_SET_RANGE);
            while (ok) {
                byte[] key = Lmdb.bytes(c.key());
                if (plan.reverse() ? KeyCodec.compareBytes(key, plan.low()) < 0
                        : plan.high() != null && KeyCodec.compareBytes(key, plan.high()) >= 0) {
                    break;
                }
                String id = plan.kind() == Plan.Kind.SCAN ? new String(key, 4, key.length - 4, StandardCharsets.US_ASCII)
                        : IndexKeys.idOf(key, c.val());
                if (!visitor.visit(id, c.val())) break;
                ok = plan.reverse() ? c.prev() : c.next();
            }
        }
    }

    /**
     * Each key of a SET plan in turn: a record by id, or every entry of one value of an index; for a sorted plan
     * the index values' entries are merged in id order.
     */
    private void walkSet(Txn<ByteBuffer> txn, Plan plan, Visitor visitor) {
        boolean ids = plan.field().equals("id");
        if (!ids && plan.sorted()) {
            mergeSet(txn, plan, visitor);
            return;
        }
        try (Cursor<ByteBuffer> c = (ids ? db.records : db.index).openCursor(txn)) {
            for (byte[] prefix : plan.set().keys()) {
                if (ids) {
                    if (c.get(Lmdb.keyA(prefix), GetOp.MDB_SET_KEY)
                            && !visitor.visit(new String(prefix, 4, prefix.length - 4, StandardCharsets.US_ASCII), c.val())) {
                        return;
                    }
                    continue;
                }
                byte[] end = IndexKeys.successor(prefix);
                for (boolean ok = c.get(Lmdb.keyA(prefix), GetOp.MDB_SET_RANGE); ok; ok = c.next()) {
                    byte[] key = Lmdb.bytes(c.key());
                    if (KeyCodec.compareBytes(key, end) >= 0) break;
                    if (!visitor.visit(IndexKeys.idOf(key, c.val()), c.val())) return;
                }
            }
        }
    }

    /**
     * The entries of several values of a non-unique index in id order: each value's entries are sorted by id (the
     * key ends with it), so a merge of their heads yields ids in order, reading only as many entries as the
     * visitor takes, plus the first entry of each value once per snapshot ({@link MemberSet.Heads}). The entry after
     * a head is the first key above it: the head's key with a zero byte appended.
     */
    private void mergeSet(Txn<ByteBuffer> txn, Plan plan, Visitor visitor) {
        try (Cursor<ByteBuffer> c = db.index.openCursor(txn)) {
            List<MemberSet.Head> first = plan.set().heads().get();
            if (first == null || !txn.isReadOnly()) {
                List<MemberSet.Head> read = new ArrayList<>(plan.set().keys().size());
                for (byte[] prefix : plan.set().keys()) {
                    MemberSet.Head h = head(c, c.get(Lmdb.keyA(prefix), GetOp.MDB_SET_RANGE), IndexKeys.successor(prefix));
                    if (h != null) read.add(h);
                }
                if (txn.isReadOnly()) plan.set().heads().set(read);
                first = read;
            }
            PriorityQueue<MemberSet.Head> heads = new PriorityQueue<>(Math.max(1, first.size()),
                    Comparator.comparing(MemberSet.Head::id));
            heads.addAll(first);
            for (MemberSet.Head h; (h = heads.poll()) != null; ) {
                if (!visitor.visit(h.id(), null)) return;
                byte[] after = java.util.Arrays.copyOf(h.key(), h.key().length + 1);
                MemberSet.Head next = after.length <= IndexKeys.MAX_KEY
                        ? head(c, c.get(Lmdb.keyA(after), GetOp.MDB_SET_RANGE), h.end())
                        : head(c, c.get(Lmdb.keyA(h.key()), GetOp.MDB_SET_KEY) && c.next(), h.end());
                if (next != null) heads.add(next);
            }
        }
    }

    private static MemberSet.Head head(Cursor<ByteBuffer> c, boolean positioned, byte[] end) {
        if (!positioned) return null;
        byte[] key = Lmdb.bytes(c.key());
        if (end != null && KeyCodec.compareBytes(key, end) >= 0) return null;
        return new MemberSet.Head(IndexKeys.idOf(key, c.val()), key, end);
    }

    /** Positions on the last key below {@code high} (or the last key when high is null). */
    private static boolean seekLast(Cursor<ByteBuffer> c, byte[] high) {
        if (high == null) return c.last();
        if (c.get(Lmdb.keyA(high), GetOp.MDB_SET_RANGE)) return c.prev();
        return c.last();
    }
}
