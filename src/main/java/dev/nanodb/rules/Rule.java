package dev.nanodb.rules;

import dev.nanodb.filter.Expr;
import dev.nanodb.filter.FilterSyntaxException;
import dev.nanodb.filter.Filters;

/**
 * One rule as compiled: {@code null} source = superusers only ({@link #locked}), blank = everyone
 * ({@link #open}), otherwise a parsed expression.
 *
 * <p>A stored rule that no longer parses (it was validated when saved, so only a hand-edited store could hold
 * one) compiles as locked: a broken rule must never open a collection.
 */
public record Rule(String source, Expr expr) {
    static Rule compile(String source) {
        if (source == null) return new Rule(null, null);
        try {
            return new Rule(source, Filters.parse(source));
        } catch (FilterSyntaxException e) {
            return new Rule(null, null);
        }
    }

    public boolean locked() {
        return source == null;
    }

    public boolean open() {
        return source != null && expr == null;
    }
}
