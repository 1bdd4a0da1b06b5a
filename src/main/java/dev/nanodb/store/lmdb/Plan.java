package dev.nanodb.store.lmdb;

import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Filters;
import dev.nanodb.filter.Literal;
import dev.nanodb.filter.Member;
import dev.nanodb.filter.Op;
import dev.nanodb.store.SortKey;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.lmdbjava.Txn;

/**
 * How a query is answered: which keys are walked, in which order, and whether the walk alone decides the filter.
 *
 * <p>The planner uses an index for a conjunct {@code field op literal} ({@code =, <, <=, >, >=}) on an indexed
 * field (or {@code id}); it prefers an equality — the most selective one by its exact counter — then an index
 * that also gives the requested sort, then a range. Otherwise it scans the collection. Two refinements use the
 * exact counters: an equality that every record satisfies is dropped, and an equality matching so many records
 * that ranking them would cost more than walking the sort's index gives way to that walk (its counter still
 * gives the total). Because the key encoding
 * orders values exactly as the filter evaluator compares them, an index range yields exactly the records for
 * which its conjunct holds; other conjuncts are evaluated on each record. An ordering against {@code null}
 * never holds in the evaluator, so it is never turned into a range (the residual evaluation answers it).
 *
 * @param kind      SCAN (records in id order), ID (one id), or INDEX (entries of one index between two keys)
 * @param field     the indexed field for INDEX, the id for ID
 * @param low       first key (inclusive) for SCAN/INDEX
 * @param high      end key (exclusive), null = to the end of the database
 * @param reverse   walk from high to low
 * @param covered   the conjunct the walk decides (null = none)
 * @param residual  what still has to be evaluated per record (null = nothing)
 * @param sorted    the walk's order is the requested order, so a page can stop early
 * @param exactCount the number of matches when counters give it (read while planning, same transaction): one
 *                  equality on a non-unique index and nothing else to evaluate, or no filter left; else -1
 * @param set       the keys of a SET walk; null for the other kinds
 */
record Plan(Kind kind, String field, byte[] low, byte[] high, boolean reverse, Expr covered, Expr residual,
            boolean sorted, long exactCount, MemberSet set) {

    /**
     * SET walks several keys of one kind: the value prefixes of an indexed field, or the record keys when the
     * field is {@code id} ({@code set}, in key order) — a relation path's semi-join ({@link Member}).
     */
    enum Kind { SCAN, ID, INDEX, SET }

    Plan(Kind kind, String field, byte[] low, byte[] high, boolean reverse, Expr covered, Expr residual, boolean sorted,
         long exactCount) {
        this(kind, field, low, high, reverse, covered, residual, sorted, exactCount, null);
    }

    /** A conjunct usable by an index, normalised to {@code field op value}. */
    record Bound(Compare source, String field, Op op, Object value) {}

    /**
     * @param limit {@code offset + perPage} of the page asked for (0 for a count): how many matches a walk in sort
     *              order must find, which decides whether such a walk beats ranking an equality's records
     */
    static Plan make(Lmdb db, Txn<ByteBuffer> txn, SnapshotMemo memo, StoredCollection sc, Expr filter, List<SortKey> sort,
                     long limit) {
        long total = RecordWriter.readCounter(db, txn, IndexKeys.collectionCounter(sc.tag()));
        List<Expr> conjuncts = new ArrayList<>(Filters.conjuncts(filter));
        List<Bound> bounds = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (Expr c : List.copyOf(conjuncts)) {
            Bound b = bound(c, sc);
            if (b == null) continue;
            long n = b.op() == Op.EQ ? count(db, txn, sc, b) : -1;
            if (n == total && total > 0 && !sc.isUnique(b.field()) && !b.field().equals("id")) {
                conjuncts.remove(c);
                continue;
            }
            bounds.add(b);
            counts.add(n);
        }
        SortKey first = sort.isEmpty() ? null : sort.get(0);
        boolean naturalOrder = sort.isEmpty() || (sort.size() == 1 && first.field().equals("id"));
        boolean reverseNatural = first != null && first.field().equals("id") && first.descending();
        boolean sortIndexed = first != null && sort.size() == 1 && sc.indexIds().containsKey(first.field());

        for (Bound b : bounds) {
            if (b.field().equals("id") && b.op() == Op.EQ && b.value() instanceof String id) {
                return new Plan(Kind.ID, id, null, null, false, b.source(), residual(conjuncts, b.source()), true, -1);
            }
        }
        Plan set = memberSet(db, txn, memo, sc, conjuncts, bounds, counts, naturalOrder && !reverseNatural);
        if (set != null) return set;
        Bound eq = null;
        long best = Long.MAX_VALUE;
        for (int i = 0; i < bounds.size(); i++) {
            Bound b = bounds.get(i);
            if (b.op() != Op.EQ || b.field().equals("id")) continue;
            if (counts.get(i) < best) {
                best = counts.get(i);
                eq = b;
            }
        }
        boolean sameField = eq != null && first != null && sort.size() == 1 && first.field().equals(eq.field());
        long sortedSingle = eq != null && (naturalOrder || sameField) ? best : -1;
        Plan composite = CompositePlan.make(db, txn, sc, Filters.conjuncts(filter), conjuncts, sort,
                new CompositePlan.Rival(eq != null, sortedSingle, limit));
        if (composite != null) return composite;
        if (eq != null && !naturalOrder && !sameField && sortIndexed && !sc.isUnique(eq.field())
                && (double) best * best > (double) limit * total) {
            // Ranking the equality's `best` records costs more than walking the sort index until `limit` of them
            // turn up (expected limit * total / best steps); the equality's counter still gives the exact total.
            Plan walk = indexWalk(sc, first.field(), rangeOn(bounds, first.field()), conjuncts, first.descending(), true, -1);
            boolean onlyEq = walk.residual() != null && Filters.conjuncts(walk.residual()).equals(List.of(eq.source()));
            return onlyEq ? walk.withExactCount(best) : walk;
        }
        if (eq != null) {
            byte[] prefix = IndexKeys.valuePrefix(sc.indexIds().get(eq.field()), eq.value());
            boolean sorted = naturalOrder || sameField;
            boolean reverse = sameField ? first.descending() : reverseNatural;
            Expr rest = residual(conjuncts, eq.source());
            long exact = rest == null && !sc.isUnique(eq.field()) ? best : -1;
            return new Plan(Kind.INDEX, eq.field(), prefix, IndexKeys.successor(prefix), reverse, eq.source(), rest,
                    sorted, exact);
        }
        long exactIfNoFilter = conjuncts.isEmpty() ? total : -1;
        if (sortIndexed) {
            return indexWalk(sc, first.field(), rangeOn(bounds, first.field()), conjuncts, first.descending(), true,
                    exactIfNoFilter);
        }
        for (Bound b : bounds) {
            if (!b.field().equals("id")) return indexWalk(sc, b.field(), b, conjuncts, false, false, -1);
        }
        byte[] prefix = IndexKeys.collectionPrefix(sc.tag());
        Bound idRange = rangeOn(bounds, "id");
        if (idRange != null && idRange.value() instanceof String) {
            byte[][] lh = idRange(prefix, idRange);
            return new Plan(Kind.SCAN, "id", lh[0], lh[1], reverseNatural, idRange.source(),
                    residual(conjuncts, idRange.source()), naturalOrder, -1);
        }
        return new Plan(Kind.SCAN, "id", prefix, IndexKeys.successor(prefix), reverseNatural, null,
                residual(conjuncts, null), naturalOrder, exactIfNoFilter);
    }

    /**
     * The walk of the smallest {@link Member} conjunct on {@code id} or an indexed field, when it is smaller than
     * every equality's: a relation path's semi-join then reads only the records whose relation holds a matching id
     * (an indexed field holds single values, so "some id" and "every id" are one condition there). The walk is in
     * id order, so a list in natural order streams its page. Null otherwise. Each conjunct's keys and counters are
     * read once per snapshot ({@link SnapshotMemo}).
     */
    private static Plan memberSet(Lmdb db, Txn<ByteBuffer> txn, SnapshotMemo memo, StoredCollection sc,
                                  List<Expr> conjuncts, List<Bound> bounds, List<Long> counts, boolean ascendingIds) {
        Member best = null;
        MemberSet bestSet = null;
        long bestCount = Long.MAX_VALUE;
        for (Expr c : conjuncts) {
            if (!(c instanceof Member m)) continue;
            String f = m.field().path();
            if (!f.equals("id") && (!sc.indexIds().containsKey(f) || sc.isUnique(f))) continue;
            int prefix = f.equals("id") ? sc.tag() : sc.indexIds().get(f);
            MemberSet set = memo.get(db, txn, new SetKey(f.equals("id"), prefix, m.ids()), s -> s.keys().size(),
                    () -> read(db, txn, f.equals("id"), prefix, m.ids()));
            long n = f.equals("id") ? m.ids().size() : set.count();
            if (n < bestCount) {
                bestCount = n;
                best = m;
                bestSet = set;
            }
        }
        if (best == null) return null;
        for (int i = 0; i < bounds.size(); i++) {
            if (bounds.get(i).op() == Op.EQ && counts.get(i) >= 0 && counts.get(i) < bestCount) return null;
        }
        String f = best.field().path();
        Expr rest = residual(conjuncts, best);
        long exact = rest == null && !f.equals("id") ? bestCount : -1;
        // record keys in key order are ids in order; index values are merged by id (QueryRunner), so the walk gives
        // natural order either way and a page can stop early
        return new Plan(Kind.SET, f, null, null, false, best, rest, ascendingIds, exact, bestSet);
    }

    /** A {@link MemberSet}'s memo key: record keys ({@code prefix} the tag) or index values (the index id). */
    private record SetKey(boolean records, int prefix, java.util.Set<String> ids) {}

    private static MemberSet read(Lmdb db, Txn<ByteBuffer> txn, boolean records, int prefix, java.util.Set<String> ids) {
        long n = 0;
        List<byte[]> keys = new ArrayList<>(ids.size());
        for (String id : ids) {
            if (!records) n += RecordWriter.readCounter(db, txn, IndexKeys.valueCounter(prefix, id));
            byte[] key = records ? IndexKeys.record(prefix, id) : IndexKeys.valuePrefix(prefix, id);
            if (key.length <= IndexKeys.MAX_KEY) keys.add(key);
        }
        keys.sort(KeyCodec::compareBytes);
        return new MemberSet(records ? -1 : n, keys);
    }

    /**
     * Matches of an equality, from its counter (a unique index: at most one). An equality every record of the
     * collection satisfies (its counter equals the collection's) is dropped by {@link #make}: it decides nothing,
     * and evaluating it per record would turn a rule such as {@code owner_id = @request.auth.id} in a one-user
     * collection into a full walk.
     */
    private static long count(Lmdb db, Txn<ByteBuffer> txn, StoredCollection sc, Bound b) {
        if (b.field().equals("id")) return 1;
        if (sc.isUnique(b.field())) return IndexKeys.takesPartInUniqueness(b.value()) ? 1 : Long.MAX_VALUE - 1;
        return RecordWriter.readCounter(db, txn, IndexKeys.valueCounter(sc.indexIds().get(b.field()), b.value()));
    }

    private static Bound rangeOn(List<Bound> bounds, String field) {
        Bound range = null;
        for (Bound b : bounds) if (b.field().equals(field)) range = b;
        return range;
    }

    private Plan withExactCount(long n) {
        return new Plan(kind, field, low, high, reverse, covered, residual, sorted, n);
    }

    private static Plan indexWalk(StoredCollection sc, String field, Bound range, List<Expr> conjuncts,
                                  boolean reverse, boolean sorted, long exactCount) {
        int indexId = sc.indexIds().get(field);
        byte[] prefix = IndexKeys.indexPrefix(indexId);
        if (range == null) {
            return new Plan(Kind.INDEX, field, prefix, IndexKeys.successor(prefix), reverse, null,
                    residual(conjuncts, null), sorted, exactCount);
        }
        byte[][] lh = valueRange(IndexKeys.indexPrefix(indexId), range);
        return new Plan(Kind.INDEX, field, lh[0], lh[1], reverse, range.source(), residual(conjuncts, range.source()),
                sorted, -1);
    }

    /**
     * Key bounds of the entries after {@code base} (an index's prefix, or a composite index's prefix of values)
     * whose next value satisfies {@code field op value}, within the value's type.
     */
    static byte[][] valueRange(byte[] base, Bound b) {
        byte[] at = IndexKeys.concat(base, KeyCodec.encode(b.value()));
        byte[] typeStart = IndexKeys.concat(base, new byte[] {at[base.length]});
        byte[] typeEnd = IndexKeys.successor(typeStart);
        return switch (b.op()) {
            case GT -> new byte[][] {IndexKeys.successor(at), typeEnd};
            case GTE -> new byte[][] {at, typeEnd};
            case LT -> new byte[][] {typeStart, at};
            case LTE -> new byte[][] {typeStart, IndexKeys.successor(at)};
            default -> new byte[][] {at, IndexKeys.successor(at)};
        };
    }

    private static byte[][] idRange(byte[] prefix, Bound b) {
        byte[] at = IndexKeys.concat(prefix, ((String) b.value()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] end = IndexKeys.successor(prefix);
        return switch (b.op()) {
            case GT -> new byte[][] {IndexKeys.concat(at, new byte[] {0}), end};
            case GTE -> new byte[][] {at, end};
            case LT -> new byte[][] {prefix, at};
            default -> new byte[][] {prefix, IndexKeys.concat(at, new byte[] {0})};
        };
    }

    private static Bound bound(Expr e, StoredCollection sc) {
        Bound b = literalBound(e);
        if (b == null) return null;
        String path = b.field();
        if (!path.equals("id") && !sc.indexIds().containsKey(path)) return null;
        if (path.equals("id") && !(b.value() instanceof String s && s.length() <= 64)) return null;
        return b;
    }

    /**
     * A conjunct {@code field op literal} (or {@code literal op field}) an index range can answer, on any field:
     * {@code =, <, <=, >, >=} with a value an index holds and a key leaves room for; an ordering against null never.
     */
    static Bound literalBound(Expr e) {
        if (!(e instanceof Compare c) || c.op().anyOf()) return null;
        Op op = c.op();
        if (op != Op.EQ && op != Op.GT && op != Op.GTE && op != Op.LT && op != Op.LTE) return null;
        Field f;
        Literal l;
        if (c.left() instanceof Field lf && c.right() instanceof Literal ll) {
            f = lf;
            l = ll;
        } else if (c.left() instanceof Literal ll && c.right() instanceof Field rf) {
            f = rf;
            l = ll;
            op = flip(op);
        } else {
            return null;
        }
        if (!KeyCodec.indexable(l.value())) return null;
        if (l.value() == null && op != Op.EQ) return null;
        if (KeyCodec.encode(l.value()).length > IndexKeys.MAX_KEY - 64) return null;
        return new Bound(c, f.path(), op, l.value());
    }

    private static Op flip(Op op) {
        return switch (op) {
            case GT -> Op.LT;
            case GTE -> Op.LTE;
            case LT -> Op.GT;
            case LTE -> Op.GTE;
            default -> op;
        };
    }

    private static Expr residual(List<Expr> conjuncts, Expr covered) {
        Expr out = null;
        for (Expr c : conjuncts) {
            if (c != covered) out = Filters.and(out, c);
        }
        return out;
    }
}
