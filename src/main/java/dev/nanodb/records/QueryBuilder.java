package dev.nanodb.records;

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
import dev.nanodb.filter.Op;
import dev.nanodb.filter.Operand;
import dev.nanodb.filter.Or;
import dev.nanodb.json.Json;
import dev.nanodb.rules.Access;
import dev.nanodb.rules.SecretFields;
import dev.nanodb.rules.RequestInfo;
import dev.nanodb.schema.AuthFields;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import dev.nanodb.store.Query;
import dev.nanodb.store.SortKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a client's {@code filter} and {@code sort} into a store {@link Query}, refusing what a client may not
 * ask: unknown fields of a collection with a schema and hidden fields (400, so no filter becomes an oracle on a
 * value the client cannot read), and {@code @request.*}/{@code @collection.*} references in a client's own
 * filter (403); an auth record's {@code email} matches only where it is visible ({@link #hideEmails}).
 * Date macros ({@code @now}, {@code @todayStart}, …) are replaced by their values at one instant per request. In
 * {@code sort}, PocketBase's {@code @random} becomes the store's {@link SortKey#RANDOM}, {@code @rowid} (SQLite's
 * insertion order) sorts by {@code created}, ties by id, and a function call sorts by its value. Superusers may name {@code @request.*} (bound to
 * this request's values) and hidden fields, though never a password hash or a token key.
 */
public final class QueryBuilder {
    public static final int MAX_SORT_FIELDS = 8;
    private static final java.util.Set<String> SYSTEM = java.util.Set.of("id", "created", "updated", "_version");

    private QueryBuilder() {}

    public static Query build(CollectionDef c, ListParams p, RequestInfo req) {
        return new Query(c.name(), clientFilter(c, p.filter(), req), sort(c, p.sort(), req.superuser()), p.page(),
                p.perPage(), p.skipTotal());
    }

    /** A client's own list filter, checked; its date macros are this request's instant. */
    public static Expr clientFilter(CollectionDef c, String text, RequestInfo req) {
        return clientFilter(c, text, req, false);
    }

    /**
     * A client's own filter, checked as for a list.
     *
     * @param live a realtime subscription's filter: its date macros stay references, valued at each event (a
     *             subscription made yesterday sees today's {@code @todayStart})
     */
    public static Expr clientFilter(CollectionDef c, String text, RequestInfo req, boolean live) {
        Expr filter = filter(c, text, req.superuser(), live);
        return req.superuser() ? Access.bindRequest(filter, req, live) : filter;
    }

    static Expr filter(CollectionDef c, String text, boolean superuser) {
        return filter(c, text, superuser, false);
    }

    /** @param superuser superusers may name {@code @request.*} and hidden fields (never a password) */
    private static Expr filter(CollectionDef c, String text, boolean superuser, boolean live) {
        if (text == null) return null;
        Expr e;
        try {
            String t = text.strip();
            e = t.startsWith("{") ? Filters.fromEquality(Json.parseObject(t.getBytes(StandardCharsets.UTF_8))) : Filters.parse(t);
        } catch (FilterSyntaxException ex) {
            throw ApiException.invalidField("filter", "validation_invalid_filter", ex.getMessage());
        } catch (Json.JsonException ex) {
            throw ApiException.invalidField("filter", "validation_invalid_filter", ex.getMessage());
        }
        return e == null ? null : rewrite(new Ctx(c, superuser, live, new Instant[1]), e);
    }

    /**
     * What rewriting one filter needs.
     *
     * @param now holds the instant once a date macro asked for it, so one filter sees one moment
     */
    private record Ctx(CollectionDef c, boolean superuser, boolean live, Instant[] now) {}

    private static Expr rewrite(Ctx x, Expr e) {
        return switch (e) {
            case And a -> new And(a.terms().stream().map(t -> rewrite(x, t)).toList());
            case Or o -> new Or(o.terms().stream().map(t -> rewrite(x, t)).toList());
            case Not n -> new Not(rewrite(x, n.term()));
            case Member m -> m;
            case Compare cmp -> hideEmails(x.c(), new Compare(operand(x, cmp.left()), cmp.op(), operand(x, cmp.right())),
                    x.superuser());
        };
    }

    /**
     * A comparison of an auth record's {@code email} in a non-superuser's filter holds only for records whose
     * email is visible ({@code && emailVisibility = true}), as in PocketBase: otherwise a filter would tell whether
     * a hidden address is someone's. The owner is no exception (PocketBase's client filters make none).
     */
    private static Expr hideEmails(CollectionDef c, Compare cmp, boolean superuser) {
        if (superuser || !c.isAuth() || !(namesEmail(cmp.left()) || namesEmail(cmp.right()))) return cmp;
        return new And(List.of(cmp, new Compare(new Field(AuthFields.EMAIL_VISIBILITY), Op.EQ, new Literal(true))));
    }

    private static boolean namesEmail(Operand o) {
        return o instanceof Field f && f.base().equals(AuthFields.EMAIL);
    }

    private static Operand operand(Ctx x, Operand o) {
        if (o instanceof Call call) return new Call(call.name(), call.args().stream().map(a -> argument(x, call, a)).toList());
        if (!(o instanceof Field f)) return o;
        String path = f.path();
        if (Macros.isMacro(path)) {
            if (x.live()) return f;
            if (x.now()[0] == null) x.now()[0] = Instant.now();
            return new Literal(Macros.value(path, x.now()[0]));
        }
        boolean superuser = x.superuser();
        CollectionDef c = x.c();
        if (superuser && (path.startsWith("@request.") || path.startsWith("@collection."))) return f;
        if (path.startsWith("@") && !path.startsWith("@request.") && !path.startsWith("@collection.")) {
            throw ApiException.invalidField("filter", "validation_invalid_filter", "Unknown reference: " + path);
        }
        if (path.startsWith("@")) {
            throw new ApiException(403, "Only superusers can filter by @request or @collection references.",
                    Map.of("filter", ApiException.fieldError("validation_forbidden_reference", "Not allowed: " + path)));
        }
        checkField(c, path, "filter", superuser);
        return f;
    }

    /** A function's argument: as an operand, but only the record's own fields (no relation path, no join). */
    private static Operand argument(Ctx x, Call call, Operand a) {
        if (a instanceof Field f && !f.path().startsWith("@") && f.path().contains(".")) {
            String top = f.path().substring(0, f.path().indexOf('.'));
            if (top.contains("_via_") || x.c().field(top).map(d -> d.type() == FieldType.RELATION).orElse(false)) {
                throw ApiException.invalidField("filter", "validation_invalid_filter",
                        call.name() + "() takes the record's own fields, not a relation path: " + f.path());
            }
        }
        if (a instanceof Field f && f.isCollectionRef()) {
            throw ApiException.invalidField("filter", "validation_invalid_filter", call.name() + "() cannot take an @collection field");
        }
        return operand(x, a);
    }

    private static void checkField(CollectionDef c, String path, String param, boolean superuser) {
        String top = path.contains(".") ? path.substring(0, path.indexOf('.')) : path;
        if (top.indexOf(':') >= 0) top = top.substring(0, top.indexOf(':'));
        if (SYSTEM.contains(top)) return;
        // a back-relation (comments_via_post.body) is checked with the whole path by SemiJoin
        if (path.contains(".") && top.contains("_via_") && c.field(top).isEmpty()) return;
        FieldDef f = c.field(top).orElse(null);
        if (f == null && !c.schemaless()) {
            throw ApiException.invalidField(param, "validation_unknown_field", "Unknown field: " + top);
        }
        boolean secret = f != null && SecretFields.secret(c, f);
        if (f != null && f.hidden() && (secret || !superuser)) {
            throw ApiException.invalidField(param, "validation_hidden_field", "Hidden fields cannot be used: " + top);
        }
    }

    static List<SortKey> sort(CollectionDef c, String text, boolean superuser) {
        List<SortKey> out = new ArrayList<>();
        if (text == null) return out;
        Instant[] now = new Instant[1];
        for (String part : terms(text)) {
            String s = part.strip();
            if (s.isEmpty()) continue;
            boolean desc = s.startsWith("-");
            if (desc || s.startsWith("+")) s = s.substring(1).strip();
            if (s.equals("@random")) {
                out.add(new SortKey(SortKey.RANDOM, false));
                continue;
            }
            if (s.equals("@rowid")) { // insertion order: the create stamp, ties by id (time-ordered)
                out.add(new SortKey("created", desc));
                continue;
            }
            if (s.endsWith(")")) {
                out.add(SortKey.of(sortCall(c, s, superuser, now), desc));
                continue;
            }
            if (!s.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*")) {
                throw ApiException.invalidField("sort", "validation_invalid_sort", "Not a field name: " + s);
            }
            checkField(c, s, "sort", superuser);
            String top = s.contains(".") ? s.substring(0, s.indexOf('.')) : null;
            if (top != null && (c.field(top).map(f -> f.type() == FieldType.RELATION).orElse(false) || top.contains("_via_"))) {
                throw ApiException.invalidField("sort", "validation_invalid_sort", "Sorting by a relation path is not supported: " + s);
            }
            out.add(new SortKey(s, desc));
        }
        if (out.size() > MAX_SORT_FIELDS) {
            throw ApiException.invalidField("sort", "validation_invalid_sort", "At most " + MAX_SORT_FIELDS + " sort fields.");
        }
        return out;
    }

    /** A sort term that is a function ({@code geoDistance(loc.lon, loc.lat, 12.5, 41.9)}), checked as in a filter. */
    private static Call sortCall(CollectionDef c, String text, boolean superuser, Instant[] now) {
        try {
            return (Call) operand(new Ctx(c, superuser, false, now), Filters.parseCall(text));
        } catch (FilterSyntaxException e) {
            throw ApiException.invalidField("sort", "validation_invalid_sort", e.getMessage());
        } catch (ApiException e) {
            if (e.status() != 400) throw e;
            throw ApiException.invalidField("sort", "validation_invalid_sort", e.getMessage());
        }
    }

    /** The sort's comma-separated terms; commas inside parentheses or quotes belong to a function's arguments. */
    private static List<String> terms(String text) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quote != 0) {
                if (ch == '\\') i++;
                else if (ch == quote) quote = 0;
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
            } else if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
            } else if (ch == ',' && depth == 0) {
                out.add(text.substring(start, i));
                start = i + 1;
            }
        }
        out.add(text.substring(start));
        return out;
    }
}
