package dev.nanodb.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.filter.And;
import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Evaluator;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Filters;
import dev.nanodb.filter.Literal;
import dev.nanodb.filter.Member;
import dev.nanodb.filter.Not;
import dev.nanodb.filter.Operand;
import dev.nanodb.filter.Or;
import dev.nanodb.filter.Resolver;
import dev.nanodb.filter.Values;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.CollectionType;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import dev.nanodb.store.Record;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link CollectionJoin} against a brute-force reading of PocketBase's semantics: the record passes when some
 * assignment of one joined row per alias (the null row when the collection is empty) satisfies the expression,
 * where a plain operator on a join also needs every row of the collection to satisfy it. The list form (an
 * id-set match of the record's field) and the per-record form (an existence test) must both agree with it, for
 * every record, so a list never shows what a view would refuse, nor the other way round.
 */
class CollectionJoinPropertiesTest {
    private static final List<String> RULES = List.of(
            "@collection.members.team ?= team && @collection.members.user ?= @request.auth.id",
            "@collection.members:ed.team ?= team && @collection.members:ed.user ?= @request.auth.id"
                    + " && @collection.members:ed.role ?= \"editor\"",
            "@collection.members.user ?= @request.auth.id",
            "@collection.members.role = \"editor\"",
            "@collection.members.role != \"viewer\" && title = \"open\"",
            "@collection.members.team ?= team || @collection.members.user ?= @request.auth.id",
            "(@collection.members.team ?= team && @collection.members.role ?= \"editor\") || title = \"open\"",
            "@collection.members:a.user ?= @request.auth.id && @collection.members:a.team ?= team"
                    + " && @collection.members:b.role ?= \"viewer\"",
            "@collection.members.team ?= team && (@collection.members.role ?= \"editor\" || @collection.members.user ?= \"u1\")",
            "title = \"open\" && @collection.members.team ?= team && @collection.members.role ?!= \"editor\"",
            "@collection.members.user ?= @request.auth.id && @collection.members.role = \"editor\"",
            "@collection.members.role ?!= \"editor\" && title = \"open\"",
            "@collection.members.team ?!= \"t1\" && @collection.members.team ?= team",
            "@collection.members.team ?= @request.auth.teams && @collection.members.user ?= @request.auth.id",
            "@collection.members.team ?= team && @collection.members.team ?= @request.auth.teams");
    private static final List<String> TEAMS = List.of("t1", "t2", "t3", "");
    private static final List<String> USERS = List.of("u1", "u2", "u3");
    private static final List<String> ROLES = List.of("editor", "viewer");

    private static final CollectionDef MEMBERS = CollectionDef.builder("pbc_members00000", "members", CollectionType.BASE)
            .fields(List.of(FieldDef.of("team", FieldType.TEXT), FieldDef.of("user", FieldType.TEXT),
                    FieldDef.of("role", FieldType.TEXT))).build();
    private static final CollectionDef DOCS = CollectionDef.builder("pbc_docs00000000", "docs", CollectionType.BASE)
            .fields(List.of(FieldDef.of("team", FieldType.TEXT), FieldDef.of("title", FieldType.TEXT))).build();

    @Provide
    Arbitrary<List<Record>> members() {
        return Combinators.combine(Arbitraries.of(TEAMS), Arbitraries.of(USERS), Arbitraries.of(ROLES))
                .as((t, u, r) -> data("team", t, "user", u, "role", r)).list().ofMaxSize(5).map(CollectionJoinPropertiesTest::records);
    }

    @Provide
    Arbitrary<List<Record>> docs() {
        return Combinators.combine(Arbitraries.of(TEAMS), Arbitraries.of("open", "closed"))
                .as((t, title) -> data("team", t, "title", title)).list().ofMinSize(1).ofMaxSize(6)
                .map(CollectionJoinPropertiesTest::records);
    }

    @Provide
    Arbitrary<Integer> rule() {
        return Arbitraries.integers().between(0, RULES.size() - 1);
    }

    @Property(tries = 1000)
    void listViewAndReferenceAgree(@ForAll("members") List<Record> members, @ForAll("docs") List<Record> docs,
                                   @ForAll("rule") int rule, @ForAll("user") String user) {
        Expr e = Filters.parse(RULES.get(rule));
        Resolver request = path -> switch (path) {
            case "@request.auth.id" -> user;
            // through a multiple relation: several values, or one null when it reaches nothing
            case "@request.auth.teams" -> new Values.Multi(user.equals("u1") ? List.of("t1", "t2")
                    : user.equals("u2") ? List.of("t3") : java.util.Collections.singletonList(null));
            default -> null;
        };
        Lookup lookup = lookup(members);
        Object list = CollectionJoin.forList(DOCS, e, lookup, request);
        for (Record doc : docs) {
            boolean expected = reference(e, doc, members, request);
            boolean listed = list instanceof Boolean b ? b : Evaluator.test((Expr) list, doc::resolve);
            Object one = CollectionJoin.forRecord(DOCS, e, lookup, doc, request);
            boolean viewed = one instanceof Boolean b ? b : Evaluator.test((Expr) one, doc::resolve);
            assertThat(listed).as("list, %s on %s with %s", RULES.get(rule), doc.data(), members).isEqualTo(expected);
            assertThat(viewed).as("view, %s on %s with %s", RULES.get(rule), doc.data(), members).isEqualTo(expected);
        }
    }

    @Provide
    Arbitrary<String> user() {
        return Arbitraries.of(USERS);
    }

    /** PocketBase's reading, by enumeration: some joined row per alias, plain operators over every row. */
    private static boolean reference(Expr e, Record doc, List<Record> rows, Resolver request) {
        List<String> keys = new ArrayList<>();
        keys(e, keys);
        List<Record> choices = new ArrayList<>(rows);
        if (choices.isEmpty()) choices.add(null);
        int combos = (int) Math.pow(choices.size(), keys.size());
        for (int n = 0; n < combos; n++) {
            Map<String, Record> pick = new HashMap<>();
            int rest = n;
            for (String k : keys) {
                pick.put(k, choices.get(rest % choices.size()));
                rest /= choices.size();
            }
            if (holds(e, doc, pick, rows, request)) return true;
        }
        return false;
    }

    private static boolean holds(Expr e, Record doc, Map<String, Record> pick, List<Record> rows, Resolver request) {
        return switch (e) {
            case And a -> a.terms().stream().allMatch(t -> holds(t, doc, pick, rows, request));
            case Or o -> o.terms().stream().anyMatch(t -> holds(t, doc, pick, rows, request));
            case Not n -> !holds(n.term(), doc, pick, rows, request);
            case Member m -> m.test(doc.resolve(m.field().path()));
            case Compare c -> {
                Object l = value(c.left(), doc, pick, request);
                Object r = value(c.right(), doc, pick, request);
                boolean now = Values.test(c.op(), l, r);
                if (c.op().anyOf() || !(isRef(c.left()) || isRef(c.right()))) yield now;
                for (Record row : rows) {
                    Map<String, Record> other = new HashMap<>(pick);
                    other.replaceAll((k, v) -> row);
                    if (!Values.test(c.op(), value(c.left(), doc, other, request), value(c.right(), doc, other, request))) {
                        yield false;
                    }
                }
                yield now;
            }
        };
    }

    private static Object value(Operand o, Record doc, Map<String, Record> pick, Resolver request) {
        if (o instanceof Literal l) return l.value();
        Field f = (Field) o;
        if (isRef(f)) {
            Record row = pick.get(key(f));
            return row == null ? null : row.resolve(f.path().substring(f.path().lastIndexOf('.') + 1));
        }
        if (f.path().startsWith("@")) return request.resolve(f.path());
        return doc.resolve(f.path());
    }

    private static void keys(Expr e, List<String> out) {
        switch (e) {
            case And a -> a.terms().forEach(t -> keys(t, out));
            case Or o -> o.terms().forEach(t -> keys(t, out));
            case Not n -> keys(n.term(), out);
            case Member m -> { }
            case Compare c -> {
                for (Operand o : List.of(c.left(), c.right())) {
                    if (isRef(o) && !out.contains(key((Field) o))) out.add(key((Field) o));
                }
            }
        }
    }

    private static boolean isRef(Operand o) {
        return o instanceof Field f && f.path().startsWith("@collection.");
    }

    private static String key(Field f) {
        String rest = f.path().substring("@collection.".length());
        return rest.substring(0, rest.indexOf('.'));
    }

    private static Lookup lookup(List<Record> members) {
        return new Lookup() {
            public Optional<CollectionDef> collection(String nameOrId) {
                return nameOrId.equals("members") || nameOrId.equals(MEMBERS.id()) ? Optional.of(MEMBERS) : Optional.empty();
            }

            public Optional<Record> get(CollectionDef c, String id) {
                return members.stream().filter(r -> r.id().equals(id)).findFirst();
            }

            public List<Record> query(CollectionDef c, Expr filter, int limit) {
                return members.stream().filter(r -> filter == null || Evaluator.test(filter, r::resolve)).limit(limit).toList();
            }
        };
    }

    private static Map<String, Object> data(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private static List<Record> records(List<Map<String, Object>> data) {
        List<Record> out = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            out.add(new Record(String.format("rec%012d", i), "2026-01-01 00:00:00.000Z", "2026-01-01 00:00:00.000Z", 1, data.get(i)));
        }
        return out;
    }
}
