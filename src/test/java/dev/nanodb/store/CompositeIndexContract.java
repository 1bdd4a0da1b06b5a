package dev.nanodb.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Filters;
import dev.nanodb.filter.Values;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Composite indexes ({@link IndexDef}, declared by a definition): lists filtered by equalities on leading columns
 * and sorted by the next one answer exactly what the evaluator selects, in the requested order, with exact totals,
 * through creates, updates and deletes; a unique composite index refuses a second record with the same tuple
 * (tuples with an empty value never collide); building, changing and dropping one keeps the store consistent.
 */
public abstract class CompositeIndexContract extends ContractSupport {
    static final String C = "tasks";
    private static final List<String> STATUSES = List.of("open", "done", "late");
    private static final List<String> OWNERS = List.of("u1", "u2", "u3", "");

    private static IndexDef index(String name, boolean unique, String... columns) {
        List<IndexDef.Column> cols = new ArrayList<>();
        for (String c : columns) cols.add(new IndexDef.Column(c, false));
        return new IndexDef(name, unique, cols);
    }

    private CollectionDef tasks(IndexDef... indexes) {
        return def(C, text("status"), text("owner"), number("rank"), text("slug")).toBuilder()
                .indexes(List.of(indexes)).build();
    }

    private static String stamp(int i) {
        return String.format("2026-01-01 00:%02d:%02d.000Z", (i / 60) % 60, i % 60);
    }

    private List<Record> fill(int n, long seed) {
        Random rnd = new Random(seed);
        List<Record> out = new ArrayList<>();
        List<WriteOp> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Record r = new Record(newId(), stamp(rnd.nextInt(3600)), T0, 1, data("status", STATUSES.get(rnd.nextInt(3)),
                    "owner", OWNERS.get(rnd.nextInt(OWNERS.size())), "rank", (long) rnd.nextInt(5)));
            out.add(r);
            ops.add(new WriteOp.Create(C, r));
        }
        join(store.write(ops));
        return out;
    }

    /** The records the evaluator selects, sorted as the store must sort them (ties by id in the sort's direction). */
    private List<String> expected(Expr filter, SortKey sort) {
        Comparator<Record> order = Comparator.comparing(r -> r, (a, b) -> {
            int c = sort == null ? 0 : Values.compare(a.resolve(sort.field()), b.resolve(sort.field()));
            return c != 0 ? c : a.id().compareTo(b.id());
        });
        if (sort != null && sort.descending()) order = order.reversed();
        return all(C).stream().filter(r -> matches(filter, r)).sorted(order).map(Record::id).toList();
    }

    private void assertListsAsEvaluated(String filterText, SortKey sort) {
        Expr filter = Filters.parse(filterText);
        List<String> want = expected(filter, sort);
        for (int perPage : new int[] {1, 7, 500}) {
            List<String> got = new ArrayList<>();
            for (int page = 1; ; page++) {
                Page p = sort == null ? store.query(query(C, filter, page, perPage)) : store.query(query(C, filter, page, perPage, sort));
                assertThat(p.totalItems()).as("%s sorted %s: total", filterText, sort).isEqualTo(want.size());
                got.addAll(ids(p.items()));
                if (p.items().size() < perPage) break;
            }
            assertThat(got).as("%s sorted %s, %d per page", filterText, sort, perPage).containsExactlyElementsOf(want);
        }
        assertThat(store.count(C, filter)).as("count of %s", filterText).isEqualTo(want.size());
    }

    private void assertEveryShape() {
        for (String f : List.of("status = 'open' && owner = 'u1'", "owner = 'u2' && status = 'late'", "status = 'done'",
                "status = 'open' && owner = ''", "status = 'open' && owner = 'u1' && rank = 3",
                "status = 'open' && owner = 'u1' && rank > 1", "status = 'late' && owner = 'u3' && rank <= 2 && rank != 1",
                "status = 'nobody'", "owner = 'u1'")) {
            for (SortKey s : new SortKey[] {null, new SortKey("rank", false), new SortKey("rank", true),
                new SortKey("created", true), new SortKey("id", true)}) {
                assertListsAsEvaluated(f, s);
            }
        }
    }

    @Test
    void listsServedByACompositeIndexMatchTheEvaluatorThroughWrites() {
        save(tasks(index("idx_sor", false, "status", "owner", "rank"), index("idx_sc", false, "status", "created")));
        List<Record> records = fill(300, 1);
        assertEveryShape();
        Random rnd = new Random(2);
        List<WriteOp> ops = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Record r = records.get(rnd.nextInt(records.size()));
            ops.add(new WriteOp.Update(C, r.id(), null, old -> next(old, "status", STATUSES.get(rnd.nextInt(3)),
                    "owner", OWNERS.get(rnd.nextInt(OWNERS.size())), "rank", (long) rnd.nextInt(5))));
        }
        for (int i = 0; i < 40; i++) ops.add(new WriteOp.Delete(C, records.get(100 + i).id(), null));
        for (WriteOp op : ops) join(store.write(List.of(op)));
        assertEveryShape();
        assertClean();
        reopen();
        assertEveryShape();
    }

    @Test
    void anIndexAddedOverExistingRecordsAndThenDroppedKeepsTheStoreConsistent() {
        CollectionDef plain = save(tasks());
        fill(200, 3);
        save(plain.toBuilder().indexes(List.of(index("idx_so", false, "status", "owner"))).build());
        assertClean();
        assertEveryShape();
        save(plain.toBuilder().indexes(List.of()).build());
        assertClean();
        assertEveryShape();
    }

    @Test
    void aUniqueCompositeIndexRefusesASecondEqualTupleButNotEmptyOnes() {
        save(tasks(index("idx_os", true, "owner", "slug")));
        create(C, rec(newId(), "owner", "u1", "slug", "a"));
        create(C, rec(newId(), "owner", "u1", "slug", "b"));
        create(C, rec(newId(), "owner", "u2", "slug", "a"));
        StoreException.UniqueViolation e = failure(store.write(List.of(new WriteOp.Create(C,
                rec(newId(), "owner", "u1", "slug", "a")))), StoreException.UniqueViolation.class);
        assertThat(e.field()).isIn("owner", "slug");
        create(C, rec(newId(), "owner", "u1", "slug", ""));
        create(C, rec(newId(), "owner", "u1", "slug", ""));
        create(C, rec(newId(), "owner", "u1"));
        Record moving = create(C, rec(newId(), "owner", "u3", "slug", "a"));
        failure(store.write(List.of(new WriteOp.Replace(C, next(moving, "owner", "u2", "slug", "a"), 1))),
                StoreException.UniqueViolation.class);
        write(new WriteOp.Replace(C, next(moving, "owner", "u3", "slug", "z"), 1));
        assertThat(store.count(C, Filters.parse("owner = 'u1' && slug = 'a'"))).isEqualTo(1);
        assertThat(store.count(C, null)).isEqualTo(7);
        assertClean();
    }

    @Test
    void makingACompositeIndexUniqueOverDuplicatesFailsAndChangesNothing() {
        CollectionDef plain = save(tasks(index("idx_os", false, "owner", "slug")));
        create(C, rec(newId(), "owner", "u1", "slug", "a"));
        create(C, rec(newId(), "owner", "u1", "slug", "a"));
        failure(store.saveCollection(plain.toBuilder().indexes(List.of(index("idx_os", true, "owner", "slug"))).build()),
                StoreException.UniqueViolation.class);
        assertThat(store.collection(C).orElseThrow().indexes()).singleElement().extracting(IndexDef::unique).isEqualTo(false);
        assertThat(store.count(C, Filters.parse("owner = 'u1' && slug = 'a'"))).isEqualTo(2);
        assertClean();
    }
}
