package dev.nanodb.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Filters;
import dev.nanodb.filter.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sorting (indexed and unindexed fields, {@code created}, {@code id}, several keys), pagination and totals.
 * Records that tie on every sort key may come in any order a backend likes, but the same order on every page.
 */
public abstract class SortPageContract extends ContractSupport {
    static final String C = "sorted";
    private static final String[] CREATED = {"2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.001Z",
        "2025-12-31T23:59:59.999Z", "2026-03-01T10:00:00.000Z", "2026-01-01T00:00:00.000Z"};
    private static final Object[] MIXED = {null, true, false, -1L, 0L, 2.5, 10L, "", "10", "a", "B", "é"};

    protected final List<Record> records = new ArrayList<>();

    @BeforeEach
    void dataset() {
        save(def(C, number("a").withIndexed(true), number("b"), text("t").withIndexed(true), text("u"), json("m")));
        Random rnd = new Random(11);
        for (int i = 0; i < 137; i++) {
            long a = rnd.nextInt(9) - 4;
            String t = i % 11 == 0 ? null : "t" + (char) ('a' + rnd.nextInt(5)) + (rnd.nextBoolean() ? "X" : "x");
            Object[] kv = {"a", i % 13 == 0 ? null : (rnd.nextBoolean() ? a : a + 0.5), "b", i % 9 == 0 ? null : (Object) a,
                "t", t, "u", t, "m", MIXED[rnd.nextInt(MIXED.length)]};
            if (i % 17 == 0) kv = Arrays.copyOf(kv, 4); // t, u and m missing
            String created = CREATED[rnd.nextInt(CREATED.length)];
            records.add(create(C, new Record(randomId(rnd), created, created, 1, data(kv))));
        }
    }

    static List<SortKey[]> sorts() {
        return List.of(new SortKey[0], keys("a"), keys("-a"), keys("b"), keys("-b"), keys("t"), keys("-t"), keys("u"),
                keys("-u"), keys("created"), keys("-created"), keys("id"), keys("-id"), keys("m"), keys("-m"),
                keys("a", "-t"), keys("-b", "created"), keys("t", "a", "-u"), keys("-created", "-id"),
                keys("u", "-m", "b"), keys("updated"));
    }

    static SortKey[] keys(String... spec) {
        return Arrays.stream(spec).map(s -> s.startsWith("-") ? new SortKey(s.substring(1), true) : new SortKey(s, false))
                .toArray(SortKey[]::new);
    }

    static List<Expr> filters() {
        return Arrays.asList(null, Filters.parse("a > 0"), Filters.parse("a = 2"), Filters.parse("t ~ \"x\""),
                Filters.parse("b <= 1 && t != null"), Filters.parse("created >= \"2026-01-01T00:00:00.000Z\""),
                Filters.parse("m = null || a < -2"));
    }

    static Comparator<Record> order(SortKey[] sort) {
        Comparator<Record> c = (x, y) -> 0;
        for (SortKey k : sort) {
            Comparator<Record> one = (x, y) -> Values.compare(x.resolve(k.field()), y.resolve(k.field()));
            c = c.thenComparing(k.descending() ? one.reversed() : one);
        }
        return sort.length == 0 ? Comparator.comparing(Record::id, Values::compareStrings) : c;
    }

    static List<String> sortValues(List<Record> rs, SortKey[] sort) {
        return rs.stream().map(r -> Arrays.stream(sort).map(k -> String.valueOf(norm(r.resolve(k.field())))).toList()
                .toString()).toList();
    }

    private List<Record> expected(Expr filter, SortKey[] sort) {
        return records.stream().filter(r -> matches(filter, r)).sorted(order(sort)).toList();
    }

    @Test
    void sortedAnswersAgreeWithTheReference() {
        for (Expr filter : filters()) {
            for (SortKey[] sort : sorts()) {
                List<Record> want = expected(filter, sort);
                Page page = store.query(query(C, filter, 1, 1000, sort));
                String what = filter + " sort " + Arrays.toString(sort);
                assertThat(page.totalItems()).as(what).isEqualTo(want.size());
                assertThat(sortValues(page.items(), sort)).as(what).isEqualTo(sortValues(want, sort));
                assertThat(ids(page.items())).as(what).containsExactlyInAnyOrderElementsOf(ids(want));
                if (sort.length == 0) assertThat(ids(page.items())).as(what).isEqualTo(ids(want));
            }
        }
    }

    /**
     * {@link SortKey#RANDOM}: every match once with the exact total, alone or after another key (whose order still
     * holds), and not one fixed order.
     */
    @Test
    void randomOrderHoldsEveryMatchAndKeepsEarlierKeys() {
        SortKey random = new SortKey(SortKey.RANDOM, false);
        for (Expr filter : filters()) {
            List<Record> want = expected(filter, new SortKey[0]);
            Page page = store.query(query(C, filter, 1, 1000, random));
            assertThat(page.totalItems()).as(String.valueOf(filter)).isEqualTo(want.size());
            assertThat(ids(page.items())).as(String.valueOf(filter)).containsExactlyInAnyOrderElementsOf(ids(want));
            SortKey[] byA = keys("-a");
            Page after = store.query(query(C, filter, 1, 1000, byA[0], random));
            assertThat(sortValues(after.items(), byA)).as(filter + " -a,@random").isEqualTo(sortValues(expected(filter, byA), byA));
        }
        HashSet<List<String>> orders = new HashSet<>();
        for (int i = 0; i < 5; i++) orders.add(ids(store.query(query(C, null, 1, 1000, random)).items()));
        assertThat(orders).as("five random orders of 137 records").hasSizeGreaterThan(1);
    }

    @Test
    void pagesConcatenateToTheFullAnswerWithoutGapsOrDuplicates() {
        for (Expr filter : filters()) {
            for (SortKey[] sort : sorts()) {
                List<String> full = ids(store.query(query(C, filter, 1, 1000, sort)).items());
                for (int perPage : new int[] {1, 4, 10, 61}) {
                    List<String> concatenated = new ArrayList<>();
                    long pages = full.isEmpty() ? 0 : (full.size() + perPage - 1) / perPage;
                    for (int p = 1; p <= pages + 1; p++) {
                        Page page = store.query(query(C, filter, p, perPage, sort));
                        assertThat(page.page()).isEqualTo(p);
                        assertThat(page.perPage()).isEqualTo(perPage);
                        assertThat(page.totalItems()).isEqualTo(full.size());
                        assertThat(page.totalPages()).isEqualTo(pages);
                        assertThat(page.items().size()).isEqualTo(p <= pages ? Math.min(perPage, full.size() - (p - 1) * perPage) : 0);
                        concatenated.addAll(ids(page.items()));
                    }
                    String what = filter + " sort " + Arrays.toString(sort) + " perPage " + perPage;
                    assertThat(concatenated).as(what).isEqualTo(full);
                    assertThat(new HashSet<>(concatenated)).as(what).hasSize(full.size());
                }
            }
        }
    }

    @Test
    void skipTotalReportsMinusOneAndTheSameItems() {
        for (Expr filter : filters()) {
            for (SortKey[] sort : List.of(keys("a"), keys("-t"), keys("b", "-created"), new SortKey[0])) {
                for (int p = 1; p <= 3; p++) {
                    Page counted = store.query(query(C, filter, p, 20, sort));
                    Page skipped = store.query(new Query(C, filter, List.of(sort), p, 20, true));
                    assertThat(skipped.totalItems()).isEqualTo(-1);
                    assertThat(skipped.totalPages()).isEqualTo(-1);
                    assertThat(ids(skipped.items())).isEqualTo(ids(counted.items()));
                }
            }
        }
    }

    @Test
    void countIsExact() {
        assertThat(store.count(C, null)).isEqualTo(records.size());
        for (Expr filter : filters()) {
            assertThat(store.count(C, filter)).as(String.valueOf(filter)).isEqualTo(expected(filter, new SortKey[0]).size());
        }
        Record gone = records.get(5);
        write(new WriteOp.Delete(C, gone.id(), null));
        assertThat(store.count(C, null)).isEqualTo(records.size() - 1);
        Expr sameA = gone.data().get("a") == null ? Filters.parse("a = null") : cmp("a", dev.nanodb.filter.Op.EQ, gone.data().get("a"));
        long before = records.stream().filter(r -> matches(sameA, r)).count();
        assertThat(store.count(C, sameA)).isEqualTo(before - 1);
    }

    @Test
    void aPageBeyondTheEndIsEmptyWithExactTotals() {
        Page p = store.query(query(C, null, 1000, 10, keys("-a")));
        assertThat(p.items()).isEmpty();
        assertThat(p.totalItems()).isEqualTo(records.size());
        Page none = store.query(query(C, Filters.parse("a = 12345"), 1, 10, keys("a")));
        assertThat(none.items()).isEmpty();
        assertThat(none.totalItems()).isZero();
        assertThat(none.totalPages()).isZero();
    }
}
