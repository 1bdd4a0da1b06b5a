package dev.nanodb.filter;

import java.util.List;

/** Terse AST builders for tests. */
final class Ast {

    private Ast() {
    }

    static Field f(String path) {
        return new Field(path);
    }

    static Literal lit(Object value) {
        return new Literal(value);
    }

    /** {@code path op literal}. */
    static Compare cmp(String path, Op op, Object literal) {
        return new Compare(f(path), op, lit(literal));
    }

    static Compare eq(String path, Object literal) {
        return cmp(path, Op.EQ, literal);
    }

    static And and(Expr... terms) {
        return new And(List.of(terms));
    }

    static Or or(Expr... terms) {
        return new Or(List.of(terms));
    }
}
