package dev.nanodb.store.lmdb;

import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Op;
import dev.nanodb.store.SortKey;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.lmdbjava.Txn;

/**
 * The walk of a composite index ({@link IndexSpec}) for a filter with equalities on its leading columns: the
 * entries of those values form one key range, ordered by the next column and then by id. So
 * {@code status = "x" && owner = @request.auth.id} sorted by {@code -created} over an index
 * {@code (status, owner, created)} reads exactly the page, and the prefix's counter gives the exact total.
 *
 * <p>A candidate's equalities are taken from every conjunct of the filter, also those {@link Plan#make} dropped
 * because every record satisfies them (they then bound nothing but still select the prefix). A range on the column
 * after the equalities narrows the walk within the prefix. The walk is in the requested order when the sort is that
 * next column alone and it is the last (entries of one value are then in id order, as ties must be; before a further
 * column they are in that column's order), or when every column is bound by an equality and the order is the
 * natural one.
 */
final class CompositePlan {
    private CompositePlan() {}

    /**
     * What a field's own index offers instead: whether an equality on one exists, and when its walk is in the
     * requested order, how many records it holds ({@code sortedCount}, else -1); {@code limit} is the page's end
     * ({@code offset + perPage}, 0 for a count).
     */
    record Rival(boolean equality, long sortedCount, long limit) {}

    /**
     * A composite walk for {@code filter}, or null when no composite index serves one of its leading columns, or
     * when a field's equality serves it better: a walk out of the requested order must rank every record of its
     * prefix ({@code n}), while a walk in order stops after about {@code limit × sortedCount / n} records, so the
     * composite one is taken only when {@code n² < limit × sortedCount} (always for a count, which its counter gives).
     */
    static Plan make(Lmdb db, Txn<ByteBuffer> txn, StoredCollection sc, List<Expr> all, List<Expr> conjuncts,
                     List<SortKey> sort, Rival rival) {
        Plan best = null;
        int bestEqs = 0;
        for (IndexSpec spec : sc.composites()) {
            Candidate c = candidate(spec, all, sort);
            if (c == null) continue;
            boolean better = c.eqs > bestEqs || c.eqs == bestEqs && best != null && c.sorted && !best.sorted();
            if (!better) continue;
            if (c.eqs < 2 && !c.sorted && rival.equality()) continue;
            Plan p = c.plan(db, txn, conjuncts);
            if (!p.sorted() && rival.sortedCount() >= 0 && rival.limit() > 0) {
                long n = p.exactCount();
                if (n < 0 || (double) n * n >= (double) rival.limit() * rival.sortedCount()) continue;
            }
            best = p;
            bestEqs = c.eqs;
        }
        return best;
    }

    /** What one index offers: its leading equalities, a range on the next column, and whether it gives the order. */
    private record Candidate(IndexSpec spec, int eqs, Object[] values, List<Compare> covered, Plan.Bound range,
                             boolean sorted, boolean reverse) {
        Plan plan(Lmdb db, Txn<ByteBuffer> txn, List<Expr> conjuncts) {
            byte[] prefix = spec.prefix(values, eqs);
            byte[] low = prefix;
            byte[] high = IndexKeys.successor(prefix);
            if (range != null) {
                byte[][] lh = Plan.valueRange(prefix, range);
                low = lh[0];
                high = lh[1];
            }
            Expr covers = null;
            Expr rest = null;
            for (Compare c : covered) covers = dev.nanodb.filter.Filters.and(covers, c);
            for (Expr c : conjuncts) {
                if (!covered.contains(c)) rest = dev.nanodb.filter.Filters.and(rest, c);
            }
            long exact = rest == null && range == null && spec.counts(eqs)
                    ? RecordWriter.readCounter(db, txn, spec.counter(values, eqs)) : -1;
            return new Plan(Plan.Kind.INDEX, spec.key(), low, high, reverse, covers, rest, sorted, exact);
        }
    }

    private static Candidate candidate(IndexSpec spec, List<Expr> all, List<SortKey> sort) {
        List<String> columns = spec.columns();
        Object[] values = new Object[columns.size()];
        List<Compare> covered = new ArrayList<>();
        int eqs = 0;
        int length = 4;
        while (eqs < columns.size()) {
            Plan.Bound eq = find(all, columns.get(eqs), true);
            if (eq == null) break;
            length += KeyCodec.encode(eq.value()).length;
            if (length > IndexKeys.MAX_KEY - 64) break;
            values[eqs++] = eq.value();
            covered.add(eq.source());
        }
        if (eqs == 0) return null;
        String next = eqs < columns.size() ? columns.get(eqs) : null;
        Plan.Bound range = next == null ? null : find(all, next, false);
        if (range != null) covered.add(range.source());
        SortKey first = sort.isEmpty() ? null : sort.get(0);
        boolean natural = sort.isEmpty() || sort.size() == 1 && first.field().equals("id");
        boolean byNext = eqs == columns.size() - 1 && sort.size() == 1 && first.call() == null && first.field().equals(next);
        boolean sorted = byNext || next == null && natural;
        boolean reverse = sorted && first != null && first.descending();
        return new Candidate(spec, eqs, values, covered, range, sorted, reverse);
    }

    /** An equality (or, when {@code equality} is false, a range) on {@code field} among the conjuncts. */
    private static Plan.Bound find(List<Expr> conjuncts, String field, boolean equality) {
        for (Expr e : conjuncts) {
            Plan.Bound b = Plan.literalBound(e);
            if (b == null || !b.field().equals(field) || (b.op() == Op.EQ) != equality) continue;
            if (b.value() == null && !equality) continue;
            return b;
        }
        return null;
    }
}
