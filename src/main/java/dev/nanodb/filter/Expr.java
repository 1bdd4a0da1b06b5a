package dev.nanodb.filter;

/**
 * A parsed filter expression: a boolean tree of {@link And}, {@link Or} and {@link Compare} nodes.
 *
 * <p>All implementations are immutable records with structural {@code equals}, so two filters are
 * equal exactly when their trees are equal. This is what makes the guarantee
 * {@code Filters.parse(Printer.print(e)).equals(e)} meaningful.
 */
public sealed interface Expr permits And, Or, Compare, Not, Member {
}
