package dev.nanodb.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compiles a filter into a PostgreSQL {@code WHERE} condition with exactly the semantics of {@link Values#test}
 * (and so of the {@link Evaluator}), over values that a {@link SqlTarget} locates as {@code jsonb}.
 *
 * <p>Invariants: every literal becomes a bound parameter; the only text spliced into the SQL is the target's
 * expressions and fixed SQL of this class. Each comparison yields TRUE or FALSE, or SQL NULL only where FALSE
 * would give the same answer (the language has no negation above a comparison, so NULL acts as FALSE).
 *
 * <p>How the value model maps to SQL: the rank of {@link Values#typeRank} is computed from
 * {@code jsonb_typeof}; numbers compare as {@code float8} (Java's {@code doubleValue()}), strings as text under
 * the {@code "C"} collation (code point order for UTF-8), {@code ~} on the text of {@link Values#likeText} with
 * {@code lower()} and {@code LIKE … ESCAPE ''} (no escape character, as the evaluator). A field compared with a
 * literal of known type gets a simpler form ({@code json = ?::jsonb}, typed ranges) that an expression index on
 * the field can serve; it is used only where it is provably equivalent (numbers below 2^53 in magnitude, where
 * jsonb's exact numeric order and double order agree). Lists and objects order by their jsonb text, an
 * approximation of {@link Values#canonicalText} that only matters for sorting such values.
 *
 * <p>PostgreSQL text cannot hold U+0000, so strings are stored and compared in the order-preserving form of
 * {@link SqlText#pgText}; a store must write string values through it too.
 */
public final class SqlCompiler {
    private static final double SAFE_MAGNITUDE = 0x1p53;

    private final SqlTarget target;
    private final StringBuilder sql = new StringBuilder();
    private final List<Object> params = new ArrayList<>();
    private int aliases;

    private SqlCompiler(SqlTarget target) {
        this.target = target;
    }

    /** The condition for {@code expr}; a null filter is {@code TRUE}. */
    public static Sql compile(Expr expr, SqlTarget target) {
        if (expr == null) return new Sql("TRUE", List.of());
        SqlCompiler c = new SqlCompiler(target);
        c.expr(expr);
        return new Sql(c.sql.toString(), c.params);
    }

    private void expr(Expr e) {
        switch (e) {
            case And a -> junction(a.terms(), " AND ");
            case Or o -> junction(o.terms(), " OR ");
            case Compare c -> compare(c);
            case Not n -> {
                sql.append("(NOT COALESCE(");
                expr(n.term());
                sql.append(", FALSE))");
            }
            case Member m -> {
                Sql member = SqlMember.condition(target, m, "_m" + aliases++);
                sql.append(member.text());
                params.addAll(member.params());
            }
        }
    }

    private void junction(List<Expr> terms, String op) {
        sql.append('(');
        for (int i = 0; i < terms.size(); i++) {
            if (i > 0) sql.append(op);
            expr(terms.get(i));
        }
        sql.append(')');
    }

    private void compare(Compare c) {
        Op op = c.op();
        if (c.left() instanceof Literal l && c.right() instanceof Literal r) {
            sql.append(Values.test(op, l.value(), r.value()) ? "TRUE" : "FALSE");
        } else if (c.left() instanceof Field f && "each".equals(f.modifier()) && !f.path().startsWith("@")) {
            each(f, op, arg(c.right()));
        } else if (modified(c.left()) || modified(c.right())) {
            Arg left = arg(c.left());
            Arg right = arg(c.right());
            if (op.anyOf()) anyOf(left, op.base(), right);
            else base(left, op, right);
        } else if (c.left() instanceof Field f && c.right() instanceof Literal l && !op.anyOf()) {
            fieldLiteral(f.path(), op, l.value());
        } else if (c.left() instanceof Literal l && c.right() instanceof Field f && flipped(op.base()) != null) {
            fieldLiteral(f.path(), flipped(op.base()), l.value());
        } else {
            Arg left = arg(c.left());
            Arg right = arg(c.right());
            if (op.anyOf()) anyOf(left, op.base(), right);
            else base(left, op, right);
        }
    }

    private static boolean modified(Operand o) {
        return o instanceof Field f && f.modifier() != null && !f.path().startsWith("@");
    }

    /**
     * {@code field:each op value} ({@link Values#modify}): over a non-empty array, a {@code ?}-operator holds when
     * some element satisfies the base operator and a plain one when every element does; an empty array is one
     * null value; any other value is compared as it is.
     */
    private void each(Field f, Op op, Arg right) {
        String j = target.json(f.base());
        Arg whole = new Arg(j, "(" + j + " #>> '{}')", List.of());
        String alias = "_e" + aliases++;
        Arg element = new Arg(alias + ".v", alias + ".v #>> '{}'", List.of());
        sql.append("(CASE WHEN jsonb_typeof(").append(j).append(") = 'array' AND jsonb_array_length(").append(j)
                .append(") > 0 THEN ").append(op.anyOf() ? "EXISTS" : "NOT EXISTS").append(" (SELECT 1 FROM jsonb_array_elements(")
                .append(j).append(") AS ").append(alias).append("(v) WHERE ");
        if (!op.anyOf()) sql.append("NOT ");
        base(element, op.base(), right);
        sql.append(") WHEN jsonb_typeof(").append(j).append(") = 'array' THEN ");
        base(new Arg("NULL::jsonb", "NULL::text", List.of()), op.base(), right);
        sql.append(" ELSE ");
        base(whole, op.base(), right);
        sql.append(" END)");
    }

    /** {@code lit op field} as {@code field op' lit}; null when the operator is not symmetric or mirrored. */
    private static Op flipped(Op op) {
        return switch (op) {
            case EQ, NEQ -> op;
            case GT -> Op.LT;
            case GTE -> Op.LTE;
            case LT -> Op.GT;
            case LTE -> Op.GTE;
            default -> null;
        };
    }

    /** A value as SQL: its jsonb form and its text form, with the parameters each form binds. */
    private record Arg(String json, String text, List<Object> params) {}

    private Arg arg(Operand o) {
        return switch (o) {
            case Field f when modified(f) -> modifiedArg(f);
            case Field f -> new Arg(target.json(f.path()), target.text(f.path()), List.of());
            case Literal l when l.value() == null -> new Arg("NULL::jsonb", "NULL::text", List.of());
            case Literal l -> new Arg("?::jsonb", "(?::jsonb #>> '{}')", List.of(SqlText.jsonLiteral(l.value())));
            case Call call -> {
                SqlFunctions.Value v = SqlFunctions.of(call, target);
                yield new Arg(v.json(), v.text(), v.params());
            }
        };
    }

    /** A stored field with a modifier, as {@link SqlModifiers#value} computes it. */
    private Arg modifiedArg(Field f) {
        String v = SqlModifiers.value(target, f);
        return new Arg(v, "(" + v + " #>> '{}')", List.of());
    }

    private void json(Arg a) {
        sql.append('(').append(a.json).append(')');
        params.addAll(a.params);
    }

    private void text(Arg a) {
        sql.append('(').append(a.text).append(')');
        params.addAll(a.params);
    }

    private void fieldLiteral(String path, Op op, Object v) {
        Arg f = new Arg(target.json(path), target.text(path), List.of());
        if (op == Op.LIKE || op == Op.NOT_LIKE) {
            likeLiteral(f, op, v);
            return;
        }
        if (v == null) {
            switch (op) {
                case EQ -> presence(f, false);
                case NEQ -> presence(f, true);
                default -> sql.append("FALSE");
            }
            return;
        }
        String column = target.textColumn(path);
        if (v instanceof String s && column != null) {
            sql.append('(').append(column).append(' ').append(op.symbol()).append(" ?)");
            params.add(SqlText.pgText(s));
            return;
        }
        if (v instanceof String s && op != Op.EQ && op != Op.NEQ) {
            sql.append("(jsonb_typeof");
            json(f);
            sql.append(" = 'string' AND ");
            text(f);
            sql.append(" COLLATE \"C\" ").append(op.symbol()).append(" ?)");
            params.add(SqlText.pgText(s));
            return;
        }
        if (v instanceof Number n && !(Math.abs(n.doubleValue()) < SAFE_MAGNITUDE)) {
            base(f, op, arg(new Literal(v)));
            return;
        }
        String type = v instanceof Boolean ? "boolean" : "number";
        // jsonb equality is type-aware (the string "5" never equals the number 5) and exact for strings, so
        // equality on any type is one comparison the field's jsonb index serves and its statistics estimate.
        switch (op) {
            case EQ -> {
                json(f);
                sql.append(" = ?::jsonb");
            }
            case NEQ -> {
                sql.append('(');
                json(f);
                sql.append(" IS NULL OR ");
                json(f);
                sql.append(" <> ?::jsonb)");
            }
            default -> {
                sql.append("(jsonb_typeof");
                json(f);
                sql.append(" = '").append(type).append("' AND ");
                json(f);
                sql.append(' ').append(op.symbol()).append(" ?::jsonb)");
            }
        }
        params.add(SqlText.jsonLiteral(v));
    }

    /** The value is present and not JSON null ({@code wanted}), or absent or null. */
    private void presence(Arg f, boolean wanted) {
        sql.append('(');
        json(f);
        sql.append(wanted ? " IS NOT NULL AND jsonb_typeof" : " IS NULL OR jsonb_typeof");
        json(f);
        sql.append(wanted ? " <> 'null')" : " = 'null')");
    }

    private void likeLiteral(Arg f, Op op, Object v) {
        String pattern = Values.likeText(v);
        if (pattern == null) {
            if (op == Op.LIKE) sql.append("FALSE");
            else presence(f, true);
            return;
        }
        pattern = SqlText.pgText(pattern.toLowerCase(Locale.ROOT));
        if (op == Op.NOT_LIKE) {
            sql.append('(');
            presence(f, true);
            sql.append(" AND NOT ");
        }
        sql.append("COALESCE(");
        if (pattern.indexOf('%') >= 0) {
            sql.append("lower");
            likeText(f);
            sql.append(" LIKE ? ESCAPE ''");
        } else {
            sql.append("strpos(lower");
            likeText(f);
            sql.append(", ?) > 0");
        }
        sql.append(", FALSE)");
        params.add(pattern);
        if (op == Op.NOT_LIKE) sql.append(')');
    }

    private void likeText(Arg a) {
        sql.append("(CASE jsonb_typeof");
        json(a);
        sql.append(" WHEN 'string' THEN ");
        text(a);
        sql.append(" WHEN 'number' THEN trim_scale(");
        json(a);
        sql.append("::numeric)::text END)");
    }

    private void anyOf(Arg left, Op base, Arg right) {
        String alias = "_e" + aliases++;
        Arg element = new Arg(alias + ".v", alias + ".v #>> '{}'", List.of());
        sql.append("(CASE WHEN jsonb_typeof");
        json(left);
        sql.append(" = 'array' THEN EXISTS (SELECT 1 FROM jsonb_array_elements");
        json(left);
        sql.append(" AS ").append(alias).append("(v) WHERE ");
        base(element, base, right);
        sql.append(") ELSE ");
        base(left, base, right);
        sql.append(" END)");
    }

    /** The general form of {@code a op b} for any two jsonb values; never NULL. */
    private void base(Arg a, Op op, Arg b) {
        switch (op) {
            case EQ -> equal(a, b);
            case NEQ -> {
                sql.append("(NOT ");
                equal(a, b);
                sql.append(')');
            }
            case LIKE -> like(a, b);
            case NOT_LIKE -> {
                sql.append("(CASE WHEN ");
                json(a);
                sql.append(" IS NULL OR jsonb_typeof");
                json(a);
                sql.append(" = 'null' THEN FALSE ELSE NOT ");
                like(a, b);
                sql.append(" END)");
            }
            default -> ordered(a, op.symbol(), b);
        }
    }

    private void equal(Arg a, Arg b) {
        sql.append("(CASE WHEN ");
        rank(a);
        sql.append(" <> ");
        rank(b);
        sql.append(" THEN FALSE WHEN ");
        rank(a);
        sql.append(" = 0 THEN TRUE WHEN ");
        rank(a);
        sql.append(" = 2 THEN ");
        cast(a, "number", "float8");
        sql.append(" = ");
        cast(b, "number", "float8");
        sql.append(" WHEN ");
        rank(a);
        sql.append(" = 3 THEN ");
        text(a);
        sql.append(" = ");
        text(b);
        sql.append(" ELSE ");
        json(a);
        sql.append(" = ");
        json(b);
        sql.append(" END)");
    }

    /** {@code WHEN rank(a) = typeRank THEN a::sqlType symbol b::sqlType}, both sides known to hold {@code jsonType}. */
    private void typedBranch(Arg a, int typeRank, String jsonType, String sqlType, String symbol, Arg b) {
        sql.append(" WHEN ");
        rank(a);
        sql.append(" = ").append(typeRank).append(" THEN ");
        cast(a, jsonType, sqlType);
        sql.append(' ').append(symbol).append(' ');
        cast(b, jsonType, sqlType);
    }

    private void ordered(Arg a, String symbol, Arg b) {
        sql.append("(CASE WHEN ");
        rank(a);
        sql.append(" <> ");
        rank(b);
        sql.append(" THEN FALSE");
        typedBranch(a, 1, "boolean", "boolean", symbol, b);
        typedBranch(a, 2, "number", "float8", symbol, b);
        sql.append(" WHEN ");
        rank(a);
        sql.append(" = 3 THEN ");
        text(a);
        sql.append(" COLLATE \"C\" ").append(symbol).append(' ');
        text(b);
        sql.append(" COLLATE \"C\" ELSE FALSE END)");
    }

    /**
     * {@code a} as an SQL scalar, guarded by its own type test: the planner folds a bound literal's cast even in a
     * CASE branch that can never run, and casting a jsonb string to float8 would fail the whole statement.
     */
    private void cast(Arg a, String jsonType, String sqlType) {
        sql.append("(CASE WHEN jsonb_typeof");
        json(a);
        sql.append(" = '").append(jsonType).append("' THEN ");
        json(a);
        sql.append("::").append(sqlType).append(" END)");
    }

    private void like(Arg a, Arg b) {
        sql.append("COALESCE((SELECT CASE WHEN strpos(_p, '%') > 0 THEN lower(_t) LIKE lower(_p) ESCAPE ''")
                .append(" ELSE strpos(lower(_t), lower(_p)) > 0 END FROM (SELECT ");
        likeText(a);
        sql.append(" AS _t, ");
        likeText(b);
        sql.append(" AS _p) AS _l").append(aliases++).append("), FALSE)");
    }

    private void rank(Arg a) {
        sql.append("(CASE jsonb_typeof");
        json(a);
        sql.append(" WHEN 'boolean' THEN 1 WHEN 'number' THEN 2 WHEN 'string' THEN 3 WHEN 'array' THEN 4")
                .append(" WHEN 'object' THEN 4 ELSE 0 END)");
    }

    /**
     * Whether {@code field = v} means exactly {@code json(field) = v::jsonb} (what this compiler emits for it): a
     * string, a boolean, or a number below 2^53 in magnitude, where jsonb's exact numbers and doubles agree.
     */
    public static boolean jsonbEquality(Object v) {
        return v instanceof String || v instanceof Boolean || (v instanceof Number n && Math.abs(n.doubleValue()) < SAFE_MAGNITUDE);
    }
}
