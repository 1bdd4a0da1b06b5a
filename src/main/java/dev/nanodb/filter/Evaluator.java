package dev.nanodb.filter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * Evaluates an {@link Expr} against values supplied by a {@link Resolver}, using the semantics of
 * {@link Values#test}.
 *
 * <p>Evaluation never throws for any expression tree and any resolved values: the walk uses an
 * explicit stack instead of recursion, so even trees built programmatically far deeper than the
 * parser allows cannot overflow the call stack. Exceptions thrown by the resolver itself propagate.
 * {@code And}/{@code Or} short-circuit left to right, so the resolver may not be asked for every
 * field.
 */
public final class Evaluator {

    private Evaluator() {
    }

    /**
     * @param e        the filter; null means "no filter" and matches
     * @param resolver supplies field values; called once per field operand actually evaluated
     * @return whether the values satisfy the filter
     */
    public static boolean test(Expr e, Resolver resolver) {
        return test(e, resolver, null);
    }

    /**
     * As {@link #test(Expr, Resolver)}, charging every comparison to {@code budget} before it runs.
     *
     * @param budget null = unbounded
     * @throws Budget.Exceeded when the comparisons would cost more than the budget has left
     */
    public static boolean test(Expr e, Resolver resolver, Budget budget) {
        Objects.requireNonNull(resolver, "resolver");
        if (e == null) {
            return true;
        }
        Deque<Frame> stack = new ArrayDeque<>();
        Expr current = e;
        while (true) {
            while (current instanceof And || current instanceof Or) {
                Frame frame = new Frame(current);
                stack.push(frame);
                current = frame.terms.get(0);
            }
            boolean result = leaf(current, resolver, budget);
            current = null;
            while (current == null) {
                Frame frame = stack.peek();
                if (frame == null) {
                    return result;
                }
                boolean decided = frame.conjunction != result;
                if (decided || ++frame.next == frame.terms.size()) {
                    stack.pop();
                } else {
                    current = frame.terms.get(frame.next);
                }
            }
        }
    }

    /** A comparison, an id-set match, or a negation (built by the relation planner: at most a few levels deep). */
    private static boolean leaf(Expr e, Resolver resolver, Budget budget) {
        return switch (e) {
            case Compare c -> compare(c, resolver, budget);
            case Member m -> {
                Object v = resolver.resolve(m.field().path());
                if (budget != null) budget.charge(Op.ANY_EQ, v, null);
                yield m.test(v);
            }
            case Not n -> !test(n.term(), resolver, budget);
            default -> throw new IllegalStateException("not a leaf");
        };
    }

    private static boolean compare(Compare c, Resolver resolver, Budget budget) {
        Object left = value(c.left(), resolver, budget);
        Object right = value(c.right(), resolver, budget);
        if (budget != null) budget.charge(c.op(), left, right);
        return Values.test(c.op(), left, right);
    }

    /**
     * The value of one operand, as a comparison reads it (also what a sort on an expression orders by).
     *
     * @param budget null = unbounded; a function call is charged before it runs
     * @throws Budget.Exceeded when the call would cost more than the budget has left
     */
    public static Object value(Operand operand, Resolver resolver, Budget budget) {
        return switch (operand) {
            case Field f -> f.modifier() == null || f.path().startsWith("@")
                    ? resolver.resolve(f.path()) : Values.modify(f.modifier(), resolver.resolve(f.base()));
            case Literal l -> l.value();
            case Call call -> {
                List<Object> args = new ArrayList<>(call.args().size());
                for (Operand a : call.args()) args.add(value(a, resolver, null));
                if (budget != null) budget.charge(Functions.cost(call, args));
                yield Functions.apply(call, args);
            }
        };
    }

    /** Progress through the terms of one And/Or node; {@code next} is the term being evaluated. */
    private static final class Frame {
        final List<Expr> terms;
        final boolean conjunction;
        int next;

        Frame(Expr node) {
            if (node instanceof And and) {
                terms = and.terms();
                conjunction = true;
            } else {
                terms = ((Or) node).terms();
                conjunction = false;
            }
        }
    }
}
