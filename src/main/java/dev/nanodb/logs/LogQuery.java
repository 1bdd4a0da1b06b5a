package dev.nanodb.logs;

import dev.nanodb.error.ApiException;
import dev.nanodb.filter.And;
import dev.nanodb.filter.Call;
import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.FilterSyntaxException;
import dev.nanodb.filter.Filters;
import dev.nanodb.filter.Literal;
import dev.nanodb.filter.Macros;
import dev.nanodb.filter.Member;
import dev.nanodb.filter.Not;
import dev.nanodb.filter.Operand;
import dev.nanodb.filter.Or;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A checked logs list request. Filters and sorts name PocketBase's log fields only — {@code id}, {@code created},
 * {@code level}, {@code message}, {@code data} and any {@code data.*} path — anything else is a 400 naming the
 * parameter, as in PocketBase. Date macros ({@code @now}, {@code @todayStart} …) become their values at one
 * instant; {@code @request} and {@code @collection} mean nothing for logs (400). In {@code sort}, {@code @rowid}
 * (and {@code rowid}) is the insertion order, that is {@code created} then {@code id}; {@code @random} shuffles.
 *
 * @param filter   null = every entry
 * @param sort     the sort terms in order; empty = oldest first (PocketBase's insertion order)
 * @param fields   null = whole entries; otherwise the paths to keep ({@code id}, {@code data.url} …), in the order
 *                 the answer has them
 */
public record LogQuery(Expr filter, List<Sort> sort, int page, int perPage, Set<String> fields, boolean skipTotal) {
    /** One sort term: a field path, or {@link #RANDOM}. */
    public record Sort(String path, boolean desc) {}

    static final String RANDOM = "@random";
    static final int MAX_SORT_TERMS = 8;
    private static final Set<String> PLAIN = Set.of("id", "created", "level", "message");
    private static final Pattern DATA_PATH = Pattern.compile("data(\\.[A-Za-z0-9_]+)+");

    public LogQuery {
        sort = List.copyOf(sort);
        fields = fields == null ? null : java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(fields));
    }

    /**
     * Checks a list request's text parameters; {@code page}, {@code perPage} and {@code fields} come already parsed
     * (the same rules as records' lists).
     */
    public static LogQuery parse(String filter, String sort, int page, int perPage, Set<String> fields, boolean skipTotal) {
        return new LogQuery(filter(filter), sort(sort), page, perPage, fields(fields), skipTotal);
    }

    /** A logs filter, checked, its date macros replaced; null for none. */
    public static Expr filter(String text) {
        if (text == null || text.isBlank()) return null;
        Expr e;
        try {
            e = Filters.parse(text);
        } catch (FilterSyntaxException ex) {
            throw ApiException.invalidField("filter", "validation_invalid_filter", ex.getMessage());
        }
        return e == null ? null : rewrite(e, new Instant[1]);
    }

    private static Expr rewrite(Expr e, Instant[] now) {
        return switch (e) {
            case And a -> new And(a.terms().stream().map(t -> rewrite(t, now)).toList());
            case Or o -> new Or(o.terms().stream().map(t -> rewrite(t, now)).toList());
            case Not n -> new Not(rewrite(n.term(), now));
            case Member m -> m;
            case Compare c -> new Compare(operand(c.left(), now), c.op(), operand(c.right(), now));
        };
    }

    private static Operand operand(Operand o, Instant[] now) {
        if (o instanceof Call call) return new Call(call.name(), call.args().stream().map(a -> operand(a, now)).toList());
        if (!(o instanceof Field f)) return o;
        if (Macros.isMacro(f.path())) {
            if (now[0] == null) now[0] = Instant.now();
            return new Literal(Macros.value(f.path(), now[0]));
        }
        check(f.base(), "filter", "validation_invalid_filter");
        return f;
    }

    /** A field path a log has, or a 400 naming {@code param}. */
    private static void check(String path, String param, String code) {
        if (PLAIN.contains(path) || path.equals("data") || DATA_PATH.matcher(path).matches()) return;
        throw ApiException.invalidField(param, code, "Unknown log field: " + path
                + " (logs have id, created, level, message and data.*).");
    }

    static List<Sort> sort(String text) {
        List<Sort> out = new ArrayList<>();
        if (text == null) return out;
        for (String part : text.split(",")) {
            String s = part.strip();
            if (s.isEmpty()) continue;
            boolean desc = s.startsWith("-");
            if (desc || s.startsWith("+")) s = s.substring(1).strip();
            if (s.equals(RANDOM)) {
                out.add(new Sort(RANDOM, false));
            } else if (s.equals("@rowid") || s.equals("rowid")) {
                out.add(new Sort("created", desc));
                out.add(new Sort("id", desc));
            } else {
                check(s, "sort", "validation_invalid_sort");
                out.add(new Sort(s, desc));
            }
        }
        if (out.size() > MAX_SORT_TERMS) {
            throw ApiException.invalidField("sort", "validation_invalid_sort", "At most " + MAX_SORT_TERMS + " sort fields.");
        }
        return out;
    }

    private static Set<String> fields(Set<String> fields) {
        if (fields == null || fields.contains("*")) return null;
        for (String f : fields) {
            if (f.indexOf(':') >= 0) {
                throw ApiException.invalidField("fields", "validation_invalid_fields", "Logs take plain field names, no modifiers: " + f);
            }
            check(f, "fields", "validation_invalid_fields");
        }
        return fields;
    }

    /**
     * Whether the store's key order gives this sort: every term is {@code created} or {@code id}, all in one
     * direction (ids sort as their creation time, ties by sequence).
     */
    boolean keyOrder() {
        return sort.stream().allMatch(s -> s.path().equals("created") || s.path().equals("id"))
                && sort.stream().map(Sort::desc).distinct().count() <= 1;
    }

    boolean descending() {
        return !sort.isEmpty() && sort.get(0).desc();
    }

    long offset() {
        return (long) (page - 1) * perPage;
    }
}
