package dev.nanodb.filter;

import java.util.List;
import java.util.Objects;

/**
 * Conjunction of two or more terms.
 *
 * <p>Invariants: {@code terms} is an unmodifiable list of at least two non-null expressions. A
 * single-term conjunction is not representable, so every tree has one canonical shape; the parser
 * flattens {@code a && b && c} into one node, while a parenthesised conjunction inside it stays a
 * nested node (the tree mirrors what was written, and printing restores the parentheses).
 *
 * @param terms the conjoined expressions, in source order
 */
public record And(List<Expr> terms) implements Expr {

    /** @throws IllegalArgumentException if fewer than two terms are given; NPE if any is null */
    public And {
        Objects.requireNonNull(terms, "terms");
        terms = List.copyOf(terms);
        if (terms.size() < 2) {
            throw new IllegalArgumentException("And needs at least 2 terms, got " + terms.size());
        }
    }
}
