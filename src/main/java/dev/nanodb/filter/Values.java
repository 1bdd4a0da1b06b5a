package dev.nanodb.filter;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The value model shared by the in-memory {@link Evaluator} and the storage index: any index that
 * answers filters must order and match values exactly as defined here, or results would depend on
 * whether a query used an index.
 *
 * <p>Values are what a {@link Resolver} returns: {@code null}, {@link Boolean}, any {@link Number},
 * {@link String}, {@link List} or {@link Map}. The methods taking {@code Object} accept any object
 * and never throw for values of those kinds, cyclic or absurdly deep containers included.
 *
 * <h2>Total order ({@link #compare})</h2>
 * First by {@link #typeRank}: null &lt; booleans &lt; numbers &lt; strings &lt; everything else.
 * Within a rank: {@code false < true}; numbers by {@code doubleValue()} with {@code -0.0 == 0.0};
 * strings by Unicode code point (equal to UTF-8 byte order for well-formed text, unlike
 * {@link String#compareTo}); other values by the code point order of their {@link #canonicalText}.
 */
public final class Values {

    public static final int RANK_NULL = 0;
    public static final int RANK_BOOLEAN = 1;
    public static final int RANK_NUMBER = 2;
    public static final int RANK_STRING = 3;
    public static final int RANK_OTHER = 4;

    /** The longest {@code ~} pattern, in UTF-16 characters: bounds the work of one comparison per character. */
    public static final int MAX_PATTERN = 512;
    private static final long MAX_SAFE_LONG = 1L << 53;
    private static final double MAX_SAFE_INTEGER = 0x1p53;
    private static final int MAX_CANONICAL_DEPTH = 256;
    private static final String UNPRINTABLE = "\"\u2026\"";

    private Values() {
    }

    /** null → 0, Boolean → 1, Number → 2, String → 3, anything else (List, Map, …) → 4. */
    public static int typeRank(Object v) {
        if (v == null) {
            return RANK_NULL;
        }
        if (v instanceof Boolean) {
            return RANK_BOOLEAN;
        }
        if (v instanceof Number) {
            return RANK_NUMBER;
        }
        if (v instanceof String) {
            return RANK_STRING;
        }
        return RANK_OTHER;
    }

    /** Total order over all values; see the class documentation. */
    public static int compare(Object a, Object b) {
        int rank = typeRank(a);
        int byRank = Integer.compare(rank, typeRank(b));
        if (byRank != 0) {
            return byRank;
        }
        return switch (rank) {
            case RANK_NULL -> 0;
            case RANK_BOOLEAN -> Boolean.compare((Boolean) a, (Boolean) b);
            case RANK_NUMBER -> compareNumbers((Number) a, (Number) b);
            case RANK_STRING -> compareStrings((String) a, (String) b);
            default -> compareStrings(canonicalText(a), canonicalText(b));
        };
    }

    private static int compareNumbers(Number a, Number b) {
        double x = a.doubleValue();
        double y = b.doubleValue();
        return x == y ? 0 : Double.compare(x, y);
    }

    /** Compares strings by Unicode code point; an unpaired surrogate counts as its own code unit value. */
    public static int compareStrings(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(i);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
        }
        return Integer.compare(a.length(), b.length());
    }

    /** The {@code =} relation: same type rank and {@link #compare} is 0; so {@code 1 = 1.0} but not {@code "1" = 1}. */
    public static boolean equal(Object a, Object b) {
        return typeRank(a) == typeRank(b) && compare(a, b) == 0;
    }

    /**
     * Canonical numeric representation, so that {@code 1}, {@code 1.0} and {@code (short) 1} are one
     * value: a {@link Long} when {@code n} is integral and {@code |n| <= 2^53} (where doubles are
     * exact), otherwise a {@link Double}.
     */
    public static Number normalizeNumber(Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                || n instanceof AtomicInteger || n instanceof AtomicLong) {
            long v = n.longValue();
            return v >= -MAX_SAFE_LONG && v <= MAX_SAFE_LONG ? (Number) v : (Number) (double) v;
        }
        double d = n.doubleValue();
        if (d == Math.rint(d) && Math.abs(d) <= MAX_SAFE_INTEGER) {
            return (long) d;
        }
        return d;
    }

    /**
     * A stable JSON-like text for any value, used to order rank-4 values: numbers normalized,
     * strings double-quoted and escaped, map keys sorted by code point, other objects as their quoted
     * {@code toString()}. Cycles and nesting beyond 256 levels are cut off with a fixed marker.
     */
    public static String canonicalText(Object v) {
        StringBuilder sb = new StringBuilder();
        appendCanonical(v, sb, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
        return sb.toString();
    }

    private static void appendCanonical(Object v, StringBuilder sb, Set<Object> open, int depth) {
        switch (v) {
            case null -> sb.append("null");
            case Boolean b -> sb.append(b);
            case Number n -> sb.append(normalizeNumber(n));
            case String s -> Printer.appendQuoted(sb, s);
            case List<?> list -> {
                if (depth >= MAX_CANONICAL_DEPTH || !open.add(list)) {
                    sb.append(UNPRINTABLE);
                    return;
                }
                sb.append('[');
                String sep = "";
                for (Object element : list) {
                    sb.append(sep);
                    appendCanonical(element, sb, open, depth + 1);
                    sep = ",";
                }
                sb.append(']');
                open.remove(list);
            }
            case Map<?, ?> map -> {
                if (depth >= MAX_CANONICAL_DEPTH || !open.add(map)) {
                    sb.append(UNPRINTABLE);
                    return;
                }
                List<Map.Entry<String, Object>> entries = new ArrayList<>(map.size());
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    entries.add(new AbstractMap.SimpleImmutableEntry<>(String.valueOf(e.getKey()), e.getValue()));
                }
                entries.sort((x, y) -> compareStrings(x.getKey(), y.getKey()));
                sb.append('{');
                String sep = "";
                for (Map.Entry<String, Object> e : entries) {
                    sb.append(sep);
                    Printer.appendQuoted(sb, e.getKey());
                    sb.append(':');
                    appendCanonical(e.getValue(), sb, open, depth + 1);
                    sep = ",";
                }
                sb.append('}');
                open.remove(map);
            }
            default -> Printer.appendQuoted(sb, String.valueOf(v));
        }
    }

    /**
     * The text a value has for {@code ~}: a string itself; an integer type its exact decimal digits;
     * any other finite number its plain decimal form without exponent or trailing zeros
     * ({@code 2.0 → "2"}, {@code 1e3 → "1000"}, {@code 0.5 → "0.5"}); null for everything else.
     */
    public static String likeText(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger || v instanceof AtomicInteger || v instanceof AtomicLong) {
            return v.toString();
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : null;
        }
        return null;
    }

    /**
     * The {@code ~} relation. Both sides are converted with {@link #likeText} (false if either has no
     * text) and lower-cased with {@link Locale#ROOT}. If the pattern contains {@code %} it is a SQL
     * LIKE pattern matched against the whole value ({@code %} any run of code points, {@code _}
     * exactly one; no escape character); otherwise the value must contain the pattern. The work is linear in
     * the value ({@link Like}); a pattern longer than {@link #MAX_PATTERN} characters matches nothing (the
     * parser refuses such a literal, so only a value bound from a request can be one).
     */
    public static boolean like(Object value, Object pattern) {
        String text = likeText(value);
        String pat = likeText(pattern);
        if (text == null || pat == null || pat.length() > MAX_PATTERN) {
            return false;
        }
        text = text.toLowerCase(Locale.ROOT);
        pat = pat.toLowerCase(Locale.ROOT);
        return pat.indexOf('%') < 0 ? Like.contains(text, pat) : Like.matches(text, pat);
    }

    /**
     * Applies {@code op} to two resolved values, left operand first. Never throws.
     *
     * <ul>
     *   <li>{@code =}: {@link #equal}; {@code !=} is its exact negation (so {@code x != null} holds for
     *       any present non-null value).</li>
     *   <li>{@code > >= < <=}: false unless both sides share rank Boolean, Number or String; then by
     *       {@link #compare}. Null, lists, maps and mixed types never order.</li>
     *   <li>{@code ~}: {@link #like}. {@code !~}: the negation of {@code ~}, except false when the left
     *       value is null (as SQL: null matches neither).</li>
     *   <li>{@code ?op}: if the left value is a {@link List}, true iff some element satisfies
     *       {@code op} against the right value (false for an empty list); otherwise exactly
     *       {@code op}. A plain operator treats a list as one rank-4 value, so {@code tags = "a"} is
     *       false for {@code tags = ["a"]} — use {@code tags ?= "a"}.</li>
     * </ul>
     */
    public static boolean test(Op op, Object left, Object right) {
        if (left instanceof Multi m) {
            // PocketBase's multi-match: ?op = some value matches, a plain op = every value matches (at least one)
            for (Object v : m.values()) {
                boolean holds = test(op.anyOf() ? op.base() : op, v, right);
                if (holds == op.anyOf()) return holds;
            }
            return !op.anyOf() && !m.values().isEmpty();
        }
        if (right instanceof Multi m) {
            for (Object v : m.values()) {
                boolean holds = test(op, left, v);
                if (holds == op.anyOf()) return holds;
            }
            return !op.anyOf() && !m.values().isEmpty();
        }
        if (op.anyOf() && left instanceof List<?> list) {
            Op base = op.base();
            for (Object element : list) {
                if (testPlain(base, element, right)) {
                    return true;
                }
            }
            return false;
        }
        return testPlain(op.base(), left, right);
    }

    /**
     * The values a path reaches through a multiple relation, a back-relation or {@code :each} (PocketBase's
     * "multi-match" operand), as a {@link Resolver} returns them. {@link #test} gives it PocketBase's meaning:
     * a {@code ?}-operator holds when some value satisfies the base operator, a plain operator when every value
     * does (and there is one). A path that reaches no record yields one null value, as PocketBase's LEFT JOIN
     * yields one row of NULLs, so {@code tags.name != "x"} holds for a record without tags.
     */
    public record Multi(List<Object> values) {
        public Multi {
            values = Collections.unmodifiableList(new ArrayList<>(values));
        }
    }

    /**
     * A modifier applied to a stored field's value: {@code lower} lower-cases strings (also inside a
     * {@link Multi}); {@code length} is the number of elements of a list (0 for null or {@code ""}, 1 for any other
     * value); {@code each} turns a list into a {@link Multi} of its elements (one null for an empty list);
     * {@code isset} and anything else leave the value as it is (PocketBase ignores them on stored fields).
     */
    public static Object modify(String modifier, Object v) {
        if (v instanceof Multi m && !"each".equals(modifier)) {
            List<Object> out = new ArrayList<>();
            for (Object x : m.values()) out.add(modify(modifier, x));
            return new Multi(out);
        }
        return switch (modifier) {
            case "lower" -> v instanceof String s ? s.toLowerCase(Locale.ROOT) : v;
            case "length" -> v instanceof List<?> l ? (long) l.size() : v == null || "".equals(v) ? 0L : 1L;
            case "each" -> v instanceof List<?> l ? new Multi(l.isEmpty() ? Collections.singletonList(null) : new ArrayList<Object>(l)) : v;
            default -> v;
        };
    }

    private static boolean testPlain(Op op, Object left, Object right) {
        return switch (op) {
            case EQ -> equal(left, right);
            case NEQ -> !equal(left, right);
            case GT -> ordered(left, right) && compare(left, right) > 0;
            case GTE -> ordered(left, right) && compare(left, right) >= 0;
            case LT -> ordered(left, right) && compare(left, right) < 0;
            case LTE -> ordered(left, right) && compare(left, right) <= 0;
            case LIKE -> like(left, right);
            case NOT_LIKE -> left != null && !like(left, right);
            case ANY_EQ, ANY_NEQ, ANY_GT, ANY_GTE, ANY_LT, ANY_LTE, ANY_LIKE, ANY_NOT_LIKE ->
                    testPlain(op.base(), left, right);
        };
    }

    private static boolean ordered(Object left, Object right) {
        int rank = typeRank(left);
        return rank == typeRank(right) && rank >= RANK_BOOLEAN && rank <= RANK_STRING;
    }
}
