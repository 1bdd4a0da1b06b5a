package dev.nanodb.filter;

/**
 * Pull-based tokenizer for filter text.
 *
 * <p>Tokens are produced on demand (one token of lookahead) so that the first error reported is the
 * leftmost one, whether it is lexical or grammatical. Every failure is a
 * {@link FilterSyntaxException}; number conversion never leaks a {@link NumberFormatException} and
 * never yields a non-finite double.
 */
final class Lexer {

    enum Kind { IDENT, STRING, NUMBER, TRUE, FALSE, NULL, OP, AND, OR, LPAREN, RPAREN, COMMA, EOF }

    /**
     * @param value the decoded string, the {@link Long}/{@link Double}, the {@link Op}, or null
     */
    record Token(Kind kind, int start, int end, Object value) {
    }

    private static final int MAX_OP_LENGTH = 3;

    private final String src;
    private int pos;
    private Token peeked;

    Lexer(String src) {
        this.src = src;
    }

    Token peek() {
        if (peeked == null) {
            peeked = scan();
        }
        return peeked;
    }

    Token next() {
        Token t = peek();
        peeked = null;
        return t;
    }

    String text(Token t) {
        return src.substring(t.start(), t.end());
    }

    private Token scan() {
        skipTrivia();
        int start = pos;
        if (pos >= src.length()) {
            return new Token(Kind.EOF, start, start, null);
        }
        char c = src.charAt(pos);
        switch (c) {
            case '(' -> {
                pos++;
                return new Token(Kind.LPAREN, start, pos, null);
            }
            case ')' -> {
                pos++;
                return new Token(Kind.RPAREN, start, pos, null);
            }
            case ',' -> {
                pos++;
                return new Token(Kind.COMMA, start, pos, null);
            }
            case '&' -> {
                return doubled('&', Kind.AND);
            }
            case '|' -> {
                return doubled('|', Kind.OR);
            }
            case '"', '\'' -> {
                return string(c);
            }
            case '=', '!', '>', '<', '~', '?' -> {
                return operator();
            }
            default -> {
                if (c == '-' || isDigit(c)) {
                    return number();
                }
                if (c == '@' || isIdentStart(c)) {
                    return identifier();
                }
                throw unexpectedChar(pos);
            }
        }
    }

    private void skipTrivia() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '/') {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private Token doubled(char c, Kind kind) {
        int start = pos;
        if (pos + 1 < src.length() && src.charAt(pos + 1) == c) {
            pos += 2;
            return new Token(kind, start, pos, null);
        }
        throw unexpectedChar(pos);
    }

    private Token operator() {
        int start = pos;
        for (int len = Math.min(MAX_OP_LENGTH, src.length() - pos); len >= 1; len--) {
            var op = Op.fromSymbol(src.substring(pos, pos + len));
            if (op.isPresent()) {
                pos += len;
                return new Token(Kind.OP, start, pos, op.get());
            }
        }
        throw unexpectedChar(pos);
    }

    private Token string(char quote) {
        int start = pos;
        StringBuilder sb = new StringBuilder();
        pos++;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == quote) {
                pos++;
                return new Token(Kind.STRING, start, pos, wellFormed(sb, start));
            }
            if (c == '\\') {
                sb.append(escape());
            } else {
                sb.append(c);
                pos++;
            }
        }
        throw new FilterSyntaxException("unterminated string", start);
    }

    /**
     * The string, unless {@code \\u} escapes left an unpaired surrogate in it: that is not a character, PostgreSQL
     * cannot compare it (its driver sends a '?'), and request bodies cannot store one either.
     */
    private static String wellFormed(StringBuilder sb, int start) {
        if (!wellFormed(sb)) throw new FilterSyntaxException("unpaired surrogate escape in a string", start);
        return sb.toString();
    }

    /** Whether every surrogate in {@code s} is half of a pair. */
    static boolean wellFormed(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(ch)) {
                return false;
            }
        }
        return true;
    }

    private char escape() {
        int start = pos;
        if (pos + 1 >= src.length()) {
            throw new FilterSyntaxException("unterminated string escape", start);
        }
        char e = src.charAt(pos + 1);
        pos += 2;
        return switch (e) {
            case '"', '\'', '\\', '/' -> e;
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'u' -> unicodeEscape(start);
            default -> throw new FilterSyntaxException("invalid escape " + describe(start, 2), start);
        };
    }

    private char unicodeEscape(int start) {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = pos < src.length() ? Character.digit(src.charAt(pos), 16) : -1;
            if (digit < 0) {
                throw new FilterSyntaxException("invalid \\u escape: 4 hex digits required", start);
            }
            value = value * 16 + digit;
            pos++;
        }
        return (char) value;
    }

    private Token number() {
        int start = pos;
        int p = pos;
        if (src.charAt(p) == '-') {
            p++;
        }
        if (p >= src.length() || !isDigit(src.charAt(p))) {
            throw unexpectedChar(start);
        }
        p = digits(p);
        boolean integral = true;
        if (p + 1 < src.length() && src.charAt(p) == '.' && isDigit(src.charAt(p + 1))) {
            p = digits(p + 1);
            integral = false;
        }
        if (p < src.length() && (src.charAt(p) == 'e' || src.charAt(p) == 'E')) {
            int q = p + 1;
            if (q < src.length() && (src.charAt(q) == '+' || src.charAt(q) == '-')) {
                q++;
            }
            if (q < src.length() && isDigit(src.charAt(q))) {
                p = digits(q);
                integral = false;
            }
        }
        if (p < src.length() && (isIdentPart(src.charAt(p)) || src.charAt(p) == '.' || src.charAt(p) == '@')) {
            throw unexpectedChar(p);
        }
        pos = p;
        String text = src.substring(start, p);
        return new Token(Kind.NUMBER, start, p, numberValue(text, integral, start));
    }

    private static Object numberValue(String text, boolean integral, int start) {
        if (integral) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException tooLarge) {
                // beyond the long range an integer literal is approximated as a Double
            }
        }
        double d = Double.parseDouble(text);
        if (Double.isInfinite(d)) {
            throw new FilterSyntaxException("number out of range", start);
        }
        return d;
    }

    private int digits(int p) {
        while (p < src.length() && isDigit(src.charAt(p))) {
            p++;
        }
        return p;
    }

    private Token identifier() {
        int start = pos;
        int p = pos;
        if (src.charAt(p) == '@') {
            p++;
            if (p >= src.length() || !isIdentStart(src.charAt(p))) {
                throw unexpectedChar(start);
            }
        }
        while (p < src.length() && isIdentPart(src.charAt(p))) {
            p++;
        }
        p = modifier(p);
        while (p + 1 < src.length() && src.charAt(p) == '.' && isIdentPart(src.charAt(p + 1))) {
            p += 2;
            while (p < src.length() && isIdentPart(src.charAt(p))) {
                p++;
            }
            p = modifier(p);
        }
        pos = p;
        String word = src.substring(start, p);
        return switch (word) {
            case "true" -> new Token(Kind.TRUE, start, p, Boolean.TRUE);
            case "false" -> new Token(Kind.FALSE, start, p, Boolean.FALSE);
            case "null" -> new Token(Kind.NULL, start, p, null);
            default -> new Token(Kind.IDENT, start, p, word);
        };
    }

    /** Skips a {@code :modifier} (or {@code @collection} alias) directly after a path segment. */
    private int modifier(int p) {
        if (p + 1 < src.length() && src.charAt(p) == ':' && isIdentStart(src.charAt(p + 1))) {
            p += 2;
            while (p < src.length() && isIdentPart(src.charAt(p))) {
                p++;
            }
        }
        return p;
    }

    private FilterSyntaxException unexpectedChar(int at) {
        int cp = src.codePointAt(at);
        String shown = cp < 0x20 || cp == 0x7F || Character.isWhitespace(cp)
                ? String.format("character U+%04X", cp)
                : "'" + Character.toString(cp) + "'";
        return new FilterSyntaxException("unexpected " + shown, at);
    }

    private String describe(int start, int length) {
        return "'" + src.substring(start, Math.min(src.length(), start + length)) + "'";
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    static boolean isIdentPart(char c) {
        return isIdentStart(c) || isDigit(c);
    }
}
