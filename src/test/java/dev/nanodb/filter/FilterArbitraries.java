package dev.nanodb.filter;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/** Generators for filter trees, filter-ish text and resolver values. */
final class FilterArbitraries {

    private FilterArbitraries() {
    }

    static Arbitrary<Expr> exprs(int maxDepth) {
        if (maxDepth == 0) {
            return compares();
        }
        return Arbitraries.frequencyOf(
                Tuple.of(2, compares()),
                Tuple.of(1, Arbitraries.lazy(() -> junction(maxDepth - 1, true))),
                Tuple.of(1, Arbitraries.lazy(() -> junction(maxDepth - 1, false))));
    }

    private static Arbitrary<Expr> junction(int maxDepth, boolean conjunction) {
        return exprs(maxDepth).list().ofMinSize(2).ofMaxSize(3)
                .map(terms -> conjunction ? new And(terms) : new Or(terms));
    }

    static Arbitrary<Expr> compares() {
        return net.jqwik.api.Combinators.combine(operands(), Arbitraries.of(Op.class), operands())
                .as(Compare::new);
    }

    static Arbitrary<Operand> operands() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, fields()),
                Tuple.of(3, literals()),
                Tuple.of(1, calls()));
    }

    /** Valid calls of both functions over generated fields and literals. */
    static Arbitrary<Operand> calls() {
        Arbitrary<Operand> number = Arbitraries.oneOf(fields(), doubles().map(d -> (Operand) new Literal(d)),
                Arbitraries.longs().map(l -> (Operand) new Literal(l)));
        Arbitrary<Operand> geo = number.list().ofSize(4).map(args -> (Operand) new Call("geoDistance", args));
        Arbitrary<Operand> format = Arbitraries.of("%Y-%m-%d", "", "%%%f%j", "x%W%w\"", "%H:%M:%S").map(Literal::new);
        Arbitrary<Operand> time = Arbitraries.oneOf(fields(), literals());
        Arbitrary<List<Operand>> modifiers = Arbitraries.of("start of day", "start of month", "+3 days", "-1 hour",
                "12 seconds").map(m -> (Operand) new Literal(m)).list().ofMaxSize(3);
        Arbitrary<Operand> strftime = net.jqwik.api.Combinators.combine(format, time, modifiers).as((f, t, m) -> {
            List<Operand> args = new java.util.ArrayList<>(List.of(f, t));
            args.addAll(m);
            return (Operand) new Call("strftime", args);
        }).filter(c -> !(((Call) c).args().get(1) instanceof Literal(Boolean b)));
        return Arbitraries.oneOf(geo.filter(FilterArbitraries::parsable), strftime.filter(FilterArbitraries::parsable));
    }

    /** What the parser can produce: geoDistance takes no string or boolean literal; 'now' is read as @now. */
    private static boolean parsable(Operand o) {
        Call c = (Call) o;
        for (int i = 0; i < c.args().size(); i++) {
            Operand a = c.args().get(i);
            if (c.name().equals("geoDistance") && (a instanceof Literal(String s) || a instanceof Literal(Boolean b))) return false;
            if (c.name().equals("strftime") && i == 1 && a instanceof Literal(String s) && s.equals("now")) return false;
        }
        return true;
    }

    static Arbitrary<Operand> fields() {
        Arbitrary<String> known = Arbitraries.of("title", "author.name", "_version", "@request.auth.id",
                "@request.body.title", "@request.query.x", "@request.method", "@collection.posts.title",
                "@now", "a.0.b", "TRUE", "nullable", "true_", "_");
        Arbitrary<String> segment = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .withCharRange('0', '9').withChars('_').ofMinLength(1).ofMaxLength(5);
        Arbitrary<String> random = Arbitraries.strings().withCharRange('a', 'z').withChars('_').ofMinLength(1).ofMaxLength(4)
                .flatMap(head -> segment.list().ofMaxSize(2).map(tail -> {
                    StringBuilder sb = new StringBuilder(head);
                    tail.forEach(s -> sb.append('.').append(s));
                    return sb.toString();
                }))
                .flatMap(path -> Arbitraries.of("", "@").map(prefix -> prefix + path))
                .filter(Field::isValidPath);
        return Arbitraries.oneOf(known, random).map(Field::new);
    }

    /** Literals are parsed text: whole characters only (the lexer refuses an unpaired surrogate escape). */
    static Arbitrary<Operand> literals() {
        Arbitrary<Object> values = Arbitraries.oneOf(
                strings().filter(Lexer::wellFormed).map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l),
                doubles().map(d -> (Object) d),
                Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map(b -> (Object) b))
                .injectNull(0.1);
        return values.map(Literal::new);
    }

    static Arbitrary<String> strings() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(10),
                Arbitraries.strings().withChars("\"'\\\n\t\r\b\f%_ /u&|()=").ofMaxLength(8),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(8),
                Arbitraries.of("", "😀", "a😀b", "\uD83D", "\uDE00x", "\u0000", "//", "&&", "published", "1e3"));
    }

    static Arbitrary<Double> doubles() {
        return Arbitraries.oneOf(
                Arbitraries.doubles(),
                Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite),
                Arbitraries.of(-0.0, 0.0, 1.0, -1.5, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE,
                        1e300, 1e-300, 0x1p63, 9007199254740993.0));
    }

    /** Text assembled from fragments that are each meaningful to the lexer, so most inputs get deep into the parser. */
    static Arbitrary<String> tokenSoup() {
        Arbitrary<String> token = Arbitraries.of(
                "(", ")", "&&", "||", "&", "|", "\"", "'", "\\", "~", "?=", "!=", "?!~", ">=", "<", "=", "!", "?",
                "a", "b.c", "@request.auth.id", "@now", "@", ".", "10", "-3", "-", "2.5", "1e3", "1e999",
                "99999999999999999999", "true", "null", "\"x\"", "'y'", "\"\\u00e9\"", "\"\\u12\"", "//", "\n",
                " ", " ", " ", "status=published", "😀", "\u0000");
        return token.list().ofMaxSize(40).map(parts -> String.join("", parts));
    }

    /** Resolver-style values: every type rank, with small pools so that ties are common. */
    static Arbitrary<Object> values() {
        Arbitrary<Object> scalars = Arbitraries.oneOf(
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.longs().between(-3, 3).map(l -> (Object) l),
                Arbitraries.integers().between(-3, 3).map(i -> (Object) i),
                Arbitraries.of(-0.0, 0.0, 1.0, 1.5, -2.0, 1e300, 2.5).map(d -> (Object) d),
                Arbitraries.longs().map(l -> (Object) l),
                doubles().map(d -> (Object) d),
                Arbitraries.of("", "a", "A", "b", "ab", "😀", "\uFFFF", "\uFB01", "\uD83D").map(s -> (Object) s),
                strings().map(s -> (Object) s))
                .injectNull(0.1);
        Arbitrary<Object> lists = scalars.list().ofMaxSize(3).map(l -> (Object) l);
        Arbitrary<Object> maps = Arbitraries.maps(Arbitraries.of("a", "b", "😀"), scalars).ofMaxSize(2).map(m -> (Object) m);
        Arbitrary<Object> nested = lists.list().ofMaxSize(2).map(l -> (Object) List.copyOf(l));
        return Arbitraries.frequencyOf(
                Tuple.of(8, scalars),
                Tuple.of(2, lists),
                Tuple.of(1, maps),
                Tuple.of(1, nested));
    }
}
