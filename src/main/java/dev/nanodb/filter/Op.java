package dev.nanodb.filter;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Comparison operators, each with its source symbol.
 *
 * <p>The {@code ANY_*} ("any-of", written with a leading {@code ?}) variants differ from their
 * {@linkplain #base() base} operator only when the left value is a list: they hold if some element
 * satisfies the base operator. Semantics are defined in {@link Values#test}.
 */
public enum Op {
    EQ("="),
    NEQ("!="),
    GT(">"),
    GTE(">="),
    LT("<"),
    LTE("<="),
    /** Case-insensitive "contains", or a SQL LIKE pattern when the right side contains {@code %}. */
    LIKE("~"),
    NOT_LIKE("!~"),
    ANY_EQ("?=", EQ),
    ANY_NEQ("?!=", NEQ),
    ANY_GT("?>", GT),
    ANY_GTE("?>=", GTE),
    ANY_LT("?<", LT),
    ANY_LTE("?<=", LTE),
    ANY_LIKE("?~", LIKE),
    ANY_NOT_LIKE("?!~", NOT_LIKE);

    private static final Map<String, Op> BY_SYMBOL = new HashMap<>();

    static {
        for (Op op : values()) {
            BY_SYMBOL.put(op.symbol, op);
        }
    }

    private final String symbol;
    private final Op base;

    Op(String symbol) {
        this.symbol = symbol;
        this.base = null;
    }

    Op(String symbol, Op base) {
        this.symbol = symbol;
        this.base = base;
    }

    /** The operator as written in filter text, e.g. {@code ?>=}. */
    public String symbol() {
        return symbol;
    }

    /** Whether this is an any-of ({@code ?}-prefixed) operator. */
    public boolean anyOf() {
        return base != null;
    }

    /** The plain operator applied per element: {@code ANY_GT.base() == GT}; plain operators return themselves. */
    public Op base() {
        return base == null ? this : base;
    }

    /** The operator written as {@code symbol}, if any. */
    public static Optional<Op> fromSymbol(String symbol) {
        return Optional.ofNullable(BY_SYMBOL.get(symbol));
    }
}
