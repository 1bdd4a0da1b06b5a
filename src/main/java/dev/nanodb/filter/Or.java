package dev.nanodb.filter;

import java.util.List;
import java.util.Objects;

/**
 * Disjunction of two or more terms.
 *
 * <p>Invariants: {@code terms} is an unmodifiable list of at least two non-null expressions, for
 * the same canonical-shape reason as {@link And}.
 *
 * @param terms the alternative expressions, in source order
 */
public record Or(List<Expr> terms) implements Expr {

    /** @throws IllegalArgumentException if fewer than two terms are given; NPE if any is null */
    public Or {
        Objects.requireNonNull(terms, "terms");
        terms = List.copyOf(terms);
        if (terms.size() < 2) {
            throw new IllegalArgumentException("Or needs at least 2 terms, got " + terms.size());
        }
    }
}
