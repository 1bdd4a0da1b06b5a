package dev.nanodb.rules;

import static dev.nanodb.rules.JoinTerms.flatten;
import static dev.nanodb.rules.JoinTerms.flattenOne;
import static dev.nanodb.rules.JoinTerms.isRef;
import static dev.nanodb.rules.JoinTerms.recordField;

import dev.nanodb.filter.And;
import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Evaluator;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Literal;
import dev.nanodb.filter.Member;
import dev.nanodb.filter.Not;
import dev.nanodb.filter.Op;
import dev.nanodb.filter.Operand;
import dev.nanodb.filter.Or;
import dev.nanodb.filter.Resolver;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.Record;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * PocketBase's joins of unrelated collections, {@code @collection.<name>[:alias].<field>}, resolved before the
 * store sees the expression: what remains is an ordinary filter on the record's own fields, so lists keep exact
 * totals and pages on both backends.
 *
 * <p>Semantics (PocketBase's LEFT JOIN per alias; one row of nulls when the joined collection has no record):
 * <ul>
 *   <li>{@code ?}-operators on one alias inside one conjunction judge <em>the same</em> joined record: the group
 *       holds when some record of the collection satisfies all of them together. Under {@code ||} each side has
 *       its own existence test, which is the same thing as PocketBase's single join.</li>
 *   <li>A plain operator ({@code @collection.news.status = "x"}) holds when every record of the collection
 *       satisfies it (the null row when there is none), independent of the group.</li>
 *   <li>A group may compare with at most one field of the record, with {@code ?=}
 *       ({@code @collection.members.team ?= team}). For a list it becomes an id-set match of that field against the
 *       values the group's matching records hold (at most {@link SemiJoin#MAX_RULE_IDS} records, else 400); for one
 *       record it becomes an existence test with the record's value.</li>
 * </ul>
 * Anything else — two record fields in a group, a record field under {@code ||} inside a group, two aliases in one
 * comparison or one condition, a negated join — is refused with a message, when the rule is saved.
 */
public final class CollectionJoin {
    static final String PREFIX = "@collection.";

    private final CollectionDef self;
    private final Function<String, Optional<CollectionDef>> collections;
    private final Lookup lookup;
    private final Record record;
    private final Resolver request;

    /** @param lookup null for a dry run (checking a rule): nothing is read and every test answers false */
    private CollectionJoin(CollectionDef self, Function<String, Optional<CollectionDef>> collections, Lookup lookup,
                           Record record, Resolver request) {
        this.self = self;
        this.collections = collections;
        this.lookup = lookup;
        this.record = record;
        this.request = request;
    }

    /** A rule or filter that cannot be resolved as written. */
    public static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** Whether some comparison of {@code e} names {@code @collection.*}. */
    public static boolean uses(Expr e) {
        return switch (e) {
            case null -> false;
            case And a -> a.terms().stream().anyMatch(CollectionJoin::uses);
            case Or o -> o.terms().stream().anyMatch(CollectionJoin::uses);
            case Not n -> uses(n.term());
            case Member m -> false;
            case Compare c -> isRef(c.left()) || isRef(c.right());
        };
    }

    /** For a list: an Expr on the record's own fields, or a Boolean when the joins decide alone. */
    static Object forList(CollectionDef c, Expr e, Lookup lookup, Resolver request) {
        return new CollectionJoin(c, lookup::collection, lookup, null, request).resolve(e);
    }

    /** For one record: an Expr without joins, or a Boolean. */
    static Object forRecord(CollectionDef c, Expr e, Lookup lookup, Record record, Resolver request) {
        return new CollectionJoin(c, lookup::collection, lookup, record, request).resolve(e);
    }

    /** Why {@code e} cannot be resolved against these collections, or null. */
    public static String problem(CollectionDef c, Expr e, Function<String, Optional<CollectionDef>> collections) {
        if (!uses(e)) return null;
        try {
            new CollectionJoin(c, collections, null, null, path -> null).resolve(e);
            return null;
        } catch (Invalid | RelationPath.Invalid x) {
            return x.getMessage();
        }
    }

    private record Ref(String key, CollectionDef target, String path) {}

    private Object resolve(Expr e) {
        return switch (e) {
            case Compare cmp -> {
                Ref ref = ref(cmp);
                if (ref == null) yield cmp;
                yield cmp.op().anyOf() ? group(List.of(cmp)) : every(cmp);
            }
            case Or o -> Folding.or(o.terms().stream().map(t -> resolve(t)).toList());
            case And a -> and(flatten(a));
            case Not n -> {
                if (uses(n.term())) throw new Invalid("An @collection condition cannot be negated.");
                yield n;
            }
            case Member m -> m;
        };
    }

    /** Children sharing an alias form one group (one joined record); the others resolve on their own. */
    private Object and(List<Expr> terms) {
        Map<String, Integer> uses = new LinkedHashMap<>();
        for (Expr t : terms) for (String k : anyKeys(t)) uses.merge(k, 1, Integer::sum);
        Map<String, List<Expr>> groups = new LinkedHashMap<>();
        List<Object> out = new ArrayList<>();
        for (Expr t : terms) {
            Set<String> keys = anyKeys(t);
            List<String> shared = keys.stream().filter(k -> uses.get(k) > 1).toList();
            if (shared.isEmpty()) {
                out.add(resolve(t));
                continue;
            }
            if (keys.size() > 1) throw new Invalid("One condition may not mix two @collection joins: " + keys);
            groups.computeIfAbsent(shared.get(0), k -> new ArrayList<>()).add(t);
        }
        for (List<Expr> g : groups.values()) out.add(group(g));
        return Folding.and(out);
    }

    /** Whether some record of the group's collection satisfies all {@code terms} together. */
    private Object group(List<Expr> terms) {
        Ref ref = null;
        Compare correlation = null;
        List<Object> own = new ArrayList<>();
        for (Expr t : terms.size() == 1 ? flattenOne(terms.get(0)) : terms) {
            if (t instanceof Compare cmp && ref(cmp) != null && recordField(cmp) != null) {
                if (correlation != null) {
                    throw new Invalid("An @collection join may be compared with one field of the record; use an alias"
                            + " (@collection.name:alias) for another.");
                }
                if (cmp.op() != Op.ANY_EQ) throw new Invalid("Compare an @collection field with a field of the record using ?=.");
                correlation = cmp;
                ref = ref(cmp);
                continue;
            }
            own.add(inner(t));
            ref = ref != null ? ref : firstRef(t);
        }
        for (Expr t : terms) sameTarget(ref, t);
        Object condition = Folding.and(own);
        if (correlation == null) return exists(ref.target(), condition);
        Field recField = recordField(correlation);
        checkRecordField(recField);
        if (ref.path().contains(":") || RelationPath.of(ref.target(), ref.path(), collections).crossesRelation()) {
            throw new Invalid("A field compared with the record must be a plain field: @collection." + ref.path());
        }
        if (record != null) {
            Object value = record.resolve(recField.path());
            return exists(ref.target(), Folding.and(List.of(condition, equalTo(new Field(ref.path()), value))));
        }
        return matching(ref, condition, recField);
    }

    /** Every record of the collection satisfies {@code cmp} (the null row when there is none). */
    private Object every(Compare cmp) {
        if (recordField(cmp) != null) throw new Invalid("Compare an @collection field with a field of the record using ?=.");
        Ref ref = ref(cmp);
        Compare t = translate(cmp);
        if (lookup == null) return false;
        if (empty(ref.target())) return Evaluator.test(t, path -> null);
        return !anyMatch(ref.target(), new Not(t));
    }

    private Object exists(CollectionDef target, Object condition) {
        if (Boolean.FALSE.equals(condition) || lookup == null) return false;
        Expr filter = condition instanceof Expr x ? x : null;
        if (anyMatch(target, filter)) return true;
        return empty(target) && (filter == null || Evaluator.test(filter, path -> null));
    }

    /** The record's field holds a value some matching record of the join holds. */
    private Object matching(Ref ref, Object condition, Field recField) {
        if (Boolean.FALSE.equals(condition)) return false;
        if (lookup == null) return new Compare(recField, Op.EQ, new Literal(null));
        Expr filter = condition instanceof Expr x ? SemiJoin.forRules(lookup).rewrite(ref.target(), x) : null;
        int max = SemiJoin.MAX_RULE_IDS;
        List<Record> found = lookup.query(ref.target(), filter, max + 1);
        if (found.size() > max) {
            throw new Invalid("An @collection join matches more than " + max + " records of \"" + ref.target().name()
                    + "\"; narrow the rule.");
        }
        Set<String> strings = new LinkedHashSet<>();
        List<Object> others = new ArrayList<>();
        for (Record r : found) {
            Object v = r.resolve(ref.path());
            for (Object one : v instanceof List<?> l ? l : java.util.Collections.singletonList(v)) {
                if (one instanceof String s) strings.add(s);
                else if (one != null && !others.contains(one)) others.add(one);
            }
        }
        if (found.isEmpty()) {
            boolean nullRow = empty(ref.target()) && (filter == null || Evaluator.test((Expr) condition, path -> null));
            return nullRow ? new Compare(recField, Op.EQ, new Literal(null)) : false;
        }
        List<Object> terms = new ArrayList<>();
        if (!strings.isEmpty()) terms.add(new Member(recField, strings, false, scalar(recField)));
        for (Object v : others) terms.add(new Compare(recField, Op.EQ, Access.literal(v)));
        return Folding.or(terms);
    }

    private boolean anyMatch(CollectionDef target, Expr filter) {
        Expr f = filter == null ? null : SemiJoin.forRules(lookup).rewrite(target, filter);
        return !lookup.ids(target, f, 1).isEmpty();
    }

    private boolean empty(CollectionDef target) {
        return lookup.ids(target, null, 1).isEmpty();
    }

    /** A term of a group with its references turned into the joined collection's own fields. */
    private Object inner(Expr e) {
        return switch (e) {
            case Compare cmp -> {
                if (recordField(cmp) != null) {
                    throw new Invalid("Inside an @collection condition a field of the record may only be compared"
                            + " directly (@collection.name.field ?= field), not under ||.");
                }
                if (ref(cmp) == null) yield value(cmp.left()) instanceof Literal a && value(cmp.right()) instanceof Literal b
                        ? (Object) dev.nanodb.filter.Values.test(cmp.op(), a.value(), b.value()) : cmp;
                if (!cmp.op().anyOf()) yield every(cmp);
                Object several = several(cmp);
                yield several != null ? several : translate(cmp);
            }
            case And a -> Folding.and(a.terms().stream().map(this::inner).toList());
            case Or o -> Folding.or(o.terms().stream().map(this::inner).toList());
            case Not n -> throw new Invalid("An @collection condition cannot be negated.");
            case Member m -> m;
        };
    }

    /**
     * A joined field compared with a request path that holds several values ({@code @request.auth.teams.id} through a
     * multiple relation): with {@code ?=}, the joined field equals one of them; null when neither side is such a path.
     */
    private Object several(Compare cmp) {
        Object multi = multiValue(cmp.left()) != null ? multiValue(cmp.left()) : multiValue(cmp.right());
        if (multi == null) return null;
        if (cmp.op() != Op.ANY_EQ) {
            throw new Invalid("An @collection field can be compared with a request path of several values only with ?=.");
        }
        Field joined = (Field) inner(isRef(cmp.left()) ? cmp.left() : cmp.right());
        return Folding.anyEqual(joined, ((dev.nanodb.filter.Values.Multi) multi).values());
    }

    private Object multiValue(Operand o) {
        if (!(o instanceof Field f) || !f.path().startsWith("@") || isRef(f)) return null;
        Object v = request.resolve(f.path());
        return v instanceof dev.nanodb.filter.Values.Multi ? v : null;
    }

    private Compare translate(Compare cmp) {
        if (multiValue(cmp.left()) != null || multiValue(cmp.right()) != null) {
            throw new Invalid("An @collection field can be compared with a request path of several values only with ?=.");
        }
        return new Compare(inner(cmp.left()), cmp.op(), inner(cmp.right()));
    }

    private Operand inner(Operand o) {
        Operand v = value(o);
        if (v instanceof Field f && isRef(f)) return new Field(parse(f).path());
        return v;
    }

    /** A literal, a request value as a literal, or the field itself. */
    private Operand value(Operand o) {
        if (o instanceof Field f && f.path().startsWith("@") && !isRef(f)) return Access.literal(request.resolve(f.path()));
        return o;
    }

    /** The joined field holds {@code value} (one of its elements, when it holds a list, as the list form reads it). */
    private Expr equalTo(Field f, Object value) {
        if (value instanceof List<?> l) {
            List<Object> terms = new ArrayList<>();
            for (Object v : l) terms.add(new Compare(f, Op.ANY_EQ, Access.literal(v)));
            Object any = Folding.or(terms);
            return any instanceof Expr x ? x : new Compare(f, Op.EQ, new Literal(null));
        }
        return new Compare(f, Op.ANY_EQ, Access.literal(value));
    }

    private void checkRecordField(Field f) {
        if (f.path().contains(":") || RelationPath.of(self, f.path(), collections).crossesRelation()) {
            throw new Invalid("Only a plain field of the record can be compared with an @collection field: " + f.path());
        }
    }

    /** Whether the record's field holds one value, never a list (then a store may answer with an index). */
    private boolean scalar(Field recField) {
        if (CollectionDef.SYSTEM_FIELDS.contains(recField.path())) return true;
        return self.field(recField.path()).map(d -> !d.multiple()).orElse(false);
    }

    private Ref ref(Compare cmp) {
        boolean l = isRef(cmp.left());
        boolean r = isRef(cmp.right());
        if (l && r) throw new Invalid("Two @collection fields cannot be compared with each other.");
        return l ? parse((Field) cmp.left()) : r ? parse((Field) cmp.right()) : null;
    }

    private Ref firstRef(Expr e) {
        return switch (e) {
            case Compare cmp -> ref(cmp);
            case And a -> a.terms().stream().map(this::firstRef).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            case Or o -> o.terms().stream().map(this::firstRef).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            default -> null;
        };
    }

    private void sameTarget(Ref ref, Expr e) {
        switch (e) {
            case Compare cmp -> {
                Ref r = ref(cmp);
                if (r != null && r.key().equals(ref.key()) && !r.target().id().equals(ref.target().id())) {
                    throw new Invalid("The " + ref.key() + " names two collections.");
                }
            }
            case And a -> a.terms().forEach(t -> sameTarget(ref, t));
            case Or o -> o.terms().forEach(t -> sameTarget(ref, t));
            default -> { }
        }
    }

    /** The keys of the joins {@code e} compares with a {@code ?}-operator. */
    private Set<String> anyKeys(Expr e) {
        Set<String> out = new LinkedHashSet<>();
        collectKeys(e, out);
        return out;
    }

    private void collectKeys(Expr e, Set<String> out) {
        switch (e) {
            case Compare cmp -> {
                Ref ref = ref(cmp);
                if (ref != null && cmp.op().anyOf()) out.add(ref.key());
            }
            case And a -> a.terms().forEach(t -> collectKeys(t, out));
            case Or o -> o.terms().forEach(t -> collectKeys(t, out));
            case Not n -> collectKeys(n.term(), out);
            case Member m -> { }
        }
    }


    private Ref parse(Field f) {
        String rest = f.path().substring(PREFIX.length());
        int dot = rest.indexOf('.');
        if (dot < 0) throw new Invalid("Invalid @collection field path: " + f.path());
        String name = rest.substring(0, dot);
        String alias = null;
        int colon = name.indexOf(':');
        if (colon >= 0) {
            alias = name.substring(colon + 1);
            name = name.substring(0, colon);
        }
        String collection = name;
        CollectionDef target = collections.apply(collection).orElseThrow(
                () -> new Invalid("Unknown collection in " + f.path()));
        String path = rest.substring(dot + 1);
        RelationPath.of(target, path, collections);
        String key = alias == null ? "collection " + target.name() : "alias " + alias;
        return new Ref(key, target, path);
    }

}
