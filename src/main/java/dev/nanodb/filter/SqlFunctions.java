package dev.nanodb.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Call} as PostgreSQL expressions with exactly the results of {@link Functions#apply}: the same formula
 * for {@code geoDistance} (float8 arithmetic, PostgreSQL's {@code radians}/{@code cos}/{@code sin}/{@code acos}),
 * and for {@code strftime} the time form of {@link Strftime#TIME_REGEX} matched by {@code regexp_match}, the same
 * range checks, {@code make_timestamp} plus intervals (Feb 31 runs on into March as in Java's
 * {@code plusMonths(…).plusDays(…)} from January 1st), and {@code to_char} per specifier.
 *
 * <p>A call whose arguments are all literals is computed here in Java and bound as one parameter. Literal text
 * of a format and every number travel as parameters (as text, cast in SQL, like every parameter of the compiler);
 * the SQL text holds only this class's fixed fragments and the target's expressions, and no {@code ?} of its own.
 */
final class SqlFunctions {
    private SqlFunctions() {}

    /** The call's value as jsonb, and its text (SQL NULL where the evaluator gives null). */
    record Value(String json, String text, List<Object> params) {}

    static Value of(Call call, SqlTarget target) {
        if (call.args().stream().allMatch(a -> a instanceof Literal)) {
            List<Object> values = call.args().stream().map(a -> ((Literal) a).value()).toList();
            Object v = Functions.apply(call, values);
            if (v == null) return new Value("NULL::jsonb", "NULL::text", List.of());
            return new Value("?::jsonb", "(?::jsonb #>> '{}')", List.of(SqlText.jsonLiteral(v)));
        }
        Frag f = new Frag();
        if (call.name().equals(Functions.GEO_DISTANCE)) {
            geoDistance(call.args(), target, f);
            String n = f.sql.toString();
            return new Value("to_jsonb((" + n + ")::text::numeric)", "((" + n + ")::text)", f.params);
        }
        strftime(call, target, f);
        String t = f.sql.toString();
        return new Value("to_jsonb(" + t + ")", t, f.params);
    }

    private static final class Frag {
        final StringBuilder sql = new StringBuilder();
        final List<Object> params = new ArrayList<>();

        Frag add(String text) {
            sql.append(text);
            return this;
        }

        Frag param(String text, Object value) {
            sql.append(text);
            params.add(value);
            return this;
        }
    }

    /** PocketBase's formula with the argument index of each coordinate: latA, latB, lonB, lonA, latA, latB. */
    private static final int[] GEO_ARGS = {1, 3, 2, 0, 1, 3};
    private static final String[] GEO_TEXT = {
        // the clamp is a CASE, not least/greatest: those skip a NULL, and a missing coordinate must stay NULL
        "(SELECT 6371 * acos(CASE WHEN _c > 1 THEN 1::float8 WHEN _c < -1 THEN -1::float8 ELSE _c END) FROM (SELECT cos(radians(",
        ")) * cos(radians(", ")) * cos(radians(", ") - radians(", ")) + sin(radians(", ")) * sin(radians(", ")) AS _c) AS _g)"};

    private static void geoDistance(List<Operand> a, SqlTarget target, Frag f) {
        for (int i = 0; i < GEO_ARGS.length; i++) {
            f.add(GEO_TEXT[i]);
            number(a.get(GEO_ARGS[i]), target, f);
        }
        f.add(GEO_TEXT[GEO_ARGS.length]);
    }

    private static void number(Operand o, SqlTarget target, Frag f) {
        switch (o) {
            case Literal l when Functions.number(l.value()) != null -> f.param("?::float8", Double.toString(Functions.number(l.value())));
            case Literal l -> f.add("NULL::float8");
            case Field field -> {
                String j = json(field, target);
                String t = "(" + j + " #>> '{}')";
                f.add("(CASE jsonb_typeof(" + j + ") WHEN 'number' THEN (" + j + ")::float8 WHEN 'string' THEN (CASE WHEN "
                        + t + " ~ '" + Functions.DECIMAL + "' THEN " + t + "::float8 END) END)");
            }
            case Call c -> throw new IllegalArgumentException("nested call");
        }
    }

    private static String json(Field field, SqlTarget target) {
        return field.modifier() == null ? target.json(field.path()) : SqlModifiers.value(target, field);
    }

    private static void strftime(Call call, SqlTarget target, Frag f) {
        f.add("(SELECT CASE WHEN _t IS NULL OR _t < '0001-01-01'::timestamp OR _t >= '10000-01-01'::timestamp"
                + " THEN ''::text ELSE ");
        List<Object> pieces = Strftime.pieces((String) ((Literal) call.args().get(0)).value());
        if (pieces.isEmpty()) f.add("''::text");
        for (int i = 0; i < pieces.size(); i++) {
            if (i > 0) f.add(" || ");
            if (pieces.get(i) instanceof String s) f.param("?::text", SqlText.pgText(s));
            else f.add(specifier((Character) pieces.get(i)));
        }
        f.add(" END FROM (SELECT ");
        List<Operand> modifiers = call.args().subList(2, call.args().size());
        for (int i = modifiers.size() - 1; i >= 0; i--) {
            Strftime.Modifier m = Strftime.modifier((String) ((Literal) modifiers.get(i)).value());
            f.add(m.start() ? "date_trunc('" + m.unit().name().toLowerCase(java.util.Locale.ROOT).replaceAll("s$", "") + "', " : "(");
        }
        String h = "COALESCE(_r[" + Strftime.HOUR + "]::int, 0)";
        String mi = "COALESCE(_r[" + Strftime.MINUTE + "]::int, 0)";
        String sec = "COALESCE(_r[" + Strftime.SECOND + "]::int, 0)";
        String zone = "_r[" + Strftime.ZONE + "]";
        f.add("(CASE WHEN _r IS NULL OR _r[1]::int < 1 OR _r[2]::int NOT BETWEEN 1 AND 12 OR _r[3]::int NOT BETWEEN 1 AND 31"
                + " OR " + h + " > 23 OR " + mi + " > 59 OR " + sec + " > 59 THEN NULL"
                + " ELSE make_timestamp(_r[1]::int, 1, 1, " + h + ", " + mi + ", " + sec + ")"
                + " + make_interval(months => _r[2]::int - 1, days => _r[3]::int - 1)"
                + " + ((substr(rpad(COALESCE(_r[" + Strftime.FRACTION + "], ''), 4, '0'), 1, 4)::int + 5) / 10) * interval '1 millisecond'"
                + " - (CASE WHEN " + zone + " IS NULL OR " + zone + " = 'Z' THEN 0 ELSE (CASE WHEN left(" + zone + ", 1) = '-'"
                + " THEN -1 ELSE 1 END) * (substr(" + zone + ", 2, 2)::int * 60 + substr(" + zone + ", 5, 2)::int) END)"
                + " * interval '1 minute' END)");
        for (Operand mod : modifiers) {
            Strftime.Modifier m = Strftime.modifier((String) ((Literal) mod).value());
            if (m.start()) f.add(")");
            else f.param(" + ?::bigint * interval '1 " + m.unit().name().toLowerCase(java.util.Locale.ROOT).replaceAll("s$", "") + "')", Long.toString(m.amount()));
        }
        f.add(" AS _t FROM (SELECT regexp_match(");
        time(call.args().get(1), target, f);
        f.add(", '" + Strftime.TIME_REGEX + "') AS _r) AS _a) AS _b)");
    }

    private static void time(Operand o, SqlTarget target, Frag f) {
        switch (o) {
            case Literal(String s) -> f.param("?::text", SqlText.pgText(s));
            case Literal l -> f.add("NULL::text");
            case Field field -> {
                String j = json(field, target);
                String t = field.modifier() == null ? target.text(field.path()) : "(" + j + " #>> '{}')";
                f.add("(CASE WHEN jsonb_typeof(" + j + ") = 'string' THEN " + t + " END)");
            }
            case Call c -> throw new IllegalArgumentException("nested call");
        }
    }

    private static String specifier(char c) {
        return switch (c) {
            case 'd' -> "to_char(_t, 'DD')";
            case 'f' -> "to_char(_t, 'SS.MS')";
            case 'H' -> "to_char(_t, 'HH24')";
            case 'j' -> "to_char(_t, 'DDD')";
            case 'm' -> "to_char(_t, 'MM')";
            case 'M' -> "to_char(_t, 'MI')";
            case 'S' -> "to_char(_t, 'SS')";
            case 'w' -> "(extract(dow FROM _t)::int)::text";
            case 'W' -> "lpad(((extract(doy FROM _t)::int + 6 - (extract(isodow FROM _t)::int - 1)) / 7)::text, 2, '0')";
            default -> "to_char(_t, 'YYYY')";
        };
    }
}
