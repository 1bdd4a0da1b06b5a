package dev.nanodb.rules;

import dev.nanodb.filter.Resolver;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.Record;
import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Literal;
import dev.nanodb.filter.Macros;
import dev.nanodb.filter.Op;
import dev.nanodb.filter.Values;
import dev.nanodb.store.CollectionDef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Values of the paths a rule may name: {@code @request.auth.*}, {@code @request.body.*},
 * {@code @request.query.*}, {@code @request.method}, the date macros ({@code @now}, {@code @todayStart}, …), and the record's own fields (system fields,
 * user fields, {@code a.b} into JSON objects). Missing paths are null.
 *
 * <p>For an anonymous caller {@code @request.auth.id}, {@code collectionId}, {@code collectionName} and
 * {@code email} are {@code ""} (PocketBase: {@code @request.auth.id != ""} means "logged in") and every other
 * auth path is null. A body or query value that was not sent is {@code ""}, so {@code @request.body.title = ""}
 * reads "title was not sent", as in PocketBase. A body value sent as JSON {@code null} stays null: it was sent
 * (it clears the field), so it does not pass {@code @request.body.title = ""} and does pass
 * {@code @request.body.title != ""}. An auth record's hidden fields (its password hash, its token key) are never
 * resolvable. {@code @request.auth.<relation>.<field>} follows the caller's own relations as a record path does
 * (a {@link Values.Multi} through a multiple relation).
 */
final class RuleResolver implements Resolver {
    private static final String AUTH = "@request.auth.";
    private static final String BODY = "@request.body.";
    private static final String QUERY = "@request.query.";
    /** At most this many related records are loaded per evaluation (one rule or filter on one record). */
    static final int MAX_LOADS = 1000;
    private final RequestInfo request;
    private final Record record;
    private final CollectionDef def;
    private final Lookup lookup;
    private final Visible visible;
    private int loads;
    /** The instant of every date macro this resolver answers: one evaluation sees one moment. */
    private Instant now;
    private boolean keepMacros;

    /** Which related records a path may reach (a client's filter: those the caller may list). */
    interface Visible {
        boolean test(CollectionDef c, Record r);
    }

    /** A relation path needed more than {@link #MAX_LOADS} records. */
    static final class TooManyLoads extends RuntimeException {
        TooManyLoads() {
            super("a relation path loads too many records", null, false, false);
        }
    }

    /** Only {@code @request.*} paths, following the caller's relations through {@code lookup}. */
    RuleResolver(RequestInfo request, Lookup lookup) {
        this(request, null, null, lookup, null);
    }

    /**
     * @param def     the record's collection: relation paths are resolved against it (null: no relation paths)
     * @param visible null = every related record (rules); else only those it admits, the others count as absent
     */
    RuleResolver(RequestInfo request, Record record, CollectionDef def, Lookup lookup, Visible visible) {
        this.request = request;
        this.record = record;
        this.def = def;
        this.lookup = lookup;
        this.visible = visible;
    }

    /** Binding with this resolver leaves date macros as references (a realtime filter values them per event). */
    void keepMacros() {
        keepMacros = true;
    }

    boolean keepsMacro(Field f) {
        return keepMacros && Macros.isMacro(f.base());
    }

    @Override
    public Object resolve(String path) {
        if (path.startsWith("@")) return request(path);
        if (record == null) return null;
        if (def == null || path.indexOf('.') < 0) return record.resolve(path);
        RelationPath p;
        try {
            p = RelationPath.of(def, path, lookup::collection);
        } catch (RelationPath.Invalid e) {
            return null;
        }
        if (!p.crossesRelation()) return record.resolve(path);
        return follow(record, p);
    }

    /**
     * The value of a relation path from {@code start}: one value per record reached (a {@link Values.Multi} when
     * a hop can reach many), and one null for a hop that reaches nothing (empty relation, missing or invisible
     * target), as PocketBase's LEFT JOIN yields one row of NULLs.
     */
    private Object follow(Record start, RelationPath p) {
        List<Record> cur = new ArrayList<>();
        cur.add(start);
        for (RelationPath.Hop hop : p.hops()) {
            List<Record> next = new ArrayList<>();
            for (Record r : cur) {
                if (r == null) {
                    next.add(null);
                    continue;
                }
                List<Record> reached = reach(hop, r);
                if (reached.isEmpty()) next.add(null);
                else next.addAll(reached);
            }
            cur = next;
        }
        List<Object> values = new ArrayList<>(cur.size());
        for (Record r : cur) values.add(r == null ? null : r.resolve(p.field()));
        return p.many() ? new Values.Multi(values) : values.get(0);
    }

    private List<Record> reach(RelationPath.Hop hop, Record from) {
        List<Record> out = new ArrayList<>();
        if (hop.back()) {
            String f = hop.relation().name();
            Compare c = new Compare(new Field(f), hop.relation().multiple() ? Op.ANY_EQ : Op.EQ, new Literal(from.id()));
            charge(1);
            for (Record r : lookup.query(hop.to(), c, MAX_LOADS + 1)) {
                charge(1);
                if (visible == null || visible.test(hop.to(), r)) out.add(r);
            }
            return out;
        }
        Object v = from.resolve(hop.relation().name());
        List<?> ids = v instanceof List<?> l ? l : v instanceof String s && !s.isEmpty() ? List.of(s) : List.of();
        for (Object id : ids) {
            if (!(id instanceof String s)) continue;
            charge(1);
            Record r = lookup.get(hop.to(), s).orElse(null);
            if (r != null && (visible == null || visible.test(hop.to(), r))) out.add(r);
            else out.add(null); // a missing (or invisible) target is a null row
        }
        return out;
    }

    private void charge(int n) {
        loads += n;
        if (loads > MAX_LOADS) throw new TooManyLoads();
    }

    Object request(String path) {
        int colon = path.lastIndexOf(':');
        if (colon > path.lastIndexOf('.')) return modified(path.substring(0, colon), path.substring(colon + 1));
        return plainRequest(path);
    }

    /**
     * A modifier on a request value: {@code :isset} whether the body key was sent, {@code :length} the number of
     * submitted items, {@code :each} the submitted items one by one, {@code :lower} lower case, {@code :changed}
     * sent and different from the stored value (PocketBase's expansion).
     */
    private Object modified(String base, String modifier) {
        switch (modifier) {
            case "isset":
                if (base.startsWith(BODY)) return isSet(request.body(), base.substring(BODY.length()));
                if (base.startsWith(QUERY)) return request.query().containsKey(base.substring(QUERY.length()));
                return plainRequest(base) != null;
            case "changed":
                if (!base.startsWith(BODY) || record == null) return false;
                String f = base.substring(BODY.length());
                return isSet(request.body(), f) && !Values.equal(plainRequest(base), record.resolve(f));
            default:
                return Values.modify(modifier, plainRequest(base));
        }
    }

    private static boolean isSet(Map<String, Object> root, String path) {
        Object cur = root;
        for (String part : path.split("\\.")) {
            if (!(cur instanceof Map<?, ?> m) || !m.containsKey(part)) return false;
            cur = m.get(part);
        }
        return true;
    }

    private Object plainRequest(String path) {
        if (Macros.isMacro(path)) {
            if (now == null) now = Instant.now();
            return Macros.value(path, now);
        }
        if (path.equals("@request.method")) return request.method();
        if (path.startsWith(AUTH)) return auth(path.substring(AUTH.length()));
        if (path.startsWith(BODY)) return sent(request.body(), path.substring(BODY.length()));
        if (path.startsWith(QUERY)) return orEmpty(request.query().get(path.substring(QUERY.length())));
        return null;
    }

    private Object auth(String field) {
        Identity id = request.auth();
        if (id == null) {
            return switch (field) {
                case "id", "collectionId", "collectionName", "email" -> "";
                default -> null;
            };
        }
        switch (field) {
            case "collectionId": return id.collection().id();
            case "collectionName": return id.collection().name();
            default: break;
        }
        String top = field.contains(".") ? field.substring(0, field.indexOf('.')) : field;
        FieldDef def = id.collection().field(top).orElse(null);
        if (def != null && def.hidden()) return null;
        if (def != null && def.type() == dev.nanodb.store.FieldType.RELATION && !top.equals(field)) {
            try {
                RelationPath p = RelationPath.of(id.collection(), field, lookup::collection);
                if (p.crossesRelation()) return follow(id.record(), p);
            } catch (RelationPath.Invalid e) {
                return null;
            }
        }
        return id.record().resolve(field);
    }

    private static Object orEmpty(Object v) {
        return v == null ? "" : v;
    }

    /**
     * The body value at {@code path} as sent: null when it, or an object on the way, was sent as null (that clears
     * it); {@code ""} when a key on the way was not sent at all.
     */
    private static Object sent(Map<String, Object> root, String path) {
        Object cur = root;
        for (String part : path.split("\\.")) {
            if (cur == null) return null;
            if (!(cur instanceof Map<?, ?> m) || !m.containsKey(part)) return "";
            cur = m.get(part);
        }
        return cur;
    }
}
