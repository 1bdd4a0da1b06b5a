package dev.nanodb.filter;

import java.util.List;
import java.util.Objects;

/**
 * Writes an {@link Expr} as canonical filter text.
 *
 * <p>Guarantee: for every well-formed expression — one whose parentheses nest at most 32 deep, with
 * at most 256 comparisons, finite numbers, and printed length within the parser's 8192-character
 * limit — {@code Filters.parse(Printer.print(e)).equals(e)}. To that end: an {@link And} or
 * {@link Or} nested in another is always parenthesised (so the parser rebuilds the same nesting
 * rather than re-associating), strings are always double-quoted (so the seed
 * {@code field=word} rule never applies), doubles are written with {@link Double#toString} (which
 * always contains {@code .} or {@code E}, so they re-parse as {@link Double}) and longs as plain
 * integers.
 *
 * <p>{@link Not} and {@link Member} are built by the relation-path planner, never parsed; they have no text and
 * printing one throws {@link IllegalArgumentException} (like a non-finite number).
 */
public final class Printer {

    private static final int MAX_DEPTH = Parser.MAX_DEPTH;

    private Printer() {
    }

    /**
     * @throws IllegalArgumentException if a literal is NaN or infinite, or the tree nests deeper than
     *         the parser accepts (such text could never be parsed back)
     */
    public static String print(Expr e) {
        Objects.requireNonNull(e, "expression");
        StringBuilder sb = new StringBuilder();
        append(e, sb, 0);
        return sb.toString();
    }

    private static void append(Expr e, StringBuilder sb, int depth) {
        switch (e) {
            case Compare c -> {
                append(c.left(), sb);
                sb.append(' ').append(c.op().symbol()).append(' ');
                append(c.right(), sb);
            }
            case And and -> appendTerms(and.terms(), " && ", sb, depth);
            case Or or -> appendTerms(or.terms(), " || ", sb, depth);
            case Not n -> throw new IllegalArgumentException("a negation has no filter text (it is built, never parsed)");
            case Member m -> throw new IllegalArgumentException("an id-set match has no filter text (it is built, never parsed)");
        }
    }

    private static void appendTerms(List<Expr> terms, String separator, StringBuilder sb, int depth) {
        String sep = "";
        for (Expr term : terms) {
            sb.append(sep);
            sep = separator;
            if (term instanceof Compare) {
                append(term, sb, depth);
            } else {
                if (depth + 1 > MAX_DEPTH) {
                    throw new IllegalArgumentException("expression nests deeper than " + MAX_DEPTH + " parentheses");
                }
                sb.append('(');
                append(term, sb, depth + 1);
                sb.append(')');
            }
        }
    }

    /** An operand as filter text: a field's path, a literal, a call ({@code sort=geoDistance(…)} is named so). */
    public static String print(Operand o) {
        StringBuilder sb = new StringBuilder();
        append(o, sb);
        return sb.toString();
    }

    private static void append(Operand operand, StringBuilder sb) {
        switch (operand) {
            case Field f -> sb.append(f.path());
            case Call c -> {
                sb.append(c.name()).append('(');
                for (int i = 0; i < c.args().size(); i++) {
                    if (i > 0) sb.append(", ");
                    append(c.args().get(i), sb);
                }
                sb.append(')');
            }
            case Literal(String s) -> appendQuoted(sb, s);
            case Literal(Double d) -> {
                if (!Double.isFinite(d)) {
                    throw new IllegalArgumentException("cannot print non-finite number " + d);
                }
                sb.append(Double.toString(d));
            }
            case Literal l -> sb.append(l.value());
        }
    }

    /**
     * Appends {@code s} as a double-quoted literal that both the filter lexer and JSON read back
     * unchanged: quote and backslash escaped, control characters as short escapes ({@code \n}) or
     * four-hex-digit unicode escapes, everything else verbatim.
     */
    static void appendQuoted(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
