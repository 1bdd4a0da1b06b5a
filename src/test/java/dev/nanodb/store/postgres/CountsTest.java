package dev.nanodb.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanodb.filter.Evaluator;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Filters;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.CollectionType;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import dev.nanodb.store.Query;
import dev.nanodb.store.Record;
import dev.nanodb.store.StoreException;
import dev.nanodb.store.WriteOp;
import dev.nanodb.testing.PgTestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-value counts ({@link Counts}) stay equal to the rows through creates, updates, deletes, rolled-back
 * batches and index changes, the totals of equality lists come from them, and the consistency check notices when
 * they drift.
 */
class CountsTest {
    private static final String T0 = "2026-01-01T00:00:00.000Z";
    private static final List<Object> VALUES = Arrays.asList("u1", "u2", "5", 5L, 5.0, true, false, null, "", "x\u0000y");

    private PostgresStore store;
    private String schema;
    private final Map<String, Record> model = new HashMap<>();

    @BeforeEach
    void open() {
        PgTestDatabase.assumeAvailable();
        schema = PgTestDatabase.freshSchema();
        store = new PostgresStore(PgTestDatabase.url(), schema, 4);
    }

    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    @Test
    void countsFollowEveryWriteAndServeEqualityTotals() throws Exception {
        save("o = @request.auth.id && k = @request.auth.id", FieldDef.of("o", FieldType.TEXT).withIndexed(true),
                FieldDef.of("k", FieldType.JSON).withIndexed(true), FieldDef.of("free", FieldType.JSON));
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            step(random, round);
            if (round % 50 == 49) assertTotalsMatch();
        }
        assertThat(store.check().problems()).isEmpty();

        save("@request.auth.id = free && o = @request.auth.id", FieldDef.of("o", FieldType.TEXT).withIndexed(true),
                FieldDef.of("k", FieldType.JSON), FieldDef.of("free", FieldType.JSON).withIndexed(true));
        assertTotalsMatch();
        assertThat(store.check().problems()).isEmpty();
    }

    @Test
    void aDriftedCountIsWhatListsReportAndWhatTheCheckFinds() throws Exception {
        save("o = @request.auth.id", FieldDef.of("o", FieldType.TEXT).withIndexed(true));
        for (int i = 0; i < 5; i++) write(new WriteOp.Create("c", rec("r" + i, "o", "u1")));
        assertThat(store.query(new Query("c", Filters.parse("o = \"u1\""), List.of(), 1, 2, false)).totalItems()).isEqualTo(5);
        DatabaseUrl url = PgTestDatabase.url();
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
                Statement s = c.createStatement()) {
            s.execute("UPDATE \"" + schema + "\".nanodb_counts SET n = 99 WHERE field = 'o'");
        }
        assertThat(store.query(new Query("c", Filters.parse("o = \"u1\""), List.of(), 1, 2, false)).totalItems()).isEqualTo(99);
        assertThat(store.check().problems()).anySatisfy(p -> assertThat(p).contains("c.o").contains("counts differ"));
    }

    private void step(Random random, int round) throws Exception {
        String id = "r" + random.nextInt(40);
        Record stored = model.get(id);
        int kind = random.nextInt(4);
        if (stored == null) {
            Record r = rec(id, values(random));
            write(new WriteOp.Create("c", r));
            model.put(id, r);
        } else if (kind == 0) {
            write(new WriteOp.Delete("c", id, null));
            model.remove(id);
        } else if (kind == 3) {
            // A batch that changes the record and then fails on a missing one: nothing of it may be counted.
            assertThatThrownBy(() -> write(new WriteOp.Update("c", id, null, r -> r.withData(values(random), T0, r.version() + 1)),
                    new WriteOp.Delete("c", "missing" + round, null))).hasCauseInstanceOf(StoreException.NotFound.class);
        } else {
            Map<String, Object> data = values(random);
            Record next = write(new WriteOp.Update("c", id, null, r -> r.withData(data, T0, r.version() + 1))).get(0);
            model.put(id, next);
        }
    }

    private void assertTotalsMatch() {
        for (String field : List.of("o", "k", "free")) {
            for (Object v : VALUES) {
                if (v == null) continue;
                Expr filter = Filters.parse(field + " = " + literal(v));
                long expected = model.values().stream().filter(r -> Evaluator.test(filter, r::resolve)).count();
                assertThat(store.count("c", filter)).as("count %s", filter).isEqualTo(expected);
                assertThat(store.query(new Query("c", filter, List.of(), 1, 3, false)).totalItems())
                        .as("total %s", filter).isEqualTo(expected);
            }
        }
    }

    private static String literal(Object v) {
        return v instanceof String s ? "\"" + s.replace("\u0000", "") + "\"" : String.valueOf(v);
    }

    private static Map<String, Object> values(Random random) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String f : List.of("o", "k", "free")) {
            int pick = random.nextInt(VALUES.size() + 1);
            if (pick < VALUES.size()) m.put(f, VALUES.get(pick));
        }
        if (random.nextBoolean()) m.put("k", List.of("u1"));
        return m;
    }

    private void save(String listRule, FieldDef... fields) throws Exception {
        CollectionDef def = dev.nanodb.collections.CountedFields.derive(new CollectionDef("pbc_counts00001", "c",
                CollectionType.BASE, true, false, List.of(fields), new CollectionDef.Rules(listRule, null, null, null, null),
                T0, T0, List.of()));
        assertThat(def.countedFields()).as("counted fields of %s", listRule).isNotEmpty();
        store.saveCollection(def).get(30, TimeUnit.SECONDS);
    }

    private List<Record> write(WriteOp... ops) throws Exception {
        List<Record> out = new ArrayList<>();
        for (var change : store.write(List.of(ops)).get(30, TimeUnit.SECONDS)) out.add(change.record());
        return out;
    }

    private static Record rec(String id, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return rec(id, m);
    }

    private static Record rec(String id, Map<String, Object> data) {
        return new Record(id, T0, T0, 1, data);
    }
}
