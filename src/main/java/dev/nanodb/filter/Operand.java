package dev.nanodb.filter;

/**
 * One side of a {@link Compare}: a {@link Field} looked up at evaluation time, a constant {@link Literal}, or a
 * function {@link Call} over fields and literals.
 */
public sealed interface Operand permits Field, Literal, Call {
}
