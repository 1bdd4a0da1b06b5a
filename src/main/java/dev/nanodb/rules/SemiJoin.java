package dev.nanodb.rules;

import dev.nanodb.error.ApiException;
import dev.nanodb.filter.And;
import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Filters;
import dev.nanodb.filter.Literal;
import dev.nanodb.filter.Member;
import dev.nanodb.filter.Not;
import dev.nanodb.filter.Op;
import dev.nanodb.filter.Or;
import dev.nanodb.filter.Values;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import dev.nanodb.store.Record;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns every comparison on a relation path into a semi-join the store can answer inside its query, so lists keep
 * exact totals and pages on both backends: the sub-condition is asked of the target collection first (through its
 * indexes), and the comparison becomes an id-set match ({@link Member}) of the relation field — or of {@code id},
 * for a back-relation — against the matching target ids. Nested paths recurse hop by hop.
 *
 * <p>Semantics (PocketBase's, see docs/API.md "Relation paths"): through a hop that can reach many records, a
 * {@code ?}-operator holds when some reached record matches and a plain operator when every reached record
 * matches (and there is one); a hop that reaches nothing (empty relation, missing target) yields one null value.
 * When the comparison holds for that null value ({@code author.name != "x"}), the match is expressed by the
 * complement, the target records for which it fails, so records with an empty or dangling relation are included
 * exactly as the per-record evaluation includes them.
 *
 * <p>Bound: a semi-join collects at most {@link #MAX_IDS} target records for a client's filter and
 * {@link #MAX_RULE_IDS} for a rule (a rule such as {@code author.owner = @request.auth.id} must serve a user who
 * owns many authors); beyond that the list is refused with a 400 that says so (no silent truncation, which would
 * make totals wrong). The records are read to take their ids, so the bound is also one of memory.
 *
 * <p>Client mode (a non-superuser's own filter): a path may enter a collection only if its list rule is not
 * locked (else 400), hidden fields are unreachable (400), and only target records the caller may list take part —
 * the others count as absent, like a dangling id. Rule mode (rules are written by superusers) follows relations
 * without the target's rules.
 */
public final class SemiJoin {
    public static final int MAX_IDS = 5000;
    public static final int MAX_RULE_IDS = 20_000;

    private final Lookup lookup;
    private final RequestInfo client;

    private SemiJoin(Lookup lookup, RequestInfo client) {
        this.lookup = lookup;
        this.client = client;
    }

    /** For rules: relations are followed without the targets' rules; hidden fields are reachable. */
    public static SemiJoin forRules(Lookup lookup) {
        return new SemiJoin(lookup, null);
    }

    /** For a caller's own filter: a superuser is as rules; anyone else sees only what the target list rules allow. */
    public static SemiJoin forClient(Lookup lookup, RequestInfo req) {
        return new SemiJoin(lookup, req.superuser() ? null : req);
    }

    /**
     * Checks every relation path of {@code e} as {@link #rewrite} would (unknown fields, hidden fields, collections
     * the caller may not enter, a path compared with a field), without reading anything: for a filter kept to be
     * judged later, such as a realtime subscription's.
     *
     * @throws ApiException 400 on the first path that {@link #rewrite} would refuse
     */
    public void check(CollectionDef c, Expr e) {
        switch (e) {
            case null -> { }
            case And a -> a.terms().forEach(t -> check(c, t));
            case Or o -> o.terms().forEach(t -> check(c, t));
            case Not n -> check(c, n.term());
            case Member m -> { }
            case Compare cmp -> {
                RelationPath left = path(c, cmp.left());
                RelationPath right = path(c, cmp.right());
                boolean l = left != null && left.crossesRelation();
                boolean r = right != null && right.crossesRelation();
                if (l && r || l && !(cmp.right() instanceof Literal) || r && !(cmp.left() instanceof Literal)) {
                    throw invalid("A relation path can only be compared with a value, not with another field.");
                }
            }
        }
    }

    /** {@code e} with every comparison on a relation path replaced by its semi-join; null stays null. */
    public Expr rewrite(CollectionDef c, Expr e) {
        if (e == null) return null;
        return switch (e) {
            case And a -> new And(a.terms().stream().map(t -> rewrite(c, t)).toList());
            case Or o -> new Or(o.terms().stream().map(t -> rewrite(c, t)).toList());
            case Not n -> new Not(rewrite(c, n.term()));
            case Member m -> m;
            case Compare cmp -> compare(c, cmp);
        };
    }

    private Expr compare(CollectionDef c, Compare cmp) {
        RelationPath left = path(c, cmp.left());
        RelationPath right = path(c, cmp.right());
        boolean l = left != null && left.crossesRelation();
        boolean r = right != null && right.crossesRelation();
        if (!l && !r) return cmp;
        if (l && r || (l ? !(cmp.right() instanceof Literal) : !(cmp.left() instanceof Literal))) {
            throw invalid("A relation path can only be compared with a value, not with another field.");
        }
        return l ? join(c, left, cmp.op(), cmp.right(), true) : join(c, right, cmp.op(), cmp.left(), false);
    }

    private RelationPath path(CollectionDef c, Object operand) {
        if (!(operand instanceof Field f) || f.path().startsWith("@")) return null;
        RelationPath p;
        try {
            p = RelationPath.of(c, f.path(), lookup::collection);
        } catch (RelationPath.Invalid e) {
            throw invalid(e.getMessage());
        }
        if (client != null) checkVisible(p, f.path());
        return p;
    }

    private void checkVisible(RelationPath p, String text) {
        for (RelationPath.Hop h : p.hops()) {
            if (secretOrHidden(h.relation())) throw invalid("Hidden fields cannot be used: " + text);
            CollectionDef entered = h.to();
            if (lookup == null || entered.rules().listRule() == null) {
                throw invalid("Fields of \"" + entered.name() + "\" can be filtered only by superusers: " + text);
            }
        }
        if (p.crossesRelation() && p.def() != null && secretOrHidden(p.def())) {
            throw invalid("Hidden fields cannot be used: " + text);
        }
    }

    private static boolean secretOrHidden(FieldDef f) {
        return f.hidden() || f.type() == FieldType.PASSWORD;
    }

    /** {@code path op value} (or {@code value op path} when {@code pathLeft} is false) as semi-joins. */
    private Expr join(CollectionDef c, RelationPath path, Op op, Object value, boolean pathLeft) {
        RelationPath.Hop hop = path.hops().get(0);
        RelationPath tail = path.tail();
        Expr sub;
        Field last = new Field(tail.fieldText());
        if (tail.crossesRelation()) {
            sub = join(hop.to(), tail, op, value, pathLeft);
        } else {
            Literal lit = (Literal) value;
            sub = pathLeft ? new Compare(last, op, lit) : new Compare(lit, op, last);
        }
        Object nothing = path.modifier() == null ? null : Values.modify(path.modifier(), null);
        Object lit = ((Literal) value).value();
        boolean holdsForNothing = pathLeft ? Values.test(op, nothing, lit) : Values.test(op, lit, nothing);
        boolean all = !op.anyOf() && hop.many();
        Expr scope = scope(hop.to());
        if (hop.back()) {
            Field id = new Field("id");
            boolean needPass = !all || !holdsForNothing;
            boolean needFail = all || holdsForNothing;
            Set<String> pass = needPass ? referenced(hop, Filters.and(scope, sub)) : Set.of();
            Set<String> fail = needFail ? referenced(hop, Filters.and(scope, new Not(sub))) : Set.of();
            if (!all && !holdsForNothing) return new Member(id, pass, false, true);
            if (all && holdsForNothing) return new Not(new Member(id, fail, false, true));
            if (all) return new And(List.of(new Member(id, pass, false, true), new Not(new Member(id, fail, false, true))));
            return new Or(List.of(new Member(id, pass, false, true), new Not(new Member(id, fail, false, true))));
        }
        Field rel = new Field(hop.relation().name());
        boolean scalar = !hop.relation().multiple();
        if (!holdsForNothing) return new Member(rel, ids(hop.to(), Filters.and(scope, sub)), all, scalar);
        Set<String> fail = ids(hop.to(), Filters.and(scope, new Not(sub)));
        return new Not(new Member(rel, fail, !all, scalar));
    }

    /** The target's list scope for a client (null: every record); a scope that admits nothing matches no id. */
    private Expr scope(CollectionDef target) {
        if (client == null) return null;
        Access.Scope s = Access.listScope(lookup.rules(target), client);
        if (s.nothing()) return new Compare(new Field("id"), Op.EQ, new Literal(""));
        return s.filter();
    }

    private List<Record> records(CollectionDef c, Expr filter) {
        int max = client == null ? MAX_RULE_IDS : MAX_IDS;
        List<Record> found = lookup.query(c, filter, max + 1);
        if (found.size() > max) throw tooMany(c, max);
        return found;
    }

    private Set<String> ids(CollectionDef c, Expr filter) {
        int max = client == null ? MAX_RULE_IDS : MAX_IDS;
        List<String> found = lookup.ids(c, filter, max + 1);
        if (found.size() > max) throw tooMany(c, max);
        return new HashSet<>(found);
    }

    /** The ids the back-relation field of the matching records holds: the parents those records point at. */
    private Set<String> referenced(RelationPath.Hop hop, Expr filter) {
        Set<String> out = new HashSet<>();
        for (Record r : records(hop.to(), filter)) {
            Object v = r.resolve(hop.relation().name());
            if (v instanceof String s && !s.isEmpty()) out.add(s);
            if (v instanceof List<?> list) for (Object o : list) if (o instanceof String s) out.add(s);
        }
        return out;
    }

    private static ApiException tooMany(CollectionDef c, int max) {
        return invalid("A relation path matches more than " + max + " records of \"" + c.name() + "\"; narrow the filter.");
    }

    private static ApiException invalid(String message) {
        return ApiException.invalidField("filter", "validation_invalid_filter", message);
    }
}
