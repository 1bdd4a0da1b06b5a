package dev.nanodb.filter;

/** One side of a {@link Compare}: a {@link Field} looked up at evaluation time, or a constant {@link Literal}. */
public sealed interface Operand permits Field, Literal {
}
