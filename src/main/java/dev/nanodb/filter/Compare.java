package dev.nanodb.filter;

import java.util.Objects;

/**
 * A single comparison {@code left op right}; the leaves of every filter tree.
 *
 * <p>Either side may be a field or a literal: {@code 10 < views} is as valid as
 * {@code views > 10}, and the operands are evaluated in the order written (see {@link Values#test}).
 *
 * @param left  the left operand, never null
 * @param op    the operator, never null
 * @param right the right operand, never null
 */
public record Compare(Operand left, Op op, Operand right) implements Expr {

    public Compare {
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(right, "right");
    }
}
