package dev.nanodb.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Filters;
import dev.nanodb.filter.Literal;
import dev.nanodb.filter.Op;
import dev.nanodb.filter.Printer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every filter operator on indexed and unindexed fields, over numbers, strings, booleans, nulls, missing
 * fields, lists and mixed types: each answer (items and totals) and each count must be exactly what the filter
 * evaluator says over all records. Indexed and unindexed twins hold the same values, so an index can never
 * change an answer.
 */
public abstract class FilterContract extends ContractSupport {
    static final Object[] NUMBERS = {-1e20, -7L, -2.5, -1L, -0.0, 0L, 1e-9, 0.5, 1L, 1.0, 2L, 3.25, 9007199254740993L, 1e300};
    static final Object[] STRINGS = {"", " ", "a", "A", "abc", "ABC", "Abd", "b", "ab%", "a_c", "é", "É", "z", "ß",
        "\uD834\uDD1E", "日本", "10", "9", "1", "a\u0000", "true", "null"};
    static final Object[] BOOLS = {true, false};
    static final Object[] EXTRA_LITERALS = {null, "%", "a%", "%b%", "_", "%c", "A_C", "AB", 1.5, -3L, 100L,
        "\uFFFF", "\uD83D\uDE00"};
    static final Object[] LIST_ITEMS = {"a", "b", "A", "", 1L, 2.5, true, null, "x y"};

    /** Indexed/unindexed twins: the first of each pair carries an index. */
    static final String[][] TWINS = {{"ni", "nu"}, {"si", "su"}, {"bi", "bu"}, {"xi", "xu"}};
    static final String C = "vals";

    protected final List<Record> records = new ArrayList<>();

    @BeforeEach
    void dataset() {
        save(def(C, number("ni").withIndexed(true), number("nu"), text("si").withIndexed(true), text("su"),
                FieldDef.of("bi", FieldType.BOOL).withIndexed(true), FieldDef.of("bu", FieldType.BOOL),
                json("xi").withIndexed(true), json("xu"), text("ui").withUnique(true), json("tags")));
        Random rnd = new Random(42);
        Object[][] pools = {NUMBERS, STRINGS, BOOLS, mixed()};
        for (int i = 0; i < 90; i++) {
            Object[] kv = new Object[0];
            for (int t = 0; t < TWINS.length; t++) {
                int shape = rnd.nextInt(10);
                if (shape == 0) continue; // missing
                Object v = shape == 1 ? null : pools[t][(i + rnd.nextInt(3)) % pools[t].length];
                kv = concat(kv, TWINS[t][0], v, TWINS[t][1], v);
            }
            int u = rnd.nextInt(6);
            Object uv = switch (u) {
                case 1 -> null;
                case 2 -> i % 2 == 0 ? (Object) (long) i : i + 0.5;
                default -> (String) STRINGS[i % STRINGS.length] + i;
            };
            if (u > 0) kv = concat(kv, "ui", uv);
            if (rnd.nextInt(5) > 0) kv = concat(kv, "tags", randomList(rnd));
            records.add(create(C, rec(newId(), kv)));
        }
    }

    static Object[] mixed() {
        List<Object> all = new ArrayList<>();
        all.addAll(Arrays.asList(NUMBERS));
        all.addAll(Arrays.asList(STRINGS));
        all.addAll(Arrays.asList(BOOLS));
        return all.toArray();
    }

    private static List<Object> randomList(Random rnd) {
        List<Object> l = new ArrayList<>();
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) l.add(LIST_ITEMS[rnd.nextInt(LIST_ITEMS.length)]);
        return l;
    }

    private static Object[] concat(Object[] a, Object... b) {
        Object[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static List<Object> literals() {
        List<Object> all = new ArrayList<>(Arrays.asList(mixed()));
        all.addAll(Arrays.asList(EXTRA_LITERALS));
        return all;
    }

    /** A value as filter text. */
    static String literalText(Object v) {
        return Printer.print(cmp("x", Op.EQ, v)).substring("x = ".length());
    }

    /** Checks one filter; returns a description of the disagreement, or null. */
    protected String verify(Expr filter) {
        List<String> expected = records.stream().filter(r -> matches(filter, r)).map(Record::id).sorted().toList();
        Page page = store.query(query(C, filter, 1, 1000));
        List<String> actual = ids(page.items());
        long count = store.count(C, filter);
        if (actual.equals(expected) && page.totalItems() == expected.size() && count == expected.size()) return null;
        List<String> missing = new ArrayList<>(expected);
        missing.removeAll(actual);
        List<String> extra = new ArrayList<>(actual);
        extra.removeAll(expected);
        return Printer.print(filter) + ": expected " + expected.size() + " got items=" + actual.size() + " total="
                + page.totalItems() + " count=" + count + " missing=" + values(missing) + " extra=" + values(extra);
    }

    private List<String> values(List<String> ids) {
        return records.stream().filter(r -> ids.contains(r.id())).limit(3).map(r -> r.id() + r.data()).toList();
    }

    private static void assertNoProblems(List<String> problems, int checked) {
        assertThat(checked).isGreaterThan(100);
        assertThat(problems).as("%d of %d filters disagree with the evaluator", problems.size(), checked)
                .isEmpty();
    }

    @Test
    void everyOperatorOnEveryFieldAgreesWithTheEvaluator() {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        List<String> fields = new ArrayList<>(List.of("ui", "tags", "id"));
        for (String[] twin : TWINS) fields.addAll(List.of(twin));
        for (String field : fields) {
            for (Op op : Op.values()) {
                for (Object lit : literals()) {
                    String p = verify(cmp(field, op, lit));
                    checked++;
                    if (p != null && problems.size() < 30) problems.add(p);
                }
            }
        }
        assertNoProblems(problems, checked);
    }

    @Test
    void literalOnTheLeftAgreesWithTheEvaluator() {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (String[] twin : TWINS) {
            for (String field : twin) {
                for (Op op : List.of(Op.EQ, Op.NEQ, Op.LT, Op.LTE, Op.GT, Op.GTE)) {
                    for (Object lit : literals()) {
                        Expr e = Filters.parse(Printer.print(new Compare(new Literal(lit), op, new Field(field))));
                        String p = verify(e);
                        checked++;
                        if (p != null && problems.size() < 30) problems.add(p);
                    }
                }
            }
        }
        assertNoProblems(problems, checked);
    }

    @Test
    void combinedFiltersAgreeWithTheEvaluator() {
        Random rnd = new Random(7);
        List<String> problems = new ArrayList<>();
        List<Object> lits = literals();
        List<String> fields = List.of("ni", "nu", "si", "su", "bi", "bu", "xi", "xu", "ui", "tags");
        Op[] ops = Op.values();
        for (int i = 0; i < 600; i++) {
            StringBuilder text = new StringBuilder();
            int terms = 2 + rnd.nextInt(3);
            for (int t = 0; t < terms; t++) {
                if (t > 0) text.append(rnd.nextInt(3) == 0 ? " || " : " && ");
                Expr c = cmp(fields.get(rnd.nextInt(fields.size())), ops[rnd.nextInt(ops.length)],
                        lits.get(rnd.nextInt(lits.size())));
                text.append(rnd.nextInt(4) == 0 ? "(" + Printer.print(c) + ")" : Printer.print(c));
            }
            String p = verify(Filters.parse(text.toString()));
            if (p != null && problems.size() < 30) problems.add(p);
        }
        // ranges on an index combined with other conditions
        for (Object lo : NUMBERS) {
            for (Object hi : NUMBERS) {
                String p = verify(Filters.parse("ni >= " + literalText(lo) + " && ni < " + literalText(hi) + " && nu != 1"));
                if (p != null && problems.size() < 30) problems.add(p);
            }
        }
        assertNoProblems(problems, 600 + NUMBERS.length * NUMBERS.length);
    }

    @Test
    void indexedAndUnindexedTwinsGiveTheSameAnswers() {
        for (String[] twin : TWINS) {
            for (Op op : List.of(Op.EQ, Op.LT, Op.GTE, Op.NEQ, Op.LIKE)) {
                for (Object lit : literals()) {
                    Page a = store.query(query(C, cmp(twin[0], op, lit), 1, 1000));
                    Page b = store.query(query(C, cmp(twin[1], op, lit), 1, 1000));
                    assertThat(ids(a.items())).as("%s %s %s", twin[0], op, lit).isEqualTo(ids(b.items()));
                    assertThat(a.totalItems()).isEqualTo(b.totalItems());
                }
            }
        }
    }

    @Test
    void aListInAnIndexedFieldIsRefusedOrAnsweredLikeTheEvaluator() {
        save(def("lists", json("x").withIndexed(true)));
        Record withList = rec(newId(), "x", List.of(1L));
        Throwable refused = unwrap(store.write(List.of(new WriteOp.Create("lists", withList))).handle((v, e) -> e).join());
        if (refused != null) {
            assertThat(refused).isInstanceOf(StoreException.InvalidValue.class);
            return;
        }
        create("lists", rec(newId(), "x", null));
        create("lists", rec(newId(), "x", "z"));
        assertThat(ids(store.query(query("lists", Filters.parse("x = null"), 1, 10)).items())).doesNotContain(withList.id());
        assertThat(store.query(query("lists", null, 1, 10, new SortKey("x", true))).items().get(0).id())
                .isEqualTo(withList.id());
    }

    @Test
    void orderingAgainstNullOnAnIndexedFieldMatchesNothing() {
        for (String f : List.of("ni", "si", "bi", "xi", "ui")) {
            for (String text : List.of(f + " >= null", f + " <= null", "null <= " + f, "null >= " + f)) {
                Page p = store.query(query(C, Filters.parse(text), 1, 1000));
                assertThat(p.items()).as(text).isEmpty();
                assertThat(p.totalItems()).as(text).isZero();
                assertThat(store.count(C, Filters.parse(text))).as(text).isZero();
            }
        }
        assertThat(store.query(query(C, Filters.parse("created >= null"), 1, 10)).items()).isEmpty();
    }
}
