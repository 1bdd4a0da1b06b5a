package dev.nanodb.rules;

import dev.nanodb.filter.And;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Or;
import java.util.ArrayList;
import java.util.List;

/**
 * Conjunctions and disjunctions of terms that are either an {@link Expr} or a {@link Boolean} already decided,
 * folded: the answer is a Boolean when the constants decide it, else an Expr of the undecided terms.
 */
final class Folding {
    private Folding() {}

    static Object and(List<?> terms) {
        return combine(terms, true);
    }

    static Object or(List<?> terms) {
        return combine(terms, false);
    }

    /** {@code f} equals one of {@code values} (each distinct value once): an Expr, or false for no value. */
    static Object anyEqual(dev.nanodb.filter.Field f, java.util.Collection<?> values) {
        List<Object> any = new ArrayList<>();
        for (Object v : new java.util.LinkedHashSet<>(values)) {
            any.add(new dev.nanodb.filter.Compare(f, dev.nanodb.filter.Op.EQ, Access.literal(v)));
        }
        return or(any);
    }

    private static Object combine(List<?> terms, boolean conjunction) {
        List<Expr> kept = new ArrayList<>();
        for (Object t : terms) {
            if (t instanceof Expr x) kept.add(x);
            else if ((Boolean) t != conjunction) return !conjunction;
        }
        if (kept.isEmpty()) return conjunction;
        if (kept.size() == 1) return kept.get(0);
        return conjunction ? new And(kept) : new Or(kept);
    }
}
