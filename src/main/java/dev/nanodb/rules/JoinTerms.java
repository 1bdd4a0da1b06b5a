package dev.nanodb.rules;

import dev.nanodb.filter.And;
import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Operand;
import java.util.ArrayList;
import java.util.List;

/** How {@link CollectionJoin} reads the terms of an expression: joined fields, record fields, conjunctions. */
final class JoinTerms {
    private JoinTerms() {}

    static boolean isRef(Operand o) {
        return o instanceof Field f && f.path().startsWith(CollectionJoin.PREFIX);
    }

    /** The record's own field on the other side of a join comparison, or null. */
    static Field recordField(Compare cmp) {
        if (cmp.left() instanceof Field f && !f.path().startsWith("@")) return f;
        if (cmp.right() instanceof Field f && !f.path().startsWith("@")) return f;
        return null;
    }

    static List<Expr> flatten(And a) {
        List<Expr> out = new ArrayList<>();
        for (Expr t : a.terms()) {
            if (t instanceof And inner) out.addAll(flatten(inner));
            else out.add(t);
        }
        return out;
    }

    static List<Expr> flattenOne(Expr e) {
        return e instanceof And a ? flatten(a) : List.of(e);
    }
}
