package dev.nanodb.filter;

import dev.nanodb.filter.Lexer.Kind;
import dev.nanodb.filter.Lexer.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for the grammar
 *
 * <pre>
 * filter     := or EOF
 * or         := and ('||' and)*
 * and        := primary ('&amp;&amp;' primary)*
 * primary    := '(' or ')' | comparison
 * comparison := operand OP operand
 * operand    := IDENT | STRING | NUMBER | 'true' | 'false' | 'null' | call
 * call       := IDENT '(' operand (',' operand)* ')'      (arguments: no call)
 * </pre>
 *
 * <p>Recursion happens only at {@code '('}, and nesting is capped at {@link #MAX_DEPTH}, so hostile
 * input ends in a {@link FilterSyntaxException}, never a {@link StackOverflowError}. Chains are
 * collected iteratively into one flat {@link And}/{@link Or}; a parenthesised group is kept as a
 * single term, which is exactly the shape {@link Printer} writes back.
 *
 * <p>A parser instance is single-use and not thread-safe.
 */
final class Parser {

    static final int MAX_LENGTH = 8192;
    static final int MAX_DEPTH = 32;
    static final int MAX_COMPARISONS = 256;

    private static final String OPERAND = "a field, string, number, true, false or null";

    private final Lexer lexer;
    private int depth;
    private int comparisons;

    private Parser(String text) {
        this.lexer = new Lexer(text);
    }

    /**
     * @return the expression, or null when the text holds no tokens (only whitespace or comments)
     * @throws FilterSyntaxException on any malformed input or exceeded limit
     */
    static Expr parse(String text) {
        if (text.length() > MAX_LENGTH) {
            throw new FilterSyntaxException("filter longer than " + MAX_LENGTH + " characters", MAX_LENGTH);
        }
        return new Parser(text).filter();
    }

    /** Text that must be exactly one function call ({@code geoDistance(lon, lat, 12.5, 41.9)}), as a sort term. */
    static Call call(String text) {
        if (text.length() > MAX_LENGTH) {
            throw new FilterSyntaxException("longer than " + MAX_LENGTH + " characters", MAX_LENGTH);
        }
        Parser p = new Parser(text);
        Token first = p.lexer.peek();
        Operand o = p.operand();
        if (!(o instanceof Call c)) throw new FilterSyntaxException("not a function call", first.start());
        Token end = p.lexer.peek();
        if (end.kind() != Kind.EOF) throw p.unexpected(end, "end of input");
        return c;
    }

    private Expr filter() {
        if (lexer.peek().kind() == Kind.EOF) {
            return null;
        }
        Expr e = or();
        Token t = lexer.peek();
        if (t.kind() != Kind.EOF) {
            throw unexpected(t, "'&&', '||' or end of input");
        }
        return e;
    }

    private Expr or() {
        List<Expr> terms = new ArrayList<>();
        terms.add(and());
        while (lexer.peek().kind() == Kind.OR) {
            lexer.next();
            terms.add(and());
        }
        return terms.size() == 1 ? terms.get(0) : new Or(terms);
    }

    private Expr and() {
        List<Expr> terms = new ArrayList<>();
        terms.add(primary());
        while (lexer.peek().kind() == Kind.AND) {
            lexer.next();
            terms.add(primary());
        }
        return terms.size() == 1 ? terms.get(0) : new And(terms);
    }

    private Expr primary() {
        Token t = lexer.peek();
        if (t.kind() != Kind.LPAREN) {
            return comparison();
        }
        lexer.next();
        if (++depth > MAX_DEPTH) {
            throw new FilterSyntaxException("parentheses nested deeper than " + MAX_DEPTH, t.start());
        }
        Expr inner = or();
        Token close = lexer.next();
        if (close.kind() != Kind.RPAREN) {
            throw unexpected(close, "'&&', '||' or ')'");
        }
        depth--;
        return inner;
    }

    private Expr comparison() {
        Token first = lexer.peek();
        if (++comparisons > MAX_COMPARISONS) {
            throw new FilterSyntaxException("more than " + MAX_COMPARISONS + " comparisons", first.start());
        }
        Operand left = operand();
        Token opToken = lexer.next();
        if (opToken.kind() != Kind.OP) {
            throw unexpected(opToken, "a comparison operator");
        }
        Operand right = operand();
        Op op = (Op) opToken.value();
        if ((op.base() == Op.LIKE || op.base() == Op.NOT_LIKE) && (tooLong(left) || tooLong(right))) {
            throw new FilterSyntaxException("a pattern of " + op.symbol() + " is longer than " + Values.MAX_PATTERN
                    + " characters", first.start());
        }
        return new Compare(left, op, right);
    }

    /**
     * A function call; {@code strftime(format)} means {@code strftime(format, @now)} and a time written as
     * {@code 'now'} means {@code @now}, so the request's one instant is used (the printed form names it).
     */
    private Operand call(Token name) {
        lexer.next();
        List<Operand> args = new ArrayList<>();
        do {
            Token t = lexer.peek();
            if (t.kind() == Kind.IDENT) {
                lexer.next();
                if (lexer.peek().kind() == Kind.LPAREN) throw new FilterSyntaxException("a function cannot take another function", t.start());
                args.add(new Field((String) t.value()));
            } else {
                args.add(operand());
            }
            if (args.size() > Functions.MAX_ARGS) throw new FilterSyntaxException("more than " + Functions.MAX_ARGS + " arguments", t.start());
        } while (lexer.peek().kind() == Kind.COMMA && lexer.next() != null);
        Token close = lexer.next();
        if (close.kind() != Kind.RPAREN) throw unexpected(close, "',' or ')'");
        String fn = (String) name.value();
        for (int i = 0; i < args.size(); i++) {
            boolean text = args.get(i) instanceof Literal(String s);
            boolean bool = args.get(i) instanceof Literal(Boolean b);
            if (fn.equals(Functions.GEO_DISTANCE) && (text || bool) || fn.equals(Functions.STRFTIME) && i == 1 && bool) {
                throw new FilterSyntaxException(fn + "(): argument " + (i + 1) + " must be a field or a number", name.start());
            }
        }
        if (fn.equals(Functions.STRFTIME)) {
            if (args.size() == 1) args.add(new Field("@now"));
            if (args.get(1) instanceof Literal(String now) && now.equals("now")) args.set(1, new Field("@now"));
        }
        try {
            return new Call(fn, args);
        } catch (IllegalArgumentException e) {
            throw new FilterSyntaxException(e.getMessage(), name.start());
        }
    }

    private static boolean tooLong(Operand o) {
        return o instanceof Literal l && l.value() instanceof String s && s.length() > Values.MAX_PATTERN;
    }

    private Operand operand() {
        Token t = lexer.next();
        return switch (t.kind()) {
            case IDENT -> lexer.peek().kind() == Kind.LPAREN ? call(t) : new Field((String) t.value());
            case STRING, NUMBER, TRUE, FALSE, NULL -> new Literal(t.value());
            default -> throw unexpected(t, OPERAND);
        };
    }

    private FilterSyntaxException unexpected(Token t, String expected) {
        String what = t.kind() == Kind.EOF ? "end of input" : "'" + abbreviate(lexer.text(t)) + "'";
        return new FilterSyntaxException("unexpected " + what, t.start(), expected);
    }

    private static String abbreviate(String s) {
        return s.length() <= 24 ? s : s.substring(0, 21) + "...";
    }
}
