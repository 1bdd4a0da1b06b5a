package dev.nanodb.filter;

/**
 * A constant operand.
 *
 * <p>Invariant: {@code value} is a {@link String}, {@link Long}, {@link Double}, {@link Boolean} or
 * {@code null}. Other boxed types are rejected rather than converted so that structural equality
 * stays predictable ({@code Long 1} and {@code Double 1.0} are different literals, although they
 * compare equal under {@link Values}). Non-finite doubles are representable but the parser never
 * produces them and {@link Printer} refuses them.
 *
 * @param value the constant
 */
public record Literal(Object value) implements Operand {

    /** @throws IllegalArgumentException if {@code value} is not one of the allowed types */
    public Literal {
        if (value != null
                && !(value instanceof String)
                && !(value instanceof Long)
                && !(value instanceof Double)
                && !(value instanceof Boolean)) {
            throw new IllegalArgumentException(
                    "literal must be String, Long, Double, Boolean or null, got " + value.getClass().getName());
        }
    }
}
