package dev.nanodb.filter;

import java.util.List;
import java.util.Map;

/**
 * A bound on the work of evaluating filters, for callers that evaluate filters written by clients against
 * records written by clients (realtime subscriptions): one comparison can cost as much as the values it reads
 * ({@code ~} reads the whole value, {@code ?=} every element of a list, {@code a = b} of two objects their whole
 * text), so a client's filter over a huge record could otherwise cost any amount of CPU.
 *
 * <p>One unit is about one character compared or one element visited. {@link #charge} is called with a comparison's
 * cost before the comparison runs, computed from the resolved values without doing the comparison's work; once
 * the budget is spent, {@link Exceeded} is thrown and the comparison is not run. Not thread-safe: one budget per
 * evaluation run.
 */
public final class Budget {
    private long remaining;

    public Budget(long units) {
        this.remaining = units;
    }

    /** Thrown when a budget is spent; carries no stack trace (it is an expected outcome, not a bug). */
    public static final class Exceeded extends RuntimeException {
        Exceeded() {
            super("the filter costs more than its budget", null, false, false);
        }
    }

    /** Units left; negative once exceeded. */
    public long remaining() {
        return remaining;
    }

    /** Charges what {@code op} costs on these values; throws {@link Exceeded} when the budget cannot pay for it. */
    void charge(Op op, Object left, Object right) {
        remaining -= cost(op, left, right, remaining);
        if (remaining < 0) throw new Exceeded();
    }

    /** Charges {@code units} of work done outside a comparison (a function call's). */
    void charge(long units) {
        remaining -= units;
        if (remaining < 0) throw new Exceeded();
    }

    /** An upper bound on the work of {@code Values.test(op, left, right)}; counting stops above {@code cap}. */
    static long cost(Op op, Object left, Object right, long cap) {
        if (left instanceof Values.Multi m || right instanceof Values.Multi) {
            Values.Multi many = left instanceof Values.Multi x ? x : (Values.Multi) right;
            long sum = 1;
            for (Object element : many.values()) {
                sum += left == many ? cost(op, element, right, cap - sum) : cost(op, left, element, cap - sum);
                if (sum > cap) break;
            }
            return sum;
        }
        if (op.anyOf() && left instanceof List<?> list) {
            long sum = 1;
            for (Object element : list) {
                sum += cost(op.base(), element, right, cap - sum);
                if (sum > cap) break;
            }
            return sum;
        }
        Op base = op.base();
        if (base == Op.LIKE || base == Op.NOT_LIKE) {
            String text = Values.likeText(left);
            String pattern = Values.likeText(right);
            if (text == null || pattern == null || pattern.length() > Values.MAX_PATTERN) return 1;
            return 1 + Like.cost(text.length(), pattern);
        }
        if (Values.typeRank(left) == Values.RANK_OTHER && Values.typeRank(right) == Values.RANK_OTHER) {
            long a = size(left, cap);
            return a > cap ? a : a + size(right, cap - a);
        }
        return 1 + Math.min(textLength(left), textLength(right));
    }

    private static long textLength(Object v) {
        return v instanceof String s ? s.length() : 0;
    }

    /** Elements and characters in a JSON-like value, counted until more than {@code cap}. */
    private static long size(Object v, long cap) {
        return switch (v) {
            case String s -> 1 + s.length();
            case List<?> list -> {
                long n = 1;
                for (Object e : list) {
                    n += size(e, cap - n);
                    if (n > cap) break;
                }
                yield n;
            }
            case Map<?, ?> map -> {
                long n = 1;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    n += String.valueOf(e.getKey()).length() + size(e.getValue(), cap - n);
                    if (n > cap) break;
                }
                yield n;
            }
            case null, default -> 1;
        };
    }
}
