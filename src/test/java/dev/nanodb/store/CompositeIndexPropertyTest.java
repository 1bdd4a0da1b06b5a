package dev.nanodb.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Evaluator;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Filters;
import dev.nanodb.filter.Literal;
import dev.nanodb.filter.Op;
import dev.nanodb.filter.Values;
import dev.nanodb.store.lmdb.LmdbStore;
import dev.nanodb.store.postgres.PostgresStore;
import dev.nanodb.testing.PgTestDatabase;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Random lists over a collection with composite indexes — equalities and ranges on their columns, a residual
 * condition, sorted by a column, by {@code created} or naturally, paged — answer on PostgreSQL and on the embedded
 * store exactly the page and total the evaluator gives. The embedded store walks the composite index for most of
 * them (its plan differs with every shape), PostgreSQL's planner chooses its own; both must agree with the reference.
 * Each try counts what it compared, and the property fails when too few lists select anything.
 */
@AddLifecycleHook(PostgresFilterEquivalenceTest.RequirePostgres.class)
class CompositeIndexPropertyTest {
    private static final String C = "pairs";
    private static final Object[] POOL = {null, true, 0L, 1L, 2.5, -3L, "", "a", "b", "ab", "B", "é"};
    private static final List<String> COLUMNS = List.of("s", "o", "n");
    private static final Op[] OPS = {Op.EQ, Op.EQ, Op.EQ, Op.LT, Op.LTE, Op.GT, Op.GTE, Op.NEQ};
    private static final List<Record> records = new ArrayList<>();
    private static final List<Store> stores = new ArrayList<>();

    @BeforeContainer
    static void dataset() throws Exception {
        PgTestDatabase.assumeAvailable();
        List<IndexDef.Column> son = COLUMNS.stream().map(c -> new IndexDef.Column(c, false)).toList();
        CollectionDef def = CollectionDef.builder("pbc_pairs000001", C, CollectionType.BASE).schemaless(true)
                .fields(List.of(FieldDef.of("s", FieldType.JSON), FieldDef.of("o", FieldType.JSON), FieldDef.of("n", FieldType.JSON)))
                .indexes(List.of(new IndexDef("idx_son", false, son), new IndexDef("idx_sc", false,
                        List.of(new IndexDef.Column("s", false), new IndexDef.Column("created", true)))))
                .at("2026-01-01 00:00:00.000Z").build();
        Random rnd = new Random(11);
        List<WriteOp> ops = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            Map<String, Object> data = new LinkedHashMap<>();
            for (String f : COLUMNS) {
                if (rnd.nextInt(10) > 0) data.put(f, POOL[rnd.nextInt(f.equals("n") ? POOL.length : 5 + rnd.nextInt(3))]);
            }
            String created = String.format("2026-01-01 00:%02d:%02d.000Z", rnd.nextInt(60), rnd.nextInt(60));
            Record r = new Record(String.format("p%014d", rnd.nextInt(1_000_000_000)), created, created, 1, data);
            if (records.stream().anyMatch(x -> x.id().equals(r.id()))) continue;
            records.add(r);
            ops.add(new WriteOp.Create(C, r));
        }
        stores.add(new LmdbStore(Files.createTempDirectory("nanodb-composite").toFile(), 1 << 20, 1L << 30, true));
        stores.add(new PostgresStore(PgTestDatabase.url(), PgTestDatabase.freshSchema(), 2));
        for (Store s : stores) {
            s.saveCollection(def).join();
            s.write(ops).join();
        }
    }

    @AfterContainer
    static void close() {
        stores.forEach(Store::close);
    }

    @Property(tries = 300)
    void compositeListsMatchTheEvaluator(@ForAll long seed) {
        Statistics.label("selects").coverage(c -> c.check("some").count(n -> n >= 100));
        Random rnd = new Random(seed);
        Expr filter = null;
        for (String column : COLUMNS) {
            if (rnd.nextInt(4) == 0) continue;
            Op op = column.equals("n") ? OPS[rnd.nextInt(OPS.length)] : Op.EQ;
            Object v = POOL[rnd.nextInt(POOL.length)];
            if (v == null && op != Op.EQ && op != Op.NEQ) v = 1L;
            filter = Filters.and(filter, new Compare(new Field(column), op, new Literal(v)));
        }
        if (rnd.nextInt(5) == 0) filter = Filters.and(filter, new Compare(new Field("n"), Op.NEQ, new Literal(2.5)));
        List<SortKey> sort = switch (rnd.nextInt(6)) {
            case 0 -> List.of();
            case 1 -> List.of(new SortKey("n", rnd.nextBoolean()));
            case 2 -> List.of(new SortKey("o", rnd.nextBoolean()));
            case 3 -> List.of(new SortKey("created", rnd.nextBoolean()));
            case 4 -> List.of(new SortKey("id", true));
            default -> List.of(new SortKey("n", false), new SortKey("created", true));
        };
        int perPage = 1 + rnd.nextInt(25);
        int page = 1 + rnd.nextInt(3);
        List<String> want = expected(filter, sort);
        List<String> pageWant = want.subList(Math.min(want.size(), (page - 1) * perPage), Math.min(want.size(), page * perPage));
        for (Store s : stores) {
            Page got = s.query(new Query(C, filter, sort, page, perPage, false));
            String what = s.getClass().getSimpleName() + " " + (filter == null ? "" : dev.nanodb.filter.Printer.print(filter)) + " " + sort;
            assertThat(got.totalItems()).as(what).isEqualTo(want.size());
            assertThat(got.items()).extracting(Record::id).as(what).containsExactlyElementsOf(pageWant);
            assertThat(s.count(C, filter)).as(what).isEqualTo(want.size());
        }
        Statistics.label("selects").collect(want.isEmpty() ? "none" : "some");
    }

    private static List<String> expected(Expr filter, List<SortKey> sort) {
        Comparator<Record> order = (a, b) -> {
            for (SortKey k : sort) {
                int c = Values.compare(a.resolve(k.field()), b.resolve(k.field()));
                if (c != 0) return k.descending() ? -c : c;
            }
            int c = a.id().compareTo(b.id());
            return !sort.isEmpty() && sort.get(0).descending() ? -c : c;
        };
        return records.stream().filter(r -> filter == null || Evaluator.test(filter, r::resolve)).sorted(order)
                .map(Record::id).toList();
    }
}
