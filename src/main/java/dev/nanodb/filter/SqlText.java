package dev.nanodb.filter;

/**
 * Strings as PostgreSQL holds them. PostgreSQL text cannot contain U+0000, which the value model allows, so
 * strings are stored and compared in an order-preserving escaped form; a store writes string values through
 * {@link #pgText} and reads them back through {@link #fromPgText}, and {@link SqlCompiler} binds literals in the
 * same form, so equality and order are exactly those of {@link Values}.
 */
public final class SqlText {
    private SqlText() {}

    /**
     * The form in which a string is stored in and compared by PostgreSQL: U+0001 becomes U+0001 U+0002 and
     * U+0000 becomes U+0001 U+0001. The mapping is injective and keeps code point order; other strings are
     * unchanged. ({@code _} in a {@code ~} pattern counts such a character as two.)
     */
    public static String pgText(String s) {
        if (s.indexOf('\u0000') < 0 && s.indexOf('\u0001') < 0) return s;
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\u0000') b.append("\u0001\u0001");
            else if (c == '\u0001') b.append("\u0001\u0002");
            else b.append(c);
        }
        return b.toString();
    }

    /** The inverse of {@link #pgText}. */
    public static String fromPgText(String s) {
        if (s.indexOf('\u0001') < 0) return s;
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\u0001' && i + 1 < s.length()) {
                b.append(s.charAt(++i) == '\u0001' ? '\u0000' : '\u0001');
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** A JSON string literal for {@code s} (quotes, backslashes and control characters escaped). */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }

    /** A literal as JSON text, strings in their {@link SqlText#pgText} form: the value to bind as {@code ?::jsonb}. */
    public static String jsonLiteral(Object v) {
        return switch (v) {
            case String s -> SqlText.quote(SqlText.pgText(s));
            case Double d -> Double.toString(d);
            default -> String.valueOf(v);
        };
    }
}
