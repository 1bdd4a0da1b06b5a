package dev.nanodb.filter;

import java.util.Objects;

/**
 * The negation of a term. Never produced by the parser (the filter language has no negation): the relation-path
 * planner builds it, for "every related record matches" (no related record fails) and for the records of a target
 * collection that fail a condition. {@link Evaluator} and {@link SqlCompiler} give it two-valued semantics: the
 * opposite of the term's true/false answer (SQL NULL of the term counts as false, so its negation is true).
 *
 * @param term the negated expression, never null
 */
public record Not(Expr term) implements Expr {
    public Not {
        Objects.requireNonNull(term, "term");
    }
}
