package dev.nanodb.filter;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Entry point: parsing filter text and equality maps, and combining expressions.
 *
 * <p>A {@code null} {@link Expr} consistently means "no filter" (match everything): it is what
 * {@link #parse} returns for blank text and {@link #fromEquality} for an empty map, and
 * {@link #and} treats it as the neutral element.
 *
 * <h2>Seed compatibility</h2>
 * In PocketBase syntax {@code status=published} compares two fields. Earlier NanoDB clients
 * sent exactly that shape meaning "status equals the string published", so when the <em>entire</em>
 * text (ignoring leading and trailing whitespace) is a single {@code field=word} written without
 * spaces around {@code =} — {@code field} a path not starting with {@code @}, and {@code word} a run
 * of ASCII letters, digits, {@code _} and {@code -} that is not a number and not
 * {@code true}/{@code false}/{@code null} — the word is taken as a string literal. Thus
 * {@code author=abc123} means {@code author = "abc123"} while {@code views=10} stays
 * {@code Long 10} and {@code done=true} stays {@code Boolean true}. Anything else follows PocketBase
 * semantics: spaces around {@code =} ({@code a = b}), a dotted or {@code @} word on the right, more
 * than one comparison, parentheses or another operator, so a field-to-field comparison can always be
 * written. {@link Printer} always puts spaces around operators and quotes strings, so this rule never
 * applies to printed text and cannot break round trips.
 */
public final class Filters {

    private static final Pattern SEED = Pattern.compile(
            "\\s*([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z0-9_]+)*)=([A-Za-z0-9_][A-Za-z0-9_-]*)\\s*");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");
    private static final double TWO_POW_63 = 0x1p63;
    /**
     * Filters parsed recently, by text: an app sends the same few filters again and again, and parsing was a tenth of
     * a list request's time (bench/run --profile list_filter). Never stale — the tree is a pure function of the text
     * and immutable — and bounded: texts of at most {@value #CACHED_TEXT} characters, at most {@value #CACHED_ENTRIES}
     * of them (all dropped when full, so a client sending ever-new filters costs a re-parse, never memory).
     */
    private static final int CACHED_TEXT = 256;
    private static final int CACHED_ENTRIES = 256;
    private static final java.util.concurrent.ConcurrentHashMap<String, Expr> PARSED = new java.util.concurrent.ConcurrentHashMap<>();

    private Filters() {
    }

    /**
     * Parses filter text.
     *
     * <p>Limits, each reported as a {@link FilterSyntaxException}: at most 8192 characters,
     * parentheses nested at most 32 deep, at most 256 comparisons.
     *
     * @param text filter text; may be null
     * @return the expression, or null when {@code text} is null, blank or only comments (no filter)
     * @throws FilterSyntaxException if the text is malformed or exceeds a limit
     */
    public static Expr parse(String text) {
        if (text == null) {
            return null;
        }
        boolean cacheable = text.length() <= CACHED_TEXT;
        Expr cached = cacheable ? PARSED.get(text) : null;
        if (cached != null) {
            return cached;
        }
        Expr e = parseText(text);
        if (cacheable && e != null) {
            if (PARSED.size() >= CACHED_ENTRIES) {
                PARSED.clear();
            }
            PARSED.put(text, e);
        }
        return e;
    }

    private static Expr parseText(String text) {
        if (text.length() <= Parser.MAX_LENGTH) {
            if (text.isBlank()) {
                return null;
            }
            Compare seed = seedEquality(text);
            if (seed != null) {
                return seed;
            }
        }
        return Parser.parse(text);
    }

    /**
     * Parses text that is exactly one function call, such as a sort term {@code geoDistance(loc.lon, loc.lat, 12.5, 41.9)}.
     *
     * @throws FilterSyntaxException if the text is anything else, or the call is invalid
     */
    public static Call parseCall(String text) {
        return Parser.call(text);
    }

    private static Compare seedEquality(String text) {
        Matcher m = SEED.matcher(text);
        if (!m.matches()) {
            return null;
        }
        String field = m.group(1);
        String word = m.group(2);
        if (Field.isKeyword(field) || Field.isKeyword(word) || NUMBER.matcher(word).matches()) {
            return null;
        }
        return new Compare(new Field(field), Op.EQ, new Literal(word));
    }

    /**
     * Builds the conjunction of {@code key = value} equalities from a JSON-object style filter such
     * as {@code {"status":"published","views":10}}, in the map's iteration order.
     *
     * <p>Integral numbers become {@link Long} literals when they fit a long, other numbers
     * {@link Double}; since {@link Values} compares numbers by value the choice does not change
     * results.
     *
     * @param map field paths to expected values; may be null
     * @return null for a null or empty map, a single {@link Compare} for one key, else an {@link And}
     * @throws FilterSyntaxException if a key is not a plain field path (no {@code @}) or a value is not
     *         a String, Number, Boolean or null, or is a non-finite number
     */
    public static Expr fromEquality(Map<String, ?> map) {
        if (map == null || map.isEmpty()) {
            return null;
        }
        List<Expr> terms = new ArrayList<>(map.size());
        for (Map.Entry<String, ?> entry : map.entrySet()) {
            String key = entry.getKey();
            if (key == null || key.startsWith("@") || !Field.isValidPath(key)) {
                throw new FilterSyntaxException("invalid field name in equality filter: " + key);
            }
            terms.add(new Compare(new Field(key), Op.EQ, new Literal(literalValue(key, entry.getValue()))));
        }
        return terms.size() == 1 ? terms.get(0) : new And(terms);
    }

    private static Object literalValue(String key, Object value) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte || value instanceof AtomicInteger || value instanceof AtomicLong) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (!Double.isFinite(d)) {
                throw new FilterSyntaxException("non-finite number in equality filter for " + key);
            }
            if (d == Math.rint(d) && d >= -TWO_POW_63 && d < TWO_POW_63) {
                return (long) d;
            }
            return d;
        }
        throw new FilterSyntaxException("unsupported value type in equality filter for " + key + ": "
                + value.getClass().getSimpleName());
    }

    /**
     * The top-level conjuncts of {@code e}: the terms of an {@link And}, otherwise {@code e} alone.
     *
     * @return an unmodifiable list; empty when {@code e} is null (no filter)
     */
    public static List<Expr> conjuncts(Expr e) {
        if (e == null) {
            return List.of();
        }
        return e instanceof And and ? and.terms() : List.of(e);
    }

    /**
     * Conjunction of two optional filters, e.g. an access rule ANDed into a user filter.
     *
     * <p>Null is the neutral element: if one side is null the other is returned unchanged. Otherwise
     * the top-level terms of both sides are concatenated into one flat {@link And}, which is
     * semantically identical to nesting and keeps the tree shallow.
     */
    public static Expr and(Expr a, Expr b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        List<Expr> terms = new ArrayList<>(conjuncts(a));
        terms.addAll(conjuncts(b));
        return new And(terms);
    }

    /** The number of comparisons in {@code e} (0 for null): the measure of a filter's size that limits use. */
    public static int comparisons(Expr e) {
        return switch (e) {
            case null -> 0;
            case Compare c -> 1;
            case And a -> a.terms().stream().mapToInt(Filters::comparisons).sum();
            case Or o -> o.terms().stream().mapToInt(Filters::comparisons).sum();
            case Not n -> comparisons(n.term());
            case Member m -> 1;
        };
    }
}
