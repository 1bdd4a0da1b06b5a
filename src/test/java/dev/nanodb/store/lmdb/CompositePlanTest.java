package dev.nanodb.store.lmdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.filter.Filters;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.CollectionType;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import dev.nanodb.store.IndexDef;
import dev.nanodb.store.Page;
import dev.nanodb.store.Query;
import dev.nanodb.store.Record;
import dev.nanodb.store.SortKey;
import dev.nanodb.store.WriteOp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded planner walks a composite index for equalities on its leading columns sorted by the next one: such a
 * list is then bounded work — {@link LmdbStore#queryBounded} answers it (on the event loop) with its exact total —
 * where without the index the same list is not (the store contract checks the answers; this checks the plan).
 */
class CompositePlanTest {
    @TempDir
    Path dir;

    private static final String T = "2026-01-01 00:00:00.000Z";

    private static CollectionDef tasks(List<IndexDef> indexes) {
        return CollectionDef.builder("pbc_tasks000001", "tasks", CollectionType.BASE)
                .fields(List.of(FieldDef.of("status", FieldType.TEXT), FieldDef.of("owner", FieldType.TEXT),
                        FieldDef.of("rank", FieldType.NUMBER)))
                .indexes(indexes).at(T).build();
    }

    private static IndexDef index(String... columns) {
        return new IndexDef("idx", false, java.util.Arrays.stream(columns).map(c -> new IndexDef.Column(c, false)).toList());
    }

    private static Optional<Page> bounded(LmdbStore store, String filter, SortKey sort) {
        return store.queryBounded(new Query("tasks", Filters.parse(filter), List.of(sort), 1, 5, false));
    }

    @Test
    void equalitiesOnLeadingColumnsSortedByTheNextAreBoundedWithExactTotals() {
        try (LmdbStore store = new LmdbStore(dir.toFile(), 1 << 20, 1L << 30, true)) {
            CollectionDef plain = store.saveCollection(tasks(List.of())).join();
            List<WriteOp> ops = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String created = String.format("2026-01-01 00:00:%02d.%03dZ", i / 10, i % 10);
                ops.add(new WriteOp.Create("tasks", new Record(String.format("r%014d", i), created, created, 1,
                        Map.of("status", i % 2 == 0 ? "open" : "done", "owner", "u" + i % 5, "rank", (long) (i % 7)))));
            }
            store.write(ops).join();
            String filter = "status = 'open' && owner = 'u1'";
            assertThat(bounded(store, filter, new SortKey("created", true))).as("no composite index yet").isEmpty();

            store.saveCollection(plain.toBuilder().indexes(List.of(index("status", "owner", "created"))).build()).join();
            Page page = bounded(store, filter, new SortKey("created", true)).orElseThrow();
            assertThat(page.totalItems()).isEqualTo(20);
            assertThat(page.items()).extracting(Record::id)
                    .containsExactly("r00000000000196", "r00000000000186", "r00000000000176", "r00000000000166",
                            "r00000000000156");
            assertThat(bounded(store, filter, new SortKey("created", false)).orElseThrow().items().get(0).id())
                    .isEqualTo("r00000000000006");
            assertThat(bounded(store, "status = 'open'", new SortKey("owner", false)))
                    .as("sorted by a middle column: its ties follow created, not id").isEmpty();
            assertThat(bounded(store, filter, new SortKey("rank", false))).as("sorted by a column not next").isEmpty();
            assertThat(bounded(store, filter + " && rank = 3", new SortKey("created", true)))
                    .as("a residual condition is evaluated per record").isEmpty();
        }
    }

    @Test
    void aFieldIndexInTheRequestedOrderIsKeptWhenTheCompositeWouldRankItsWholePrefix() {
        try (LmdbStore store = new LmdbStore(dir.toFile(), 1 << 20, 1L << 30, true)) {
            CollectionDef def = tasks(List.of(index("status", "owner", "created")));
            store.saveCollection(def.toBuilder().fields(List.of(FieldDef.of("status", FieldType.TEXT).withIndexed(true),
                    FieldDef.of("owner", FieldType.TEXT).withIndexed(true), FieldDef.of("rank", FieldType.NUMBER))).build()).join();
            List<WriteOp> ops = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                ops.add(new WriteOp.Create("tasks", new Record(String.format("r%014d", i), T, T, 1,
                        Map.of("status", i % 2 == 0 ? "open" : "done", "owner", "u1", "rank", (long) i))));
            }
            store.write(ops).join();
            Page page = store.queryBounded(new Query("tasks", Filters.parse("status = 'open' && owner = 'u1'"), List.of(), 1, 5,
                    false)).orElseThrow(() -> new AssertionError("the status index in id order streams the page"));
            assertThat(page.totalItems()).isEqualTo(150);
            assertThat(page.items().get(0).id()).isEqualTo("r00000000000000");
            assertThat(store.count("tasks", Filters.parse("status = 'open' && owner = 'u1'"))).isEqualTo(150);
        }
    }
}
